#include "plugins/PluginHost.h"

#include <chrono>
#include <future>
#include <thread>

#include "config/Document.h"
#include "log/Logger.h"
#include "version.h"
#include "json/SchemaValidator.h"

#include <boost/dll/shared_library.hpp>

#include <algorithm>
#include <cstring>
#include <dirent.h>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace openclaw::plugins {

namespace {

bool isDir(const std::string& p) {
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error(path + ": cannot be read");
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void appendToString(void* ctx, const char* data, size_t len) {
    static_cast<std::string*>(ctx)->append(data, len);
}

log::Level toLevel(int level) {
    if (level >= OC_LOG_ERROR) return log::Level::Error;
    if (level >= OC_LOG_WARN) return log::Level::Warn;
    if (level >= OC_LOG_INFO) return log::Level::Info;
    return log::Level::Debug;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

const uint32_t kHostAbiVersions[] = {OC_ABI_VERSION};

} // namespace

/// Per-plugin state the C host API needs behind host_ctx.
struct LoadedPlugin::Impl {
    boost::dll::shared_library library;
    PluginServices* services = nullptr;
    config::GatewayConfigPtr config;
    std::string pluginId;
    std::string configJson;
};

LoadedPlugin::LoadedPlugin() : impl_(std::make_unique<Impl>()) {}

LoadedPlugin::~LoadedPlugin() {
    if (instance_ && descriptor_ && descriptor_->destroy) descriptor_->destroy(instance_);
    instance_ = nullptr;
    // impl_ (and the library) go last: the descriptor lives in the library's memory.
}

namespace {

template <class Fn> LoadedPlugin::CallResult callWith(Fn&& fn) {
    LoadedPlugin::CallResult r;
    oc_sink result{&r.result, appendToString};
    oc_sink error{&r.error, appendToString};
    r.status = fn(&result, &error);
    return r;
}

} // namespace

LoadedPlugin::CallResult LoadedPlugin::verifyAuth(const std::string& requestJson) const {
    if (!descriptor_->auth || !descriptor_->auth->verify) return {OC_ERR, "", "plugin has no auth.verify"};
    return callWith([&](oc_sink* res, oc_sink*) {
        return descriptor_->auth->verify(instance_, requestJson.c_str(), res);
    });
}

LoadedPlugin::CallResult LoadedPlugin::callMethod(const oc_method_def& def, const std::string& params) const {
    return callWith([&](oc_sink* res, oc_sink* err) {
        return def.handler(instance_, def.name, params.c_str(), res, err);
    });
}

LoadedPlugin::CallResult LoadedPlugin::exposureStart(const std::string& requestJson) const {
    if (!descriptor_->exposure) return {OC_ERR, "", "plugin has no exposure capability"};
    return callWith([&](oc_sink* res, oc_sink* err) {
        return descriptor_->exposure->start(instance_, requestJson.c_str(), res, err);
    });
}
LoadedPlugin::CallResult LoadedPlugin::exposureStop() const {
    if (!descriptor_->exposure) return {OC_ERR, "", "plugin has no exposure capability"};
    return callWith([&](oc_sink*, oc_sink* err) { return descriptor_->exposure->stop(instance_, err); });
}
std::string LoadedPlugin::resolveBind() const {
    if (!descriptor_->exposure || !descriptor_->exposure->resolve_bind) return "";
    const CallResult r =
        callWith([&](oc_sink* res, oc_sink*) { return descriptor_->exposure->resolve_bind(instance_, res); });
    if (r.status != OC_OK) return "";
    try {
        return json::getString(json::asObject(json::parse(r.result)), "address").value_or("");
    } catch (const std::exception& e) {
        log::Logger::get().warn(record_->manifest.id,
                                std::string("resolve_bind answered unreadable JSON: ") + e.what());
        return "";
    }
}
LoadedPlugin::CallResult LoadedPlugin::advertise(const std::string& beaconJson) const {
    if (!descriptor_->discovery) return {OC_ERR, "", "plugin has no discovery capability"};
    return callWith([&](oc_sink*, oc_sink* err) {
        return descriptor_->discovery->advertise(instance_, beaconJson.c_str(), err);
    });
}
LoadedPlugin::CallResult LoadedPlugin::withdraw() const {
    if (!descriptor_->discovery) return {OC_ERR, "", "plugin has no discovery capability"};
    return callWith([&](oc_sink*, oc_sink*) { return descriptor_->discovery->withdraw(instance_); });
}
LoadedPlugin::CallResult LoadedPlugin::browse(const std::string& requestJson) const {
    if (!descriptor_->discovery) return {OC_ERR, "", "plugin has no discovery capability"};
    return callWith([&](oc_sink* res, oc_sink* err) {
        return descriptor_->discovery->browse(instance_, requestJson.c_str(), res, err);
    });
}

// ---- host API trampolines (C callbacks; never throw) ----
namespace {

LoadedPlugin::Impl* implOf(void* ctx) {
    return static_cast<LoadedPlugin::Impl*>(ctx);
}

void hostLog(void* ctx, int level, const char* subsystem, const char* message) {
    try {
        std::string sub = subsystem && *subsystem ? subsystem : implOf(ctx)->pluginId;
        log::Logger::get().write(toLevel(level), sub, message ? message : "");
    } catch (const std::exception&) {
        // Logging itself failed (out of memory): there is nowhere left to report it, and the exception
        // must not cross into the plugin's C code.
    }
}

int hostGetConfig(void* ctx, const char* section, oc_sink* out) {
    try {
        LoadedPlugin::Impl* impl = implOf(ctx);
        std::string name = section ? section : "";
        std::string text;
        if (name == "plugin")
            text = impl->configJson;
        else if (name == "gateway")
            text = json::stringify(impl->config->gatewaySection());
        else if (name == "runtime")
            text = impl->services ? impl->services->runtimeJson() : "{}";
        else
            return OC_ERR_NOT_FOUND;
        if (out && out->write) out->write(out->ctx, text.data(), text.size());
        return OC_OK;
    } catch (...) {
        return OC_ERR;
    }
}

int hostEmit(void* ctx, const char* event, const char* payload) {
    try {
        LoadedPlugin::Impl* impl = implOf(ctx);
        if (!impl->services || !event) return OC_ERR;
        std::string p = payload ? payload : "null";
        json::parse(p); // refuse malformed JSON before it reaches any session
        return impl->services->emitEvent(event, p) ? OC_OK : OC_ERR;
    } catch (...) {
        return OC_ERR_INVALID;
    }
}

uint64_t hostAddTimer(void* ctx, uint32_t intervalMs, int repeat, oc_timer_fn fn, void* user) {
    try {
        LoadedPlugin::Impl* impl = implOf(ctx);
        if (!impl->services || !fn) return 0;
        return impl->services->addTimer(intervalMs, repeat != 0, [fn, user] { fn(user); });
    } catch (...) {
        return 0;
    }
}

void hostCancelTimer(void* ctx, uint64_t id) {
    try {
        LoadedPlugin::Impl* impl = implOf(ctx);
        if (impl->services) impl->services->cancelTimer(id);
    } catch (const std::exception& e) {
        // Must not cross into the plugin's C code; cancel has no error to return, so it is logged.
        log::Logger::get().error(implOf(ctx)->pluginId, std::string("cancel_timer failed: ") + e.what());
    }
}

} // namespace

// ---- PluginHost ----

PluginHost::PluginHost(config::GatewayConfigPtr config, std::vector<std::string> bundledDirs)
    : config_(std::move(config)), bundledDirs_(std::move(bundledDirs)) {}

PluginHost::~PluginHost() {
    unload();
}

std::string PluginHost::defaultBundledDir() {
    if (const char* env = std::getenv("OPENCLAW_BUNDLED_PLUGINS_DIR"); env && *env) return env;
    char buf[4096];
    ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0) return "";
    std::string exe(buf, static_cast<size_t>(n));
    std::string dir = exe.substr(0, exe.find_last_of('/'));
    return dir + "/../lib/openclaw/plugins";
}

void PluginHost::addManifest(const std::string& manifestPath, PluginOrigin origin) {
    Manifest m;
    try {
        m = parseManifest(readFile(manifestPath), manifestPath);
    } catch (const std::exception& e) {
        discoveryErrors_.push_back(e.what());
        return;
    }
    PluginRecord rec;
    rec.manifest = m;
    rec.origin = origin;
    rec.state = PluginState::Discovered;
    // Precedence is the scan order: an id already recorded wins (config paths, bundled, state dir).
    for (const PluginRecord& existing : records_) {
        if (existing.manifest.id == m.id && existing.state != PluginState::Shadowed) {
            rec.state = PluginState::Shadowed;
            rec.enabledReason = "shadowed by " + existing.manifest.manifestPath + " (" +
                                config::nameOf(existing.origin) + ", higher precedence)";
            break;
        }
    }
    records_.push_back(rec);
}

void PluginHost::scanRoot(const std::string& dir, PluginOrigin origin) {
    if (!isDir(dir)) return;
    std::string direct = dir + "/openclaw.plugin.json";
    if (config::fileExists(direct)) {
        addManifest(direct, origin);
        return;
    }
    std::vector<std::string> names;
    if (DIR* d = ::opendir(dir.c_str())) {
        while (dirent* e = ::readdir(d))
            if (e->d_name[0] != '.') names.push_back(e->d_name);
        ::closedir(d);
    }
    std::sort(names.begin(), names.end()); // deterministic order
    for (const std::string& n : names) {
        std::string manifest = dir + "/" + n + "/openclaw.plugin.json";
        if (config::fileExists(manifest)) addManifest(manifest, origin);
    }
}

void PluginHost::discover() {
    unload();
    records_.clear();
    discoveryErrors_.clear();
    const config::PluginsConfig& pc = config_->plugins;
    for (const std::string& p : pc.loadPaths) {
        if (!isDir(p))
            discoveryErrors_.push_back(p + ": plugins.load.paths entry is not a folder (fix or remove it)");
        scanRoot(p, PluginOrigin::Config);
    }
    for (const std::string& b : bundledDirs_)
        scanRoot(b, PluginOrigin::Bundled);
    scanRoot(config_->paths.pluginDir(), PluginOrigin::State);

    for (PluginRecord& rec : records_) {
        if (rec.state == PluginState::Shadowed) continue;
        const std::string& id = rec.manifest.id;
        auto entry = pc.entries.find(id);
        if (!pc.enabled) {
            rec.enabled = false;
            rec.enabledReason = "all plugins are off (plugins.enabled is false)";
        } else if (contains(pc.deny, id)) {
            rec.enabled = false;
            rec.enabledReason = "denied by plugins.deny";
        } else if (!pc.allow.empty() && !contains(pc.allow, id)) {
            rec.enabled = false;
            rec.enabledReason = "not in plugins.allow";
        } else if (entry != pc.entries.end() && entry->second.enabled) {
            rec.enabled = *entry->second.enabled;
            rec.enabledReason =
                std::string(rec.enabled ? "enabled" : "disabled") + " by plugins.entries." + id + ".enabled";
        } else {
            rec.enabled = rec.manifest.enabledByDefault;
            rec.enabledReason =
                rec.enabled ? "enabled by default"
                            : "disabled by default (enable with plugins.entries." + id + ".enabled: true)";
        }
        if (!rec.enabled) {
            rec.state = PluginState::Disabled;
            continue;
        }
        json::Var cfg = entry != pc.entries.end() && !entry->second.config.isEmpty()
                            ? entry->second.config
                            : json::Var(json::makeObject());
        auto violations = json::validateSchema(rec.manifest.configSchema, cfg);
        if (!violations.empty()) {
            std::string msg;
            for (const auto& v : violations) {
                if (!msg.empty()) msg += "; ";
                msg += "plugins.entries." + id + ".config" + (v.path.empty() ? "" : "." + v.path) + " " +
                       v.message;
            }
            rec.state = PluginState::Error;
            rec.error = "invalid config: " + msg;
            continue;
        }
        rec.configJson = json::stringify(cfg);
    }
}

namespace {

std::string joinNames(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v)
        s += (s.empty() ? "" : ",") + x;
    return s.empty() ? std::string("none") : s;
}

/// Why a binary's descriptor does not match its manifest or misses what it declares ("" when it is sound).
std::string descriptorProblem(const Manifest& m, const oc_plugin_descriptor& d) {
    // Every ABI-1 descriptor carries all v1 fields; later minor growth only appends.
    if (d.struct_size < sizeof(oc_plugin_descriptor) || !d.id || !d.create)
        return "descriptor is incomplete (no id or create function)";
    if (m.id != d.id) return "manifest id \"" + m.id + "\" disagrees with the binary's id \"" + d.id + "\"";
    uint32_t manifestCaps = 0;
    for (const auto& c : m.capabilities)
        manifestCaps |= capabilityBit(c);
    if (manifestCaps != d.capabilities)
        return "manifest capabilities [" + joinNames(m.capabilities) + "] disagree with the binary's [" +
               joinNames(capabilityNames(d.capabilities)) + "]";
    const bool authBad = (d.capabilities & OC_CAP_AUTH) && (!d.auth || !d.auth->verify || !d.auth->mode);
    const bool methodsBad = (d.capabilities & OC_CAP_METHODS) && !d.methods;
    if (authBad || methodsBad) return "a declared capability has no vtable";
    if ((d.capabilities & OC_CAP_AUTH) && !m.authMode.empty() && m.authMode != d.auth->mode)
        return "manifest authMode \"" + m.authMode + "\" disagrees with the binary's \"" + d.auth->mode +
               "\"";
    return "";
}

} // namespace

std::string PluginHost::openInto(PluginRecord& rec, LoadedPlugin& lp) {
    const Manifest& m = rec.manifest;
    const std::string path = m.libraryPath();
    if (m.abi != OC_ABI_VERSION)
        return m.manifestPath + ": plugin ABI " + std::to_string(m.abi) +
               " is not supported by this gateway (it speaks ABI " + std::to_string(OC_ABI_VERSION) + ")";
    try {
        lp.impl_->library.load(path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    } catch (const std::exception& e) {
        return path + ": cannot be loaded: " + e.what();
    }
    if (!lp.impl_->library.has(OPENCLAW_PLUGIN_ENTRY_SYMBOL))
        return path + ": missing entry point " + OPENCLAW_PLUGIN_ENTRY_SYMBOL +
               " (build it with OPENCLAW_PLUGIN(...) from openclaw/plugin.hpp)";
    auto entry =
        lp.impl_->library.get<int(const oc_abi_offer*, oc_abi_answer*)>(OPENCLAW_PLUGIN_ENTRY_SYMBOL);
    oc_abi_offer offer{sizeof(oc_abi_offer), kHostAbiVersions, 1, OPENCLAW_VERSION};
    oc_abi_answer answer{sizeof(oc_abi_answer), 0, nullptr};
    const int rc = entry(&offer, &answer);
    rec.binaryAbi = answer.abi_version;
    if (rc != OC_OK || answer.descriptor == nullptr)
        return path + ": the plugin implements ABI " + std::to_string(answer.abi_version) +
               ", this gateway speaks ABI " + std::to_string(OC_ABI_VERSION) +
               " (rebuild it against this SDK)";
    if (answer.abi_version != m.abi)
        return path + ": manifest says ABI " + std::to_string(m.abi) + " but the binary implements ABI " +
               std::to_string(answer.abi_version);
    if (std::string problem = descriptorProblem(m, *answer.descriptor); !problem.empty())
        return path + ": " + problem;
    lp.descriptor_ = answer.descriptor;
    lp.record_ = &rec;
    return "";
}

bool PluginHost::openBinary(PluginRecord& rec, std::unique_ptr<LoadedPlugin>& out) {
    std::unique_ptr<LoadedPlugin> lp(new LoadedPlugin());
    const std::string error = openInto(rec, *lp);
    if (!error.empty()) {
        rec.state = PluginState::Error;
        rec.error = error;
        return false;
    }
    rec.state = PluginState::Ready;
    out = std::move(lp);
    return true;
}

void PluginHost::check() {
    for (PluginRecord& rec : records_) {
        if (rec.state != PluginState::Discovered) continue;
        std::unique_ptr<LoadedPlugin> lp;
        openBinary(rec, lp); // the binary is closed again when lp goes out of scope
    }
}

namespace {

/// Waits for a create() to finish: true when it did within limitMs, false past it or once `cancel` is set.
bool waitForInit(std::future<void>& done, int limitMs, const std::atomic<int>* cancel) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(limitMs);
    while (std::chrono::steady_clock::now() < deadline) {
        if (cancel && cancel->load() != 0) return false;
        auto slice = std::min<std::chrono::steady_clock::duration>(
            std::chrono::milliseconds(50), deadline - std::chrono::steady_clock::now());
        if (done.wait_for(slice) == std::future_status::ready) return true;
    }
    return done.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
}

} // namespace

void PluginHost::load(PluginServices* services, const std::atomic<int>* cancel) {
    auto& log = log::Logger::get();
    for (const std::string& e : discoveryErrors_)
        log.warn("plugins", e);
    for (PluginRecord& rec : records_) {
        if (rec.state == PluginState::Error) log.warn("plugins", rec.manifest.id + ": " + rec.error);
        if (rec.state != PluginState::Discovered) continue;
        if (cancel && cancel->load() != 0) return;
        std::unique_ptr<LoadedPlugin> lp;
        if (!openBinary(rec, lp)) {
            log.warn("plugins", rec.manifest.id + ": " + rec.error + "; continuing without it");
            continue;
        }
        LoadedPlugin::Impl& impl = *lp->impl_;
        impl.services = services;
        impl.config = config_;
        impl.pluginId = rec.manifest.id;
        impl.configJson = rec.configJson;
        lp->api_ = oc_host_api{sizeof(oc_host_api), OC_ABI_VERSION, &impl,        hostLog,
                               hostGetConfig,       hostEmit,       hostAddTimer, hostCancelTimer};
        // create() runs on its own thread so that a plugin that hangs cannot hold the gateway: past
        // plugins.initTimeoutMs it is disabled and its thread (and library) are left alone for good.
        struct Init {
            std::string error;
            void* instance = nullptr;
            int rc = OC_ERR;
        };
        auto init = std::make_shared<Init>();
        std::packaged_task<void()> task([init, d = lp->descriptor_, api = &lp->api_, cfg = rec.configJson] {
            oc_sink errSink{&init->error, appendToString};
            try {
                init->rc = d->create(api, cfg.c_str(), &init->instance, &errSink);
            } catch (...) {
                // A C plugin must not throw; if one does, it is treated as a failed init.
                init->error = "an exception escaped create()";
                init->rc = OC_ERR;
            }
        });
        std::future<void> done = task.get_future();
        std::thread(std::move(task)).detach();
        const int limitMs = config_->plugins.initTimeoutMs;
        if (!waitForInit(done, limitMs, cancel)) {
            const bool cancelled = cancel && cancel->load() != 0;
            rec.state = PluginState::Error;
            rec.error = rec.manifest.libraryPath() +
                        (cancelled ? ": init abandoned (the gateway is stopping)"
                                   : ": init did not finish within " + std::to_string(limitMs) +
                                         " ms (plugins.initTimeoutMs)");
            if (!cancelled)
                log.error("plugins",
                          rec.manifest.id + ": " + rec.error + "; the gateway carries on without it");
            // Its thread still runs plugin code: keep the library mapped and its host data alive.
            static auto* abandoned = new std::vector<std::unique_ptr<LoadedPlugin>>();
            abandoned->push_back(std::move(lp));
            continue;
        }
        const std::string error = init->error;
        void* instance = init->instance;
        const int rc = init->rc;
        if (rc != OC_OK || instance == nullptr) {
            rec.state = PluginState::Error;
            rec.error =
                rec.manifest.libraryPath() + ": init failed: " + (error.empty() ? "no reason given" : error);
            log.warn("plugins", rec.manifest.id + ": " + rec.error + "; continuing without it");
            continue;
        }
        lp->instance_ = instance;
        rec.state = PluginState::Loaded;
        log.debug("plugins", "loaded " + rec.manifest.id + " " + rec.manifest.version + " from " +
                                 rec.manifest.libraryPath());
        loaded_.push_back(std::move(lp));
    }
}

void PluginHost::unload() {
    while (!loaded_.empty()) {
        PluginRecord* rec = const_cast<PluginRecord*>(loaded_.back()->record_);
        loaded_.pop_back();
        if (rec && rec->state == PluginState::Loaded) rec->state = PluginState::Discovered;
    }
}

std::vector<LoadedPlugin*> PluginHost::loaded() const {
    std::vector<LoadedPlugin*> out;
    for (const auto& p : loaded_)
        out.push_back(p.get());
    return out;
}

LoadedPlugin* PluginHost::authPlugin(config::AuthMode mode) const {
    const char* name = config::nameOf(mode);
    for (const auto& p : loaded_)
        if (p->descriptor_->auth && p->descriptor_->auth->mode &&
            std::strcmp(name, p->descriptor_->auth->mode) == 0)
            return p.get();
    return nullptr;
}

LoadedPlugin* PluginHost::withCapability(uint32_t cap) const {
    for (const auto& p : loaded_)
        if (p->descriptor_->capabilities & cap) return p.get();
    return nullptr;
}

const PluginRecord* PluginHost::find(const std::string& id) const {
    for (const auto& r : records_)
        if (r.manifest.id == id && r.state != PluginState::Shadowed) return &r;
    return nullptr;
}

} // namespace openclaw::plugins
