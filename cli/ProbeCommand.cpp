// `gateway probe`: the configured remote, the local loopback gateway and --url, probed in parallel;
// rendered as the reference's text or JSON. Exit 0 when any target is reachable.
#include "Args.h"
#include "Context.h"
#include "ProbeRender.h"
#include "TargetOptions.h"
#include "Terminal.h"

#include "client/Probe.h"
#include "net/TailnetAddress.h"
#include "report/SshTunnel.h"
#include "report/StatusReport.h"

#include <algorithm>
#include <chrono>
#include <future>
#include <iostream>

namespace openclaw::cli {

namespace {

const std::vector<OptionSpec> kProbeSpecs = {
    {"url", true, "also probe this URL (needs --token or --password)", "url"},
    {"port", true, "local gateway port (default: config/env)", "port"},
    {"token", true, "gateway token (applies to every target)", "token"},
    {"password", true, "gateway password (applies to every target)", "password"},
    {"timeout", true, "overall budget in ms (default 3000)", "ms"},
    {"tls-fingerprint", true, "pin TLS certificates (SHA-256) for wss:// targets", "sha256"},
    {"ssh", true,
     "also probe through an SSH tunnel to user@host[:port] (default: gateway.remote.sshTarget); it forwards "
     "to "
     "the gateway port (--port, else gateway.port, OPENCLAW_GATEWAY_PORT, 18789) there",
     "target"},
    {"ssh-identity", true, "SSH identity file", "path"},
    {"ssh-auto", false, "use the first discovered gateway host as SSH target"},
    {"json", false, "machine-readable output"},
    {"help", false, "show this help"},
};

std::string targetLabel(const client::ProbeTarget& t) {
    if (t.id == "explicit") return "URL (explicit)";
    if (t.id == "localLoopback") return "Local loopback";
    if (t.id == "sshTunnel") return "Remote over SSH";
    return t.active ? "Remote (configured)" : "Remote (configured, inactive)";
}

void renderTarget(const client::ProbeResult& r, const Paint& paint) {
    std::cout << targetLabel(r.target) << " " << r.target.url << "\n";
    if (r.target.tunnel) std::cout << "  ssh: " << r.target.tunnel->target << "\n";
    if (!r.connectOk) {
        std::cout << "  Connect: " << paint.bad("failed") << " - " << r.error
                  << " · Capability: " << humanCapability(r.capability, true) << "\n\n";
        return;
    }
    std::cout << "  Connect: " << paint.ok("ok") << " (" << r.latencyMs.value_or(0)
              << "ms) · Capability: " << humanCapability(r.capability, true) << " · Read probe: "
              << (r.rpcOk          ? paint.ok("ok")
                  : r.scopeLimited ? "limited - " + r.error
                                   : paint.bad("failed") + " - " + r.error)
              << "\n";
    if (json::ObjectPtr self = r.rpcOk ? json::asObject(r.self) : nullptr)
        std::cout << "  Gateway: " << json::getString(self, "host").value_or("?") << " ("
                  << json::getString(self, "ip").value_or("?") << ") · "
                  << json::getString(self, "platform").value_or("?") << " · app " << r.serverVersion << "\n";
    std::cout << "\n";
}

void renderText(const client::ProbeReport& report, const report::DiscoveryResult& found, const Paint& paint) {
    std::cout << "Gateway Status\n"
              << "Reachable: " << (report.ok ? paint.ok("yes") : paint.bad("no")) << "\n"
              << "Capability: " << humanCapability(report.capability, false) << "\n"
              << "Probe budget: " << report.timeoutMs << "ms\n\n";
    if (!report.warnings.empty()) {
        std::cout << paint.warn("Warning:") << "\n";
        for (const auto& w : report.warnings)
            std::cout << "- " << w.message << "\n";
        std::cout << "\n";
    }
    renderDiscovery(found);
    std::cout << "Targets\n";
    for (const auto& r : report.targets)
        renderTarget(r, paint);
}

/// Whether gateway.remote.sshTarget/sshIdentity apply: as in the reference, --port alone (no --url) means
/// "probe the gateway on this port", not the configured remote.
bool usesConfiguredRemote(const Args& args) {
    return !args.has("port") || args.has("url");
}

/// The SSH target: --ssh, else gateway.remote.sshTarget, else (--ssh-auto) the first discovered beacon's
/// resolved host as $USER@host[:sshPort]. "" when there is none.
std::string sshTarget(const Args& args, const config::GatewayConfig& cfg, const config::Environment& env,
                      const report::DiscoveryResult* found) {
    if (auto t = args.value("ssh")) return *t;
    if (usesConfiguredRemote(args) && !cfg.remote.sshTarget.empty()) return cfg.remote.sshTarget;
    if (!found || found->beacons.empty()) return "";
    const report::DiscoveredBeacon& b = found->beacons.front();
    const std::string user = env.get("USER").value_or("");
    const int sshPort = b.sshPort.value_or(22);
    return (user.empty() ? "" : user + "@") + (b.host.empty() ? b.lanHost : b.host) +
           (sshPort != 22 ? ":" + std::to_string(sshPort) : "");
}

/// Opens the probe's SSH tunnel when there is a target; nothing (and `error` when one was asked for)
/// otherwise.
std::unique_ptr<report::TunnelSession> openProbeTunnel(const Args& args, const config::GatewayConfigPtr& cfg,
                                                       const config::Environment& env,
                                                       const report::DiscoveryResult* found, int timeoutMs,
                                                       std::string& error) {
    report::TunnelRequest req;
    // The reference's probe: the gateway port of this config (--port, gateway.port, OPENCLAW_GATEWAY_PORT,
    // 18789) on the far side, and the same port preferred here; gateway.remote.remotePort is for the
    // remote transport only.
    req.remotePort = cfg->port;
    req.localPort = cfg->port;
    req.target = sshTarget(args, *cfg, env, found);
    if (req.target.empty()) {
        if (args.has("ssh-auto"))
            error = "--ssh-auto: no gateway beacon was discovered to take the SSH host from";
        return nullptr;
    }
    req.identity =
        args.value("ssh-identity").value_or(usesConfiguredRemote(args) ? cfg->remote.sshIdentity : "");
    req.configTimeoutMs = std::min(800, timeoutMs);
    req.startTimeoutMs = std::min(1500, timeoutMs);
    return report::TunnelSession::open(cfg, req, error);
}

/// A probe through the tunnel that could not connect says what it went through and what to check.
void explainTunnelFailures(std::vector<client::ProbeResult>& results) {
    for (client::ProbeResult& r : results)
        if (r.target.tunnel && !r.connectOk)
            r.error +=
                " (through the SSH tunnel to " + r.target.tunnel->target +
                ": is a gateway listening on 127.0.0.1:" + std::to_string(r.target.tunnel->remotePort) +
                " there? pass --port or set gateway.port)";
}

/// The warnings and this machine's addresses that the report carries beside the probes.
void addLocalFacts(client::ProbeReport& report, const config::GatewayConfig& cfg,
                   const std::string& tunnelError) {
    if (!tunnelError.empty())
        report.warnings.insert(
            report.warnings.begin(),
            client::ProbeWarning{"ssh_tunnel_failed", "SSH tunnel failed: " + tunnelError, {"sshTunnel"}});
    report.tailnetIPv4 = net::tailnetIPv4();
    if (!report.tailnetIPv4.empty())
        report.localTailnetUrl = std::string(cfg.tls.enabled ? "wss" : "ws") + "://" + report.tailnetIPv4 +
                                 ":" + std::to_string(cfg.port);
}

void printProbe(const client::ProbeReport& report, const report::DiscoveryResult& found,
                const std::optional<report::TailnetFacts>& tailnet, bool asJson, const Paint& paint) {
    if (asJson) {
        json::ObjectPtr out = probeReportJson(report);
        if (tailnet) json::getObject(out, "network")->set("tailscale", tailnetJson(*tailnet));
        out->set("discovery", discoveryJson(found));
        std::cout << json::stringify(out, 2) << "\n";
        return;
    }
    renderText(report, found, paint);
    if (tailnet) std::cout << tailnetLine(*tailnet) << "\n";
}

} // namespace

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
    const bool asJson = args.has("json");
    report::DiagnosticConfig d = report::loadForDiagnostics(ctx.env, ctx.profile, portOverride(args));
    requireCredentialsForUrl(args, d.cfg.paths.configPath);
    const int timeoutMs = timeoutOption(args, 3000);
    const auto started = std::chrono::steady_clock::now();
    const auto cfg = std::make_shared<const config::GatewayConfig>(d.cfg);
    Spinner spin(!asJson, "Probing…");
    // Discovery runs beside the probes, on its own budget (the reference's min(1200, overall)); --ssh-auto
    // needs its answer before the tunnel.
    auto discovery = std::async(std::launch::async, [cfg, timeoutMs, &ctx] {
        return report::discoverGateways(cfg, std::min(1200, timeoutMs),
                                        ctx.env.get("OPENCLAW_DISCOVERY_NAMESERVER").value_or(""));
    });
    std::optional<report::DiscoveryResult> early;
    if (args.has("ssh-auto") && !args.has("ssh") &&
        (d.cfg.remote.sshTarget.empty() || !usesConfiguredRemote(args)))
        early = discovery.get();
    std::string tunnelError;
    std::unique_ptr<report::TunnelSession> tunnel =
        openProbeTunnel(args, cfg, ctx.env, early ? &*early : nullptr, timeoutMs, tunnelError);
    auto targets =
        client::resolveProbeTargets(d.cfg, ctx.env, urlOption(args), credentialsOption(args),
                                    tunnel ? std::optional<client::SshTunnel>(tunnel->info()) : std::nullopt);
    std::vector<client::ProbeResult> results = client::probeAll(targets, timeoutMs);
    explainTunnelFailures(results);
    const report::DiscoveryResult found = early ? std::move(*early) : discovery.get();
    spin.stop();
    tunnel.reset(); // closed before printing: no ssh outlives the command
    const long long took =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
            .count();
    const std::string localUrl =
        std::string(d.cfg.tls.enabled ? "wss" : "ws") + "://127.0.0.1:" + std::to_string(d.cfg.port);
    client::ProbeReport report = client::summarizeProbe(std::move(results), timeoutMs, took, localUrl);
    addLocalFacts(report, d.cfg, tunnelError);
    std::optional<report::TailnetFacts> tailnet;
    if (d.valid) tailnet = report::readTailnetFacts(cfg);
    printProbe(report, found, tailnet, asJson, Paint(ctx.colorOut()));
    return report.ok ? 0 : 1;
}

} // namespace openclaw::cli
