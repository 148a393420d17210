#include "server/GatewayLifecycle.h"

#include "config/ConfigSchema.h"
#include "config/Redact.h"

#include "log/Logger.h"
#include "net/PortOwners.h"
#include "net/TailnetAddress.h"
#include "plugins/PluginHost.h"
#include "process/Stop.h"
#include "server/BindPlan.h"
#include "server/GatewayServer.h"
#include "tls/TlsModule.h"

#include <malloc.h>

#include <algorithm>
#include <iostream>
#include <unistd.h>

namespace openclaw::server {

namespace {

std::string joinHosts(const std::vector<std::string>& hosts, int port, const std::string& scheme) {
    std::string out;
    for (const auto& h : hosts)
        out += (out.empty() ? "" : ", ") + scheme + (h.find(':') != std::string::npos ? "[" + h + "]" : h) +
               ":" + std::to_string(port);
    return out;
}

bool stopAsked(const std::atomic<int>* flag) {
    return flag && flag->load() != 0;
}

} // namespace

GatewayLifecycle::GatewayLifecycle(config::Environment env, config::ProfileOptions profile,
                                   config::Overrides overrides, LifecycleOptions options)
    : env_(std::move(env)), profile_(std::move(profile)), overrides_(std::move(overrides)),
      options_(std::move(options)) {
    if (options_.bundledPluginDirs.empty())
        options_.bundledPluginDirs.push_back(plugins::PluginHost::defaultBundledDir());
}

GatewayLifecycle::~GatewayLifecycle() {
    stop("shutdown");
}

config::GatewayConfigPtr GatewayLifecycle::loadConfig() const {
    return std::make_shared<const config::GatewayConfig>(config::loadConfig(env_, profile_, overrides_));
}

void GatewayLifecycle::useConfig(config::GatewayConfigPtr cfg) {
    config_ = std::move(cfg);
    for (const auto& w : config_->warnings)
        log::Logger::get().warn("config", w);
}

int GatewayLifecycle::start(const std::atomic<int>* stopRequested) {
    if (int rc = resolveAuth(); rc != 0) return rc;
    if (int rc = loadPlugins(stopRequested); rc != 0) return rc;
    if (stopAsked(stopRequested)) return kInterrupted;
    if (int rc = bind(); rc != 0) return rc;
    startExposure();
    advertise();
    ready();
    return 0;
}

bool GatewayLifecycle::needsExposure() const {
    return config_->tailscale.mode != config::TailscaleMode::Off ||
           config_->bind == config::BindMode::Tailnet;
}

int GatewayLifecycle::resolveAuth() {
    if (int rc = checkStartGuards(); rc != 0) return rc;
    host_ = std::make_unique<plugins::PluginHost>(config_, options_.bundledPluginDirs);
    host_->discover();
    return checkExposureAvailable(*host_);
}

int GatewayLifecycle::checkStartGuards() const {
    auto& log = log::Logger::get();
    log.info("gateway", "resolving authentication…");
    if (config_->auth.mode == config::AuthMode::None)
        log.warn("gateway",
                 "auth mode=none explicitly configured; all gateway connections are unauthenticated.");
    // A tailnet bind is judged as loopback until the exposure plugin names the tailnet address.
    const bool tailnet = config_->bind == config::BindMode::Tailnet;
    const std::string refusal =
        checkGuards(*config_, tailnet ? std::vector<std::string>{"127.0.0.1"} : bindHosts(*config_, ""),
                    options_.allowUnconfigured);
    if (!refusal.empty()) {
        // The reference prints the missing-config refusal bare; the others as log lines.
        if (refusal.rfind("Missing config.", 0) == 0)
            std::cerr << refusal << "\n";
        else
            log.error("", refusal);
        return kExitConfig;
    }
    return 0;
}

int GatewayLifecycle::checkExposureAvailable(const plugins::PluginHost& host) const {
    // The tailscale plugin, or any other enabled plugin that provides exposure.
    const bool tailnet = config_->bind == config::BindMode::Tailnet;
    const plugins::PluginRecord* ts = host.find("tailscale");
    bool exposureAvailable = false;
    for (const plugins::PluginRecord& r : host.records())
        if (r.enabled && r.state != plugins::PluginState::Shadowed &&
            std::find(r.manifest.capabilities.begin(), r.manifest.capabilities.end(), "exposure") !=
                r.manifest.capabilities.end())
            exposureAvailable = true;
    if (needsExposure() && !exposureAvailable) {
        log::Logger::get().error("", std::string("--tailscale/") +
                                         (tailnet ? "bind=tailnet" : "tailscale.mode") +
                                         " needs the tailscale plugin, which is " +
                                         (ts ? "disabled (" + ts->enabledReason + ")" : "not installed") +
                                         ". Enable it with plugins.entries.tailscale.enabled: true.");
        return kExitConfig;
    }
    return 0;
}

int GatewayLifecycle::loadPlugins(const std::atomic<int>* cancel) {
    createServer();
    plugins::LoadFilter forGateway;
    forGateway.skipCommandOnly = true; // an ssh tunnel is opened by CLI commands, never by a gateway
    host_->load(server_.get(), cancel, forGateway);
    if (stopAsked(cancel)) return kInterrupted;
    server_->attachPlugins();
    return checkAuthServed();
}

void GatewayLifecycle::createServer() {
    ServerSettings settings;
    settings.port = config_->port;
    settings.wsLog = options_.wsLog;
    settings.rawStreamPath = options_.rawStreamPath;
    settings.tickIntervalMs = options_.tickIntervalMs;
    settings.pingIntervalMs = options_.pingIntervalMs;
    // The server exists before the plugins so that their create() already has host services.
    server_ = std::make_unique<GatewayServer>(config_, *host_, settings);
    server_->onPluginStateChanged([this](const std::string& id) { onPluginStateChanged(id); });
}

int GatewayLifecycle::checkAuthServed() const {
    // Every mode but none needs a plugin that serves it; a start that would refuse every client is
    // refused itself.
    const config::AuthMode mode = config_->auth.mode;
    if (mode == config::AuthMode::None || host_->authPlugin(mode)) return 0;
    const std::string id = std::string("auth-") + config::nameOf(mode);
    log::Logger::get().error(
        "", std::string("auth mode ") + config::nameOf(mode) + " is not served by any enabled plugin (" +
                (host_->find(id) ? "enable " + id + " with plugins.entries." + id + ".enabled: true"
                                 : "no installed plugin provides it") +
                "; see `openclaw plugins list`).");
    return kExitConfig;
}

std::string GatewayLifecycle::tailnetAddress() const {
    plugins::LoadedPlugin* exposure = host_->withCapability(OC_CAP_EXPOSURE);
    std::string address = exposure ? exposure->resolveBind() : "";
    if (address.empty())
        log::Logger::get().warn("gateway",
                                "bind=tailnet: no tailnet address available; listening on loopback only");
    return address;
}

void GatewayLifecycle::stopPortOwners() const {
    for (const net::PortOwner& o : net::findPortOwners(config_->port)) {
        if (o.pid == ::getpid()) continue;
        process::stop(o.pid, std::chrono::seconds(3));
        log::Logger::get().info("gateway", "--force: stopped pid " + std::to_string(o.pid) + " (" +
                                               o.command + ") listening on " + o.address);
    }
}

int GatewayLifecycle::serveTls() {
    auto& log = log::Logger::get();
    try {
        tls::TlsMaterial material = tls::ensureCertificate(config_->tls, config_->paths.stateDir);
        if (material.generated)
            log.info("gateway", "generated a self-signed TLS certificate: " + material.certPath);
        log.info("gateway",
                 "TLS enabled; certificate sha256 " + material.sha256 + " (" + material.certPath + ")");
        server_->setTls(material);
        return 0;
    } catch (const std::exception& e) {
        log.error("gateway", e.what());
        return kExitConfig;
    }
}

int GatewayLifecycle::bind() {
    hosts_ = bindHosts(*config_, config_->bind == config::BindMode::Tailnet ? tailnetAddress() : "");
    if (options_.force) stopPortOwners();
    log::Logger::get().info("gateway", "starting...");
    server_->setHosts(hosts_);
    if (config_->tls.enabled)
        if (int rc = serveTls(); rc != 0) return rc;
    try {
        server_->start();
    } catch (const std::exception& e) {
        log::Logger::get().error("gateway", e.what());
        return 1;
    }
    return 0;
}

void GatewayLifecycle::startExposure() {
    if (config_->tailscale.mode == config::TailscaleMode::Off) return;
    plugins::LoadedPlugin* exposure = host_->withCapability(OC_CAP_EXPOSURE);
    const std::string mode = config::nameOf(config_->tailscale.mode);
    if (!exposure) {
        log::Logger::get().warn("tailscale", "tailscale " + mode + ": no exposure plugin is loaded");
        return;
    }
    json::ObjectPtr req = json::makeObject();
    req->set("port", config_->port);
    req->set("mode", mode);
    req->set("resetOnExit", config_->tailscale.resetOnExit);
    auto r = exposure->exposureStart(json::stringify(req));
    std::lock_guard<std::mutex> lock(orchestration_);
    exposureAttempted_ = true; // a failed start is reset on exit too: it may have changed something
    exposureStarted_ = r.status == OC_OK;
    if (!exposureStarted_) {
        log::Logger::get().warn("tailscale", "tailscale " + mode + " failed: " + r.errorText() +
                                                 " (the gateway keeps running on loopback)");
        return;
    }
    readExposureFacts();
}

void GatewayLifecycle::readExposureFacts() {
    plugins::LoadedPlugin* exposure = host_ ? host_->withCapability(OC_CAP_EXPOSURE) : nullptr;
    if (!exposure) return;
    const auto r = exposure->exposureStatus();
    if (r.status != OC_OK) return;
    const std::optional<json::Var> status = json::tryParse(r.result);
    json::ObjectPtr facts = status ? json::asObject(*status) : nullptr;
    if (!facts) {
        log::Logger::get().warn(exposure->record().manifest.id,
                                "exposure status is not a JSON object; ignored");
        return;
    }
    tailnetDns_ = json::getString(facts, "dnsName").value_or("");
    tailnetIPv4_ = json::getString(facts, "address").value_or("");
}

void GatewayLifecycle::advertise() {
    std::lock_guard<std::mutex> lock(orchestration_);
    advertiseLocked();
}

void GatewayLifecycle::advertiseLocked() {
    plugins::LoadedPlugin* discovery = host_->withCapability(OC_CAP_DISCOVERY);
    if (!discovery) return;
    auto r = discovery->advertise(json::stringify(beacon()));
    advertised_ = r.status == OC_OK;
    if (!advertised_)
        log::Logger::get().warn(discovery->record().manifest.id,
                                "advertising failed: " + r.errorText() + " (the gateway keeps serving)");
}

json::ObjectPtr GatewayLifecycle::beacon() const {
    json::ObjectPtr b = json::makeObject();
    b->set("gatewayPort", config_->port);
    b->set("gatewayTls", config_->tls.enabled);
    if (server_ && !server_->tlsFingerprint().empty()) b->set("gatewayTlsSha256", server_->tlsFingerprint());
    if (!tailnetDns_.empty()) b->set("tailnetDns", tailnetDns_);
    const std::string ipv4 = tailnetIPv4_.empty() ? net::tailnetIPv4() : tailnetIPv4_;
    if (!ipv4.empty()) b->set("tailnetIPv4", ipv4);
    b->set("mdnsMode", std::string(config::nameOf(config_->discovery.mdnsMode)));
    if (!config_->discovery.wideAreaDomain.empty())
        b->set("wideAreaDomain", config_->discovery.wideAreaDomain);
    b->set("sshPort", std::atoi(env_.get("OPENCLAW_SSH_PORT").value_or("22").c_str()));
    std::string cli = env_.get("OPENCLAW_CLI_PATH").value_or("");
    if (cli.empty()) {
        char exe[4096] = {};
        const ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
        if (n > 0) cli.assign(exe, static_cast<size_t>(n));
    }
    b->set("cliPath", cli);
    b->set("stateDir", config_->paths.stateDir);
    return b;
}

void GatewayLifecycle::onPluginStateChanged(const std::string& pluginId) {
    std::lock_guard<std::mutex> lock(orchestration_);
    if (!serving_) return; // starting or stopping: the phases read everything anyway
    log::Logger::get().debug("gateway",
                             pluginId + " reported a change; re-reading the exposure and the beacon");
    readExposureFacts();
    if (config_->bind == config::BindMode::Tailnet) addTailnetListener();
    if (advertised_) advertiseLocked();
}

void GatewayLifecycle::addTailnetListener() {
    // bind=tailnet started on loopback only (no tailnet address yet): add the tailnet listener once the
    // exposure plugin names the address, where the reference needs a restart.
    plugins::LoadedPlugin* exposure = host_->withCapability(OC_CAP_EXPOSURE);
    const std::string address = exposure ? exposure->resolveBind() : "";
    if (address.empty() || std::find(hosts_.begin(), hosts_.end(), address) != hosts_.end()) return;
    try {
        server_->addListener(address);
        hosts_.push_back(address);
        log::Logger::get().info(
            "gateway", "bind=tailnet: the tailnet address appeared; now also listening on " +
                           joinHosts({address}, config_->port, config_->tls.enabled ? "wss://" : "ws://"));
    } catch (const std::exception& e) {
        log::Logger::get().warn("gateway", "bind=tailnet: cannot listen on the tailnet address: " +
                                               std::string(e.what()));
    }
}

void GatewayLifecycle::ready() {
    auto& log = log::Logger::get();
    std::string names;
    for (auto* p : host_->loaded())
        names += (names.empty() ? "" : ", ") + p->record().manifest.id;
    log.info("gateway", "listening on " +
                            joinHosts(hosts_, config_->port, config_->tls.enabled ? "wss://" : "ws://") +
                            " (auth=" + config::nameOf(config_->auth.mode) + "; " +
                            std::to_string(host_->loaded().size()) + " plugins: " + names + ")");
    log.info("gateway", "log file: " + log.filePath());
    log.info("gateway", "ready");
    {
        std::lock_guard<std::mutex> lock(orchestration_);
        serving_ = true;
    }
    // What start-up (or a reload) parsed and dropped (config, schema and manifest trees) lies in free chunks
    // below the heap's top, which malloc keeps mapped: hand those pages back now that the gateway is ready.
    ::malloc_trim(0);
}

int GatewayLifecycle::reload(const std::atomic<int>* stopRequested) {
    auto& log = log::Logger::get();
    if (!config_->restartCommandEnabled) {
        log.warn("gateway", "SIGUSR1 received but restart is disabled (commands.restart=false); ignoring");
        return 0;
    }
    log.info("gateway", "SIGUSR1: restarting in-process (re-reading config, reloading plugins, rebinding)");
    config::GatewayConfigPtr next;
    try {
        next = loadConfig();
    } catch (const std::exception& e) {
        log.error("gateway", std::string("restart aborted, config is invalid: ") + e.what() +
                                 " (still running with the previous config)");
        return 0;
    }
    // Discovered with the new config, not loaded: does it enable the plugins running now, unchanged?
    plugins::PluginHost candidate(next, options_.bundledPluginDirs);
    candidate.discover();
    int rc = 0;
    if (host_ && host_->canKeep(candidate)) {
        rc = restartKeepingPlugins(next, candidate, stopRequested);
    } else {
        log.info("gateway", "the plugins changed: destroying and loading them again");
        stop("restart");
        useConfig(next);
        rc = start(stopRequested);
    }
    if (rc == 0) announceReload();
    return rc;
}

void GatewayLifecycle::announceReload() {
    if (!server_) return;
    config::GatewayConfigPtr cfg = config_;
    server_->bridge().fire(plugins::HookKind::ConfigReload,
                           [&] { return json::stringify(config::redactSecrets(cfg->gatewaySection())); });
}

int GatewayLifecycle::restartKeepingPlugins(config::GatewayConfigPtr next,
                                            const plugins::PluginHost& candidate,
                                            const std::atomic<int>* stopRequested) {
    log::Logger::get().info("gateway", "keeping the plugins (reconfigured in place where they can be)");
    // The route stays when nothing it depends on changed (no reset/re-add churn on the tailnet).
    const bool keepRoute =
        exposureStarted_ && next->tailscale.mode == config_->tailscale.mode && next->port == config_->port;
    {
        std::lock_guard<std::mutex> lock(orchestration_);
        serving_ = false;
        if (!keepRoute) resetExposureLocked(true);
    }
    server_->stop("restart", 1012);
    host_->detachServices();
    server_.reset();
    hosts_.clear();
    useConfig(std::move(next));
    if (int rc = checkStartGuards(); rc != 0) return rc;
    if (int rc = checkExposureAvailable(*host_); rc != 0) return rc;
    createServer();
    host_->adoptReload(candidate, server_.get(), stopRequested);
    server_->attachPlugins();
    if (int rc = checkAuthServed(); rc != 0) return rc;
    if (stopAsked(stopRequested)) return kInterrupted;
    if (int rc = bind(); rc != 0) return rc;
    if (keepRoute) {
        std::lock_guard<std::mutex> lock(orchestration_);
        readExposureFacts();
    } else {
        startExposure();
    }
    advertise(); // a new beacon for the registration that stayed: no withdraw, no re-announce
    ready();
    return 0;
}

void GatewayLifecycle::stop(const std::string& reason) {
    withdrawAndReset();
    if (server_) server_->stop(reason, 1012);
    // Plugins go before the server: their destroy() may still call host services.
    if (host_) host_->unload();
    server_.reset();
    host_.reset();
    hosts_.clear();
}

void GatewayLifecycle::withdrawAndReset() {
    std::lock_guard<std::mutex> lock(orchestration_);
    serving_ = false;
    if (advertised_) {
        if (plugins::LoadedPlugin* discovery = host_->withCapability(OC_CAP_DISCOVERY)) {
            auto r = discovery->withdraw();
            if (r.status != OC_OK)
                log::Logger::get().warn(discovery->record().manifest.id, "withdraw failed: " + r.error);
        }
    }
    advertised_ = false;
    resetExposureLocked(config_ && config_->tailscale.resetOnExit); // no config: nothing was started
}

void GatewayLifecycle::resetExposureLocked(bool reset) {
    if (exposureAttempted_ && reset) {
        if (plugins::LoadedPlugin* exposure = host_->withCapability(OC_CAP_EXPOSURE)) {
            auto r = exposure->exposureStop();
            if (r.status != OC_OK) log::Logger::get().warn("tailscale", "reset failed: " + r.errorText());
        }
    }
    exposureStarted_ = false;
    exposureAttempted_ = false;
    tailnetDns_.clear();
    tailnetIPv4_.clear();
}

} // namespace openclaw::server
