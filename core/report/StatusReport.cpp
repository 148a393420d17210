#include "report/StatusReport.h"

#include "service/ServiceChoice.h"
#include "tls/TlsModule.h"

namespace openclaw::report {

namespace {

std::string bindHostOf(const config::GatewayConfig& cfg) {
    switch (cfg.bind) {
    case config::BindMode::Lan:
        return "0.0.0.0";
    case config::BindMode::Custom:
        return cfg.customBindHost;
    default:
        return "127.0.0.1";
    }
}

/// The local gateway's own certificate pins the probe of a wss:// loopback target (never generated here).
void pinLocalCertificate(const config::GatewayConfig& cfg, client::ProbeTarget& target) {
    if (target.id != "localLoopback" || !cfg.tls.enabled || !target.opts.tlsFingerprint.empty()) return;
    config::TlsConfig noGenerate = cfg.tls;
    noGenerate.autoGenerate = false;
    try {
        target.opts.tlsFingerprint = tls::ensureCertificate(noGenerate, cfg.paths.stateDir).sha256;
    } catch (const std::exception&) {
        // No certificate to read: the probe then reports the TLS failure itself, with its reason.
    }
}

} // namespace

DiagnosticConfig loadForDiagnostics(const config::Environment& env, const config::ProfileOptions& profile,
                                    const config::Overrides& overrides) {
    DiagnosticConfig d;
    try {
        d.cfg = config::loadConfig(env, profile, overrides);
    } catch (const std::exception& e) {
        d.valid = false;
        d.error = e.what();
        d.cfg.paths = config::resolvePaths(env, profile, &config::fileExists);
        d.cfg.fileExists = config::fileExists(d.cfg.paths.configPath);
        if (overrides.port) d.cfg.port = *overrides.port;
    }
    return d;
}

bool StatusReport::configMismatch() const {
    return service.installed && !service.configPath.empty() &&
           service.configPath != config.cfg.paths.configPath;
}

bool StatusReport::requireFailed() const {
    return requireRpc && (!readProbe || !readProbe->rpcOk);
}

StatusReport prepareStatus(DiagnosticConfig diag, const config::Environment& env,
                           const StatusRequest& request) {
    StatusReport r;
    r.config = std::move(diag);
    const config::GatewayConfig& cfg = r.config.cfg;
    r.service = service::profileServiceStatus(env, cfg.paths);
    r.bindHost = bindHostOf(cfg);
    r.wsUrl = std::string(cfg.tls.enabled ? "wss" : "ws") + "://127.0.0.1:" + std::to_string(cfg.port);
    r.httpUrl =
        std::string(cfg.tls.enabled ? "https" : "http") + "://127.0.0.1:" + std::to_string(cfg.port) + "/";
    r.probeTarget =
        client::resolveProbeTargets(cfg, env, request.url, request.credentials, request.tunnel).front();
    pinLocalCertificate(cfg, r.probeTarget);
    r.listeners = net::findPortOwners(cfg.port);
    r.deep = request.deep;
    if (request.deep) r.others = findOtherGateways(cfg.port, env.get("HOME").value_or(cfg.paths.home));
    r.requireRpc = request.requireRpc;
    if (r.config.valid) r.tailnet = readTailnetFacts(std::make_shared<const config::GatewayConfig>(cfg));
    return r;
}

void runStatusProbes(StatusReport& report, const StatusRequest& request) {
    if (!request.probe) return;
    report.probe = client::probeTarget(report.probeTarget, request.timeoutMs);
    if (!request.requireRpc) return;
    // The read probe uses a cli-mode client with operator.read, so a healthy gateway passes it.
    client::ProbeTarget reader = report.probeTarget;
    reader.opts.clientMode = "cli";
    reader.opts.clientVersion.clear();
    reader.opts.minProtocol = 4;
    report.readProbe = client::probeTarget(reader, request.timeoutMs);
}

} // namespace openclaw::report
