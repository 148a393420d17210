// `gateway status`: parses its options, has core build the report (report/StatusReport), and renders it
// as the reference's text or JSON. Exit 0 even when unreachable, unless --require-rpc.
#include "Args.h"
#include "Context.h"
#include "ProbeRender.h"
#include "RemoteTunnel.h"
#include "ServiceCommands.h"
#include "TargetOptions.h"
#include "Terminal.h"

#include "report/StatusReport.h"
#include "version.h"

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

json::ObjectPtr configJson(const report::StatusReport& r) {
    const report::DiagnosticConfig& d = r.config;
    json::ObjectPtr config = json::makeObject();
    json::ObjectPtr cli = json::makeObject();
    cli->set("path", d.cfg.paths.configPath);
    cli->set("exists", d.cfg.fileExists);
    cli->set("valid", d.valid);
    if (!d.valid) cli->set("error", d.error);
    config->set("cli", cli);
    if (!r.service.configPath.empty()) {
        json::ObjectPtr daemon = json::makeObject();
        daemon->set("path", r.service.configPath);
        daemon->set("exists", config::fileExists(r.service.configPath));
        config->set("daemon", daemon);
        config->set("mismatch", r.service.configPath != d.cfg.paths.configPath);
    } else {
        config->set("daemon", json::Var());
    }
    return config;
}

json::ObjectPtr gatewayJson(const report::StatusReport& r) {
    const config::GatewayConfig& cfg = r.config.cfg;
    json::ObjectPtr gw = json::makeObject();
    gw->set("bindMode", std::string(config::nameOf(cfg.bind)));
    gw->set("bindHost", r.bindHost);
    gw->set("port", cfg.port);
    gw->set("portSource", cfg.portSource);
    gw->set("probeUrl", r.probeTarget.url);
    json::ObjectPtr links = json::makeObject();
    links->set("httpUrl", r.httpUrl);
    links->set("wsUrl", r.wsUrl);
    gw->set("controlUiLinks", links);
    gw->set("version", r.probe && r.probe->connectOk ? json::Var(r.probe->serverVersion) : json::Var());
    if (r.tailnet) gw->set("tailscale", tailnetJson(*r.tailnet));
    return gw;
}

json::ObjectPtr portJson(const report::StatusReport& r) {
    json::ObjectPtr port = json::makeObject();
    port->set("port", r.config.cfg.port);
    port->set("status", std::string(r.listeners.empty() ? "free" : "busy"));
    json::ArrayPtr ls = json::makeArray();
    for (const auto& l : r.listeners) {
        json::ObjectPtr o = json::makeObject();
        o->set("pid", l.pid);
        o->set("command", l.command);
        o->set("address", l.address);
        o->set("commandLine", l.commandLine);
        ls->add(o);
    }
    port->set("listeners", ls);
    port->set("hints", json::makeArray());
    return port;
}

json::ObjectPtr rpcJson(const report::StatusReport& r) {
    const client::ProbeResult& probe = *r.probe;
    json::ObjectPtr rpc = json::makeObject();
    rpc->set("ok", probe.connectOk);
    rpc->set("kind", std::string("connect"));
    rpc->set("capability", probe.capability);
    json::ObjectPtr t = targetJson(probe);
    rpc->set("auth", t->get("auth"));
    rpc->set("server", t->get("server"));
    rpc->set("version", probe.serverVersion.empty() ? json::Var() : json::Var(probe.serverVersion));
    rpc->set("url", r.probeTarget.url);
    if (!probe.connectOk) rpc->set("error", probe.error);
    if (r.readProbe) {
        json::ObjectPtr read = json::makeObject();
        read->set("ok", r.readProbe->rpcOk);
        if (!r.readProbe->rpcOk) read->set("error", r.readProbe->error);
        rpc->set("read", read);
    }
    return rpc;
}

json::ArrayPtr othersJson(const report::StatusReport& r) {
    json::ArrayPtr out = json::makeArray();
    for (const auto& o : r.others) {
        json::ObjectPtr e = json::makeObject();
        e->set("kind", o.kind);
        e->set("label", o.label);
        e->set("detail", o.detail);
        out->add(e);
    }
    return out;
}

void renderJson(const report::StatusReport& r, const Context& ctx) {
    json::ObjectPtr out = json::makeObject();
    json::ObjectPtr cli = json::makeObject();
    cli->set("version", std::string(OPENCLAW_VERSION));
    cli->set("entrypoint", ctx.argv.empty() ? std::string() : ctx.argv[0]);
    out->set("cli", cli);
    out->set("logFile", r.config.cfg.paths.logFile());
    out->set("service", serviceJson(r.service));
    out->set("config", configJson(r));
    out->set("gateway", gatewayJson(r));
    out->set("port", portJson(r));
    if (r.probe) out->set("rpc", rpcJson(r));
    out->set("extraServices", othersJson(r));
    std::cout << json::stringify(out, 2) << "\n";
}

void renderService(const service::ServiceStatus& svc, const Paint& paint) {
    if (!svc.installed) {
        std::cout << "Service: not installed (install one with `openclaw gateway install`)\n";
        return;
    }
    const std::string loadedText = svc.backend == "systemd" ? (svc.loaded ? "enabled" : "disabled")
                                                            : (svc.loaded ? "running" : "not running");
    std::cout << "Service: " << svc.label << " (" << loadedText << ")\n"
              << "Service file: " << svc.file << "\n"
              << "Runtime: " << (svc.running ? paint.ok("running") : paint.warn("stopped"));
    if (svc.pid) std::cout << " (pid " << svc.pid << (svc.since.empty() ? "" : ", since " + svc.since) << ")";
    if (svc.restarts) std::cout << ", restarts " << svc.restarts;
    if (svc.lastExit) std::cout << ", last exit " << *svc.lastExit;
    std::cout << "\n";
    if (!svc.detail.empty()) std::cout << "Service note: " << svc.detail << "\n";
    std::cout << "Service logs: " << svc.logFile << "\n";
}

void renderConfig(const report::StatusReport& r, const Paint& paint) {
    const report::DiagnosticConfig& d = r.config;
    std::cout << "File logs: " << d.cfg.paths.logFile() << "\n\n"
              << "Config (cli): " << d.cfg.paths.configPath << (d.cfg.fileExists ? "" : " (missing)")
              << (d.valid ? "" : " " + paint.bad("(invalid)")) << "\n";
    if (!d.valid) std::cout << "  " << d.error << "\n";
    if (!r.service.installed || r.service.configPath.empty()) return;
    std::cout << "Config (service): " << r.service.configPath << "\n";
    if (r.configMismatch())
        std::cout
            << paint.warn("Root cause: CLI and service are using different config paths.") << "\n"
            << "Fix: rerun `openclaw gateway install --force` from the profile the service should use.\n";
}

void renderGateway(const report::StatusReport& r) {
    const config::GatewayConfig& cfg = r.config.cfg;
    std::cout << "\nGateway: bind=" << config::nameOf(cfg.bind) << " (" << r.bindHost
              << "), port=" << cfg.port << " (" << cfg.portSource << ")\n"
              << "Probe target: " << r.probeTarget.url << "\n"
              << "Dashboard: " << r.httpUrl << "\n";
    if (r.tailnet) std::cout << tailnetLine(*r.tailnet) << "\n";
    if (cfg.bind == config::BindMode::Loopback)
        std::cout << "Probe note: Loopback-only gateway; only local clients can connect.\n";
    std::cout << "\nCLI version: " << OPENCLAW_VERSION << " (native " << OPENCLAW_NATIVE_VERSION << ")\n";
    if (r.probe && r.probe->connectOk) std::cout << "Gateway version: " << r.probe->serverVersion << "\n";
    std::cout << "\n";
}

void renderProbes(const report::StatusReport& r, const Paint& paint) {
    if (!r.probe) {
        std::cout << "Connectivity probe: skipped (--no-probe)\n";
    } else if (r.probe->connectOk) {
        std::cout << "Connectivity probe: " << paint.ok("ok") << " (" << r.probe->latencyMs.value_or(0)
                  << "ms)\n"
                  << "Capability: " << humanCapability(r.probe->capability, false) << "\n";
    } else {
        std::cout << "Capability: unknown\n";
        std::cerr << paint.bad("Connectivity probe: failed") << "\nProbe target: " << r.probeTarget.url
                  << "\n  " << r.probe->error << "\n";
    }
    if (!r.readProbe) return;
    if (r.readProbe->rpcOk)
        std::cout << "Read probe: " << paint.ok("ok") << "\n";
    else
        std::cerr << paint.bad("Read probe: failed") << "\nProbe target: " << r.probeTarget.url << "\n  "
                  << r.readProbe->error << "\n";
}

void renderListeners(const report::StatusReport& r, const Paint& paint) {
    std::cout << "\n";
    if (r.listeners.empty()) std::cout << "Listening: nothing on port " << r.config.cfg.port << "\n";
    for (const auto& l : r.listeners)
        std::cout << "Listening: " << l.address << " (pid " << l.pid << " " << l.command << ")\n";
    if (!r.deep) return;
    if (r.others.empty()) {
        std::cout << "Other gateway-like services: none found\n";
        return;
    }
    std::cout << paint.warn("Other gateway-like services detected (best effort):") << "\n";
    for (const auto& o : r.others)
        std::cout << "- " << o.label << " (" << o.kind << ", " << o.detail << ")\n";
    std::cout << "Cleanup hint: run a single gateway per machine unless you isolate profiles on purpose.\n";
}

void renderText(const report::StatusReport& r, const Paint& paint) {
    renderService(r.service, paint);
    renderConfig(r, paint);
    renderGateway(r);
    renderProbes(r, paint);
    renderListeners(r, paint);
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
    report::DiagnosticConfig diag = report::loadForDiagnostics(ctx.env, ctx.profile, portOverride(args));
    requireCredentialsForUrl(args, diag.cfg.paths.configPath);
    report::StatusRequest request;
    request.url = urlOption(args);
    request.credentials = credentialsOption(args);
    request.timeoutMs = timeoutOption(args, 10000);
    request.probe = !args.has("no-probe");
    request.requireRpc = args.has("require-rpc");
    request.deep = args.has("deep");
    std::unique_ptr<report::TunnelSession> tunnel; // closed when the command returns
    if (request.probe && diag.valid && usesRemoteTunnel(ctx, diag.cfg, request.url.has_value())) {
        tunnel = openRemoteTunnel(diag.cfg, request.timeoutMs);
        request.tunnel = tunnel->info();
    }
    report::StatusReport r = report::prepareStatus(std::move(diag), ctx.env, request);
    {
        Spinner spin(!asJson && request.probe, "Probing " + r.probeTarget.url + "…");
        report::runStatusProbes(r, request);
    }
    if (asJson)
        renderJson(r, ctx);
    else
        renderText(r, Paint(ctx.colorOut()));
    return r.requireFailed() ? 1 : 0;
}

} // namespace openclaw::cli
