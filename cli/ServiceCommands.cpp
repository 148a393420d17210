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

} // namespace

int runService(Context& ctx, const std::string& action, size_t argIndex) {
    if (action == "supervise") {
        Args args = Args::parse(ctx.argv, argIndex, {{"service-dir", true, "service folder", "path"}});
        auto dir = args.value("service-dir");
        if (!dir)
            throw UsageError(
                "gateway supervise needs --service-dir (it is started by `openclaw gateway start`)");
        return service::runSupervisor(*dir);
    }
    const bool install = action == "install";
    Args args = Args::parse(ctx.argv, argIndex, install ? kInstallSpecs : kLifecycleSpecs);
    if (args.has("help")) {
        std::cout << renderHelp(
            "openclaw gateway " + action + " [options]",
            install ? "Installs the gateway as a background service (systemd user unit, or a portable\n"
                      "supervisor where systemd is absent) and starts it."
                    : "Controls the installed gateway service.",
            install ? kInstallSpecs : kLifecycleSpecs);
        return 0;
    }
    const bool asJson = args.has("json");
    // Stop and uninstall must work with a broken config; install, start and restart check it first
    // (a service started on an invalid config would only exit 78).
    config::GatewayConfig cfg;
    std::string configError;
    try {
        cfg = config::loadConfig(ctx.env, ctx.profile, {});
    } catch (const std::exception& e) {
        configError = e.what();
        cfg.paths = config::resolvePaths(ctx.env, ctx.profile, &config::fileExists);
    }
    service::ProcessRunner runner;
    const std::string runtimeWord = args.value("runtime").value_or("auto");
    const auto runtime = service::parseRuntime(runtimeWord);
    if (!runtime)
        throw UsageError("option --runtime: \"" + runtimeWord + "\" is not one of auto, systemd, supervisor");
    auto manager = service::chooseServiceManager(ctx.env, cfg.paths, *runtime, runner);
    if (!configError.empty() && (action == "install" || action == "start" || action == "restart")) {
        service::ActionResult r;
        r.ok = false;
        r.action = action;
        r.result = "config-invalid";
        r.error = "Refusing to " + action + ": the config is invalid: " + configError;
        r.hints.push_back("fix the config as the error says, then run `openclaw gateway " + action +
                          "` again");
        return report(r, *manager, asJson);
    }
    if (!install) {
        if (action == "start") return report(manager->start(), *manager, asJson);
        if (action == "stop") return report(manager->stop(), *manager, asJson);
        if (action == "restart") return report(manager->restart(), *manager, asJson);
        return report(manager->uninstall(), *manager, asJson);
    }
    int port = cfg.port;
    if (auto p = args.integer("port")) {
        if (*p < 1 || *p > 65535)
            throw UsageError("option --port: " + std::to_string(*p) + " is not a port (1..65535)");
        port = static_cast<int>(*p);
    }
    if (cfg.mode != config::GatewayMode::Local) {
        service::ActionResult r;
        r.ok = false;
        r.action = "install";
        r.result = "refused";
        r.error =
            "The service would not start: " + cfg.paths.configPath + " does not set gateway.mode=local.";
        r.hints.push_back("set gateway.mode to \"local\" in " + cfg.paths.configPath);
        return report(r, *manager, asJson);
    }
    service::ServiceSpec spec =
        service::makeSpec(service::selfExecutable(), cfg.paths.profile, cfg.paths.stateDir,
                          cfg.paths.configPath, port, OPENCLAW_VERSION);
    if (auto token = args.value("token")) {
        // The secret goes to a 0600 file the service reads; never into the unit or the spec.
        std::map<std::string, std::string> vars;
        std::ifstream in(spec.environmentFile);
        std::stringstream ss;
        ss << in.rdbuf();
        vars = service::parseEnvironmentFile(ss.str());
        vars["OPENCLAW_GATEWAY_TOKEN"] = *token;
        files::writeFileAtomic(spec.environmentFile, service::renderEnvironmentFile(vars), 0600);
    }
    return report(manager->install(spec, args.has("force")), *manager, asJson);
}

} // namespace openclaw::cli
