// `gateway status` (service, config, bind/port, listeners, RPC probe) and `gateway probe`
// (every reachable gateway), with the reference's human and JSON output and exit codes.
#include "Args.h"
#include "Context.h"
#include "ServiceCommands.h"
#include "TargetOptions.h"
#include "Terminal.h"

#include "client/Probe.h"
#include "server/PortOwners.h"
#include "service/ServiceManager.h"
#include "tls/TlsModule.h"
#include "version.h"

#include <chrono>
#include <dirent.h>
#include <iostream>

namespace openclaw::cli {

namespace {

const std::vector<OptionSpec> kStatusSpecs = {
    {"url", true, "probe this URL instead of the configured one (needs --token or --password)", "url"},
    {"port", true, "local gateway port (default: config/env)", "port"},
    {"token", true, "gateway token for the probe", "token"},
    {"password", true, "gateway password for the probe", "password"},
    {"timeout", true, "probe timeout in ms (default 10000)", "ms"},
    {"tls-fingerprint", true, "pin the gateway's TLS certificate (SHA-256) for wss://", "sha256"},
    {"no-probe", false, "skip the RPC probe (service view only)"},
    {"deep", false, "also scan this machine for other gateway-like services"},
    {"require-rpc", false, "exit 1 when the read probe fails"},
    {"json", false, "machine-readable output"},
    {"help", false, "show this help"},
};

const std::vector<OptionSpec> kProbeSpecs = {
    {"url", true, "also probe this URL (needs --token or --password)", "url"},
    {"port", true, "local gateway port (default: config/env)", "port"},
    {"token", true, "gateway token (applies to every target)", "token"},
    {"password", true, "gateway password (applies to every target)", "password"},
    {"timeout", true, "overall budget in ms (default 3000)", "ms"},
    {"tls-fingerprint", true, "pin TLS certificates (SHA-256) for wss:// targets", "sha256"},
    {"ssh", true, "probe through an SSH tunnel user@host[:port] (needs the ssh-tunnel plugin)", "target"},
    {"ssh-identity", true, "SSH identity file", "path"},
    {"ssh-auto", false, "use the first discovered gateway host as SSH target"},
    {"json", false, "machine-readable output"},
    {"help", false, "show this help"},
};

std::string humanCapability(const std::string& c, bool target) {
    if (c == "connected_no_operator_scope") return target ? "connect-only" : "connected-no-operator-scope";
    std::string out = c;
    for (char& ch : out)
        if (ch == '_') ch = '-';
    return out;
}

/// Loads config for diagnostics: an invalid file is reported, not fatal.
struct DiagConfig {
    config::GatewayConfig cfg;
    bool valid = true;
    std::string error;
};

DiagConfig loadForDiagnostics(const Context& ctx, const config::Overrides& overrides) {
    DiagConfig d;
    try {
        d.cfg = config::loadConfig(ctx.env, ctx.profile, overrides);
    } catch (const std::exception& e) {
        d.valid = false;
        d.error = e.what();
        d.cfg.paths = config::resolvePaths(ctx.env, ctx.profile, &config::fileExists);
        d.cfg.fileExists = config::fileExists(d.cfg.paths.configPath);
        if (overrides.port) d.cfg.port = *overrides.port;
    }
    return d;
}

client::ProbeCredentials credentialsFrom(const Args& args) {
    client::ProbeCredentials c;
    c.token = args.value("token");
    c.password = args.value("password");
    c.tlsFingerprint = args.value("tls-fingerprint").value_or("");
    return c;
}

void requireCredentialsForUrl(const Args& args, const std::string& configPath) {
    if (urlOption(args) && !args.value("token") && !args.value("password")) {
        std::cerr
            << "gateway url override requires explicit credentials\n"
            << "Fix: pass --token or --password with --url.\n"
            << "For the default local or SSH-tunneled Gateway, remove --url to use the configured target.\n"
            << "Config: " << configPath << "\n";
        throw ExitCode{1};
    }
}

/// Unit files and processes on this machine that look like OpenClaw gateways (best effort).
json::ArrayPtr scanOtherGateways(int ownPort) {
    json::ArrayPtr out = json::makeArray();
    for (const server::PortOwner& o : server::findPortOwners(0)) {
        bool looksLike = o.command.find("openclaw") != std::string::npos ||
                         o.commandLine.find("openclaw") != std::string::npos;
        if (!looksLike || o.address.size() < 2) continue;
        std::string port = o.address.substr(o.address.rfind(':') + 1);
        if (port == std::to_string(ownPort)) continue;
        json::ObjectPtr e = json::makeObject();
        e->set("kind", std::string("process"));
        e->set("label", o.command);
        e->set("detail", "pid " + std::to_string(o.pid) + " listening on " + o.address);
        out->add(e);
    }
    const char* home = std::getenv("HOME");
    for (const std::string& dir : {std::string(home ? home : "") + "/.config/systemd/user",
                                   std::string("/etc/systemd/system"), std::string("/lib/systemd/system")}) {
        DIR* d = ::opendir(dir.c_str());
        if (!d) continue;
        while (dirent* f = ::readdir(d)) {
            std::string name = f->d_name;
            if (name.find("openclaw") == std::string::npos && name.find("clawdbot") == std::string::npos)
                continue;
            json::ObjectPtr e = json::makeObject();
            e->set("kind", std::string("unit"));
            e->set("label", name);
            e->set("detail", dir + "/" + name);
            out->add(e);
        }
        ::closedir(d);
    }
    return out;
}

} // namespace

int runStatus(Context& ctx, size_t argIndex) {
    Args args = Args::parse(ctx.argv, argIndex, kStatusSpecs);
    if (args.has("help")) {
        std::cout << renderHelp(
            "openclaw gateway status [options]",
            "Shows the gateway service, the config in use, bind/port, who listens on the port,\n"
            "and an RPC probe. Exits 0 even when the gateway is unreachable, unless --require-rpc.",
            kStatusSpecs);
        return 0;
    }
    const bool asJson = args.has("json");
    DiagConfig d = loadForDiagnostics(ctx, portOverride(args));
    const config::GatewayConfig& cfg = d.cfg;
    requireCredentialsForUrl(args, cfg.paths.configPath);
    Paint paint(ctx.colorOut() && !asJson);
    int timeoutMs = static_cast<int>(args.integer("timeout").value_or(10000));
    if (timeoutMs <= 0) throw UsageError("option --timeout: must be a positive number of milliseconds");

    std::string scheme = cfg.tls.enabled ? "wss" : "ws";
    std::string localUrl = scheme + "://127.0.0.1:" + std::to_string(cfg.port);
    auto targets = client::resolveProbeTargets(cfg, ctx.env, urlOption(args), credentialsFrom(args));
    client::ProbeTarget target = targets.front();
    if (target.id == "localLoopback" && cfg.tls.enabled && target.opts.tlsFingerprint.empty()) {
        try {
            config::TlsConfig noGenerate = cfg.tls;
            noGenerate.autoGenerate = false;
            target.opts.tlsFingerprint = tls::ensureCertificate(noGenerate, cfg.paths.stateDir).sha256;
        } catch (const std::exception&) {
        }
    }
    std::optional<client::ProbeResult> probe;
    std::optional<client::ProbeResult> readProbe;
    if (!args.has("no-probe")) {
        Spinner spin(!asJson, "Probing " + target.url + "…");
        probe = client::probeTarget(target, timeoutMs);
        if (args.has("require-rpc")) {
            // The read probe uses a cli-mode client with operator.read, so a healthy gateway passes it.
            client::ProbeTarget reader = target;
            reader.opts.clientMode = "cli";
            reader.opts.clientVersion.clear();
            reader.opts.minProtocol = 4;
            readProbe = client::probeTarget(reader, timeoutMs);
        }
    }
    std::vector<server::PortOwner> listeners = server::findPortOwners(cfg.port);
    json::ArrayPtr extra = args.has("deep") ? scanOtherGateways(cfg.port) : json::makeArray();
    const bool requireFailed = args.has("require-rpc") && (!readProbe || !readProbe->rpcOk);

    if (asJson) {
        json::ObjectPtr out = json::makeObject();
        json::ObjectPtr cli = json::makeObject();
        cli->set("version", std::string(OPENCLAW_VERSION));
        cli->set("entrypoint", ctx.argv.empty() ? std::string() : ctx.argv[0]);
        out->set("cli", cli);
        out->set("logFile", cfg.paths.logFile());
        json::ObjectPtr service = serviceStatusJson(ctx, cfg.paths, nullptr);
        out->set("service", service);
        json::ObjectPtr config = json::makeObject();
        json::ObjectPtr cliCfg = json::makeObject();
        cliCfg->set("path", cfg.paths.configPath);
        cliCfg->set("exists", cfg.fileExists);
        cliCfg->set("valid", d.valid);
        if (!d.valid) cliCfg->set("error", d.error);
        config->set("cli", cliCfg);
        json::ObjectPtr svc = json::asObject(service);
        if (auto daemonPath = json::getString(svc, "configPath")) {
            json::ObjectPtr daemon = json::makeObject();
            daemon->set("path", *daemonPath);
            daemon->set("exists", config::fileExists(*daemonPath));
            config->set("daemon", daemon);
            config->set("mismatch", *daemonPath != cfg.paths.configPath);
        } else {
            config->set("daemon", json::Var());
        }
        out->set("config", config);
        json::ObjectPtr gw = json::makeObject();
        gw->set("bindMode", cfg.bind);
        gw->set("bindHost", std::string(cfg.bind == "lan"      ? "0.0.0.0"
                                        : cfg.bind == "custom" ? cfg.customBindHost
                                                               : "127.0.0.1"));
        gw->set("port", cfg.port);
        gw->set("portSource", cfg.portSource);
        gw->set("probeUrl", target.url);
        json::ObjectPtr links = json::makeObject();
        links->set("httpUrl", std::string(cfg.tls.enabled ? "https" : "http") +
                                  "://127.0.0.1:" + std::to_string(cfg.port) + "/");
        links->set("wsUrl", localUrl);
        gw->set("controlUiLinks", links);
        gw->set("version", probe && probe->connectOk ? json::Var(probe->serverVersion) : json::Var());
        out->set("gateway", gw);
        json::ObjectPtr port = json::makeObject();
        port->set("port", cfg.port);
        port->set("status", std::string(listeners.empty() ? "free" : "busy"));
        json::ArrayPtr ls = json::makeArray();
        for (const auto& l : listeners) {
            json::ObjectPtr o = json::makeObject();
            o->set("pid", l.pid);
            o->set("command", l.command);
            o->set("address", l.address);
            o->set("commandLine", l.commandLine);
            ls->add(o);
        }
        port->set("listeners", ls);
        port->set("hints", json::makeArray());
        out->set("port", port);
        if (probe) {
            json::ObjectPtr rpc = json::makeObject();
            rpc->set("ok", probe->connectOk);
            rpc->set("kind", std::string("connect"));
            rpc->set("capability", probe->capability);
            json::ObjectPtr t = client::resultJson(*probe);
            rpc->set("auth", t->get("auth"));
            rpc->set("server", t->get("server"));
            rpc->set("version", probe->serverVersion.empty() ? json::Var() : json::Var(probe->serverVersion));
            rpc->set("url", target.url);
            if (!probe->connectOk) rpc->set("error", probe->error);
            if (readProbe) {
                json::ObjectPtr read = json::makeObject();
                read->set("ok", readProbe->rpcOk);
                if (!readProbe->rpcOk) read->set("error", readProbe->error);
                rpc->set("read", read);
            }
            out->set("rpc", rpc);
        }
        out->set("extraServices", extra);
        std::cout << json::stringify(out, 2) << "\n";
        return requireFailed ? 1 : 0;
    }

    service::ServiceStatus svc;
    serviceStatusJson(ctx, cfg.paths, &svc);
    if (!svc.installed) {
        std::cout << "Service: not installed (install one with `openclaw gateway install`)\n";
    } else {
        std::string loadedText = svc.backend == "systemd" ? (svc.loaded ? "enabled" : "disabled")
                                                          : (svc.loaded ? "running" : "not running");
        std::cout << "Service: " << svc.label << " (" << loadedText << ")\n"
                  << "Service file: " << svc.file << "\n"
                  << "Runtime: " << (svc.running ? paint.ok("running") : paint.warn("stopped"));
        if (svc.pid)
            std::cout << " (pid " << svc.pid << (svc.since.empty() ? "" : ", since " + svc.since) << ")";
        if (svc.restarts) std::cout << ", restarts " << svc.restarts;
        if (svc.lastExit) std::cout << ", last exit " << *svc.lastExit;
        std::cout << "\n";
        if (!svc.detail.empty()) std::cout << "Service note: " << svc.detail << "\n";
        std::cout << "Service logs: " << svc.logFile << "\n";
    }
    std::cout << "File logs: " << cfg.paths.logFile() << "\n\n"
              << "Config (cli): " << cfg.paths.configPath << (cfg.fileExists ? "" : " (missing)")
              << (d.valid ? "" : " " + paint.bad("(invalid)")) << "\n";
    if (!d.valid) std::cout << "  " << d.error << "\n";
    if (svc.installed && !svc.configPath.empty()) {
        std::cout << "Config (service): " << svc.configPath << "\n";
        if (svc.configPath != cfg.paths.configPath)
            std::cout
                << paint.warn("Root cause: CLI and service are using different config paths.") << "\n"
                << "Fix: rerun `openclaw gateway install --force` from the profile the service should use.\n";
    }
    std::cout << "\nGateway: bind=" << cfg.bind << " ("
              << (cfg.bind == "lan"      ? "0.0.0.0"
                  : cfg.bind == "custom" ? cfg.customBindHost
                                         : "127.0.0.1")
              << "), port=" << cfg.port << " (" << cfg.portSource << ")\n"
              << "Probe target: " << target.url << "\n"
              << "Dashboard: " << (cfg.tls.enabled ? "https" : "http") << "://127.0.0.1:" << cfg.port
              << "/\n";
    if (cfg.bind == "loopback")
        std::cout << "Probe note: Loopback-only gateway; only local clients can connect.\n";
    std::cout << "\nCLI version: " << OPENCLAW_VERSION << " (native " << OPENCLAW_NATIVE_VERSION << ")\n";
    if (probe && probe->connectOk) std::cout << "Gateway version: " << probe->serverVersion << "\n";
    std::cout << "\n";
    if (!probe) {
        std::cout << "Connectivity probe: skipped (--no-probe)\n";
    } else if (probe->connectOk) {
        std::cout << "Connectivity probe: " << paint.ok("ok") << " (" << probe->latencyMs.value_or(0)
                  << "ms)\n"
                  << "Capability: " << humanCapability(probe->capability, false) << "\n";
    } else {
        std::cout << "Capability: unknown\n";
        std::cerr << paint.bad("Connectivity probe: failed") << "\nProbe target: " << target.url << "\n  "
                  << probe->error << "\n";
    }
    if (readProbe) {
        if (readProbe->rpcOk)
            std::cout << "Read probe: " << paint.ok("ok") << "\n";
        else
            std::cerr << paint.bad("Read probe: failed") << "\nProbe target: " << target.url << "\n  "
                      << readProbe->error << "\n";
    }
    std::cout << "\n";
    if (listeners.empty()) {
        std::cout << "Listening: nothing on port " << cfg.port << "\n";
    } else {
        for (const auto& l : listeners)
            std::cout << "Listening: " << l.address << " (pid " << l.pid << " " << l.command << ")\n";
    }
    if (args.has("deep")) {
        if (extra->size() == 0) {
            std::cout << "Other gateway-like services: none found\n";
        } else {
            std::cout << paint.warn("Other gateway-like services detected (best effort):") << "\n";
            for (size_t i = 0; i < extra->size(); ++i) {
                json::ObjectPtr e = json::asObject(extra->get(static_cast<unsigned>(i)));
                std::cout << "- " << json::getString(e, "label").value_or("") << " ("
                          << json::getString(e, "kind").value_or("") << ", "
                          << json::getString(e, "detail").value_or("") << ")\n";
            }
            std::cout
                << "Cleanup hint: run a single gateway per machine unless you isolate profiles on purpose.\n";
        }
    }
    return requireFailed ? 1 : 0;
}

int runProbe(Context& ctx, size_t argIndex) {
    Args args = Args::parse(ctx.argv, argIndex, kProbeSpecs);
    if (args.has("help")) {
        std::cout << renderHelp(
            "openclaw gateway probe [options]",
            "Probes the configured remote and always the local loopback gateway, plus --url.\n"
            "Exits 0 when any target is reachable.",
            kProbeSpecs);
        return 0;
    }
    if (args.has("ssh") || args.has("ssh-auto") || args.has("ssh-identity"))
        throw UsageError(
            "--ssh, --ssh-identity and --ssh-auto need the ssh-tunnel plugin's tunnels, which are not "
            "implemented in this build yet");
    const bool asJson = args.has("json");
    DiagConfig d = loadForDiagnostics(ctx, portOverride(args));
    requireCredentialsForUrl(args, d.cfg.paths.configPath);
    int timeoutMs = static_cast<int>(args.integer("timeout").value_or(3000));
    if (timeoutMs <= 0) throw UsageError("option --timeout: must be a positive number of milliseconds");
    auto started = std::chrono::steady_clock::now();
    auto targets = client::resolveProbeTargets(d.cfg, ctx.env, urlOption(args), credentialsFrom(args));
    std::vector<client::ProbeResult> results;
    {
        Spinner spin(!asJson, "Probing " + std::to_string(targets.size()) + " target(s)…");
        results = client::probeAll(targets, timeoutMs);
    }
    long long took =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
            .count();
    std::string localUrl =
        std::string(d.cfg.tls.enabled ? "wss" : "ws") + "://127.0.0.1:" + std::to_string(d.cfg.port);
    json::ObjectPtr report = client::probeReport(results, timeoutMs, took, localUrl);
    const bool ok = json::getBool(report, "ok").value_or(false);
    if (asJson) {
        std::cout << json::stringify(report, 2) << "\n";
        return ok ? 0 : 1;
    }
    Paint paint(ctx.colorOut());
    std::cout << "Gateway Status\n"
              << "Reachable: " << (ok ? paint.ok("yes") : paint.bad("no")) << "\n"
              << "Capability: "
              << humanCapability(json::getString(report, "capability").value_or("unknown"), false) << "\n"
              << "Probe budget: " << timeoutMs << "ms\n\n";
    json::ArrayPtr warnings = json::getArray(report, "warnings");
    if (warnings && warnings->size()) {
        std::cout << paint.warn("Warning:") << "\n";
        for (size_t i = 0; i < warnings->size(); ++i)
            std::cout << "- "
                      << json::getString(json::asObject(warnings->get(static_cast<unsigned>(i))), "message")
                             .value_or("")
                      << "\n";
        std::cout << "\n";
    }
    std::cout << "Discovery (this machine)\n"
              << "Bonjour discovery is not available in this build yet (bonjour plugin pending).\n\n"
              << "Targets\n";
    for (const auto& r : results) {
        std::string label = r.target.id == "explicit"        ? "URL (explicit)"
                            : r.target.id == "localLoopback" ? "Local loopback"
                            : r.target.active                ? "Remote (configured)"
                                                             : "Remote (configured, inactive)";
        std::cout << label << " " << r.target.url << "\n";
        if (!r.connectOk) {
            std::cout << "  Connect: " << paint.bad("failed") << " - " << r.error
                      << " · Capability: " << humanCapability(r.capability, true) << "\n\n";
            continue;
        }
        std::cout << "  Connect: " << paint.ok("ok") << " (" << r.latencyMs.value_or(0)
                  << "ms) · Capability: " << humanCapability(r.capability, true) << " · Read probe: "
                  << (r.rpcOk          ? paint.ok("ok")
                      : r.scopeLimited ? "limited - " + r.error
                                       : paint.bad("failed") + " - " + r.error)
                  << "\n";
        if (r.rpcOk) {
            json::ObjectPtr self = json::asObject(r.self);
            if (self)
                std::cout << "  Gateway: " << json::getString(self, "host").value_or("?") << " ("
                          << json::getString(self, "ip").value_or("?") << ") · "
                          << json::getString(self, "platform").value_or("?") << " · app " << r.serverVersion
                          << "\n";
        }
        std::cout << "\n";
    }
    return ok ? 0 : 1;
}

} // namespace openclaw::cli
