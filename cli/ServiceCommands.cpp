// `gateway install | start | stop | restart | uninstall` (and the hidden `gateway supervise`).
#include "ServiceCommands.h"
#include "Args.h"
#include "Context.h"

#include "files/AtomicFile.h"
#include "service/CommandRunner.h"
#include "service/ServiceChoice.h"
#include "service/ServiceManager.h"
#include "service/Supervisor.h"
#include "version.h"

#include <fstream>
#include <iostream>
#include <sstream>
#include <unistd.h>

namespace openclaw::cli {

json::ObjectPtr serviceJson(const service::ServiceStatus& s) {
    json::ObjectPtr o = json::makeObject();
    o->set("label", s.installed ? s.label : std::string("not installed"));
    o->set("backend", s.backend);
    o->set("loaded", s.loaded);
    o->set("loadedText", std::string(s.backend == "systemd" ? "enabled" : "running"));
    o->set("notLoadedText", std::string(s.installed ? (s.backend == "systemd" ? "disabled" : "not running")
                                                    : "not installed"));
    o->set("file", s.installed ? json::Var(s.file) : json::Var());
    json::ObjectPtr rt = json::makeObject();
    rt->set("status", std::string(s.running ? "running" : s.installed ? "stopped" : "unknown"));
    rt->set("pid", s.pid ? json::Var(s.pid) : json::Var());
    rt->set("since", s.since.empty() ? json::Var() : json::Var(s.since));
    rt->set("lastExitStatus", s.lastExit ? json::Var(*s.lastExit) : json::Var());
    rt->set("restarts", s.restarts);
    rt->set("detail", s.detail);
    o->set("runtime", rt);
    o->set("logFile", s.logFile);
    o->set("configPath", s.configPath.empty() ? json::Var() : json::Var(s.configPath));
    return o;
}

namespace {

int report(const service::ActionResult& r, service::ServiceManager& m, bool asJson) {
    if (asJson) {
        json::ObjectPtr o = json::makeObject();
        o->set("ok", r.ok);
        o->set("action", r.action);
        o->set("result", r.result);
        o->set("message", r.message.empty() ? json::Var() : json::Var(r.message));
        if (!r.error.empty()) o->set("error", r.error);
        json::ArrayPtr hints = json::makeArray();
        for (const auto& h : r.hints)
            hints->add(h);
        o->set("hints", hints);
        json::ArrayPtr warnings = json::makeArray();
        for (const auto& w : r.warnings)
            warnings->add(w);
        o->set("warnings", warnings);
        o->set("service", serviceJson(m.status()));
        std::cout << json::stringify(o, 2) << "\n";
    } else {
        if (r.ok)
            std::cout << r.message << "\n";
        else
            std::cerr << r.error << "\n";
        for (const auto& w : r.warnings)
            std::cerr << "Warning: " << w << "\n";
        for (const auto& h : r.hints)
            std::cout << "Hint: " << h << "\n";
    }
    return r.ok ? 0 : 1;
}

const std::vector<OptionSpec> kInstallSpecs = {
    {"port", true, "port for the service's gateway (default: config)", "port"},
    {"runtime", true, "auto|systemd|supervisor (auto: systemd when `systemctl --user` works)", "runtime"},
    {"token", true, "gateway token, stored in a 0600 environment file (never in the unit)", "token"},
    {"force", false, "rewrite an installed service"},
    {"json", false, "machine-readable output"},
    {"help", false, "show this help"},
};
const std::vector<OptionSpec> kLifecycleSpecs = {
    {"runtime", true, "auto|systemd|supervisor (auto: whichever is installed)", "runtime"},
    {"json", false, "machine-readable output"},
    {"help", false, "show this help"},
};

int runSupervise(Context& ctx, size_t argIndex) {
    Args args = Args::parse(ctx.argv, argIndex, {{"service-dir", true, "service folder", "path"}});
    auto dir = args.value("service-dir");
    if (!dir)
        throw UsageError("gateway supervise needs --service-dir (it is started by `openclaw gateway start`)");
    return service::runSupervisor(*dir);
}

void printHelp(const std::string& action, bool install) {
    std::cout << renderHelp("openclaw gateway " + action + " [options]",
                            install ? "Installs the gateway as a background service (systemd user unit, or a "
                                      "portable\nsupervisor where systemd is absent) and starts it."
                                    : "Controls the installed gateway service.",
                            install ? kInstallSpecs : kLifecycleSpecs);
}

/// The config, or where it lives and why it is invalid: stop and uninstall must work with a broken config.
struct ServiceConfig {
    config::GatewayConfig cfg;
    std::string error;
};

ServiceConfig loadServiceConfig(Context& ctx) {
    ServiceConfig c;
    try {
        c.cfg = config::loadConfig(ctx.env, ctx.profile, {});
    } catch (const std::exception& e) {
        c.error = e.what();
        c.cfg.paths = config::resolvePaths(ctx.env, ctx.profile, &config::fileExists);
    }
    return c;
}

service::Runtime runtimeOption(const Args& args) {
    const std::string word = args.value("runtime").value_or("auto");
    const auto runtime = service::parseRuntime(word);
    if (!runtime)
        throw UsageError("option --runtime: \"" + word + "\" is not one of auto, systemd, supervisor");
    return *runtime;
}

service::ActionResult refusal(const std::string& action, const std::string& result, const std::string& error,
                              const std::string& hint) {
    service::ActionResult r;
    r.ok = false;
    r.action = action;
    r.result = result;
    r.error = error;
    r.hints.push_back(hint);
    return r;
}

int portOption(const Args& args, int configured) {
    const auto p = args.integer("port");
    if (!p) return configured;
    if (*p < 1 || *p > 65535)
        throw UsageError("option --port: " + std::to_string(*p) + " is not a port (1..65535)");
    return static_cast<int>(*p);
}

/// The secret goes to a 0600 file the service reads; never into the unit or the spec.
void storeToken(const service::ServiceSpec& spec, const std::string& token) {
    std::map<std::string, std::string> vars =
        service::parseEnvironmentFile(files::readWholeFile(spec.environmentFile).value_or(""));
    vars["OPENCLAW_GATEWAY_TOKEN"] = token;
    files::writeFileAtomic(spec.environmentFile, service::renderEnvironmentFile(vars), 0600);
}

int install(const Args& args, const config::GatewayConfig& cfg, service::ServiceManager& manager,
            bool asJson) {
    const int port = portOption(args, cfg.port);
    if (cfg.mode != config::GatewayMode::Local)
        return report(refusal("install", "refused",
                              "The service would not start: " + cfg.paths.configPath +
                                  " does not set gateway.mode=local.",
                              "set gateway.mode to \"local\" in " + cfg.paths.configPath),
                      manager, asJson);
    service::ServiceSpec spec =
        service::makeSpec(service::selfExecutable(), cfg.paths.profile, cfg.paths.stateDir,
                          cfg.paths.configPath, port, OPENCLAW_VERSION);
    if (auto token = args.value("token")) storeToken(spec, *token);
    return report(manager.install(spec, args.has("force")), manager, asJson);
}

} // namespace

int runService(Context& ctx, const std::string& action, size_t argIndex) {
    if (action == "supervise") return runSupervise(ctx, argIndex);
    const bool installing = action == "install";
    Args args = Args::parse(ctx.argv, argIndex, installing ? kInstallSpecs : kLifecycleSpecs);
    if (args.has("help")) {
        printHelp(action, installing);
        return 0;
    }
    const bool asJson = args.has("json");
    const ServiceConfig loaded = loadServiceConfig(ctx);
    service::ProcessRunner runner;
    auto manager = service::chooseServiceManager(ctx.env, loaded.cfg.paths, runtimeOption(args), runner);
    // Install, start and restart check the config first: a service started on an invalid config would only
    // exit 78.
    if (!loaded.error.empty() && (installing || action == "start" || action == "restart"))
        return report(
            refusal(action, "config-invalid",
                    "Refusing to " + action + ": the config is invalid: " + loaded.error,
                    "fix the config as the error says, then run `openclaw gateway " + action + "` again"),
            *manager, asJson);
    if (installing) return install(args, loaded.cfg, *manager, asJson);
    if (action == "start") return report(manager->start(), *manager, asJson);
    if (action == "stop") return report(manager->stop(), *manager, asJson);
    if (action == "restart") return report(manager->restart(), *manager, asJson);
    return report(manager->uninstall(), *manager, asJson);
}

} // namespace openclaw::cli
