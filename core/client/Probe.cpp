#include "client/Probe.h"

#include "protocol/Timestamp.h"

#include <algorithm>
#include <chrono>
#include <future>
#include <set>

namespace openclaw::client {

namespace {

const char* kScopeLimited =
    "Read-probe diagnostics are limited by gateway scopes (missing operator.read). Connection "
    "succeeded, but read-only status calls are incomplete. Hint: pair device identity or use "
    "credentials with operator.read.";

} // namespace

std::string capabilityOf(bool connected, const std::vector<std::string>& scopes) {
    if (!connected) return "unknown";
    auto has = [&](const char* s) { return std::find(scopes.begin(), scopes.end(), s) != scopes.end(); };
    if (has("operator.admin")) return "admin_capable";
    if (has("operator.write")) return "write_capable";
    if (has("operator.read")) return "read_only";
    return "connected_no_operator_scope";
}

std::vector<ProbeTarget> resolveProbeTargets(const config::GatewayConfig& cfg, const config::Environment& env,
                                             const std::optional<std::string>& url,
                                             const ProbeCredentials& creds,
                                             const std::optional<SshTunnel>& tunnel) {
    std::vector<ProbeTarget> out;
    std::set<std::string> seen;
    auto add = [&](ProbeTarget t) {
        if (seen.insert(t.url).second) out.push_back(std::move(t));
    };
    auto base = [&](const std::string& id, const std::string& u) {
        ProbeTarget t;
        t.id = id;
        t.kind = id;
        t.url = u;
        t.opts.url = u;
        t.opts.clientMode = "probe";
        t.opts.clientVersion = "dev";
        t.opts.minProtocol = 3;
        t.opts.maxProtocol = 4;
        t.opts.scopes = {"operator.read"};
        t.opts.tlsFingerprint = creds.tlsFingerprint;
        return t;
    };
    const bool explicitCreds = creds.token || creds.password;
    if (url) {
        ProbeTarget t = base("explicit", *url);
        t.opts.token = creds.token;
        t.opts.password = creds.password;
        add(t);
    }
    if (tunnel) {
        ProbeTarget t = base("sshTunnel", "ws://127.0.0.1:" + std::to_string(tunnel->localPort));
        t.opts.token = explicitCreds ? creds.token : cfg.remote.token;
        t.opts.password = explicitCreds ? creds.password : cfg.remote.password;
        t.tunnel = tunnel;
        add(t);
    }
    if (!cfg.remote.url.empty()) {
        ProbeTarget t = base("configRemote", cfg.remote.url);
        t.active = cfg.mode == config::GatewayMode::Remote;
        t.opts.token = explicitCreds ? creds.token : cfg.remote.token;
        t.opts.password = explicitCreds ? creds.password : cfg.remote.password;
        if (t.opts.tlsFingerprint.empty()) t.opts.tlsFingerprint = cfg.remote.tlsFingerprint;
        add(t);
    }
    std::string loop =
        std::string(cfg.tls.enabled ? "wss" : "ws") + "://127.0.0.1:" + std::to_string(cfg.port);
    ProbeTarget t = base("localLoopback", loop);
    t.active = cfg.mode != config::GatewayMode::Remote;
    if (explicitCreds) {
        t.opts.token = creds.token;
        t.opts.password = creds.password;
    } else {
        auto envToken = env.get("OPENCLAW_GATEWAY_TOKEN");
        t.opts.token = envToken ? envToken : cfg.auth.token;
        t.opts.password = cfg.auth.password;
    }
    add(t);
    return out;
}

namespace {

/// A connect that failed: refused by a reachable gateway (a request error), or not reached at all.
void connectFailed(ProbeResult& r, GatewayClient& c, const GatewayError& e, int timeoutMs,
                   std::chrono::steady_clock::time_point started) {
    if (e.kind == GatewayError::Kind::Request) {
        // The gateway took the connection and answered: it is reachable; it refused these credentials (or
        // paced them), so the read probe failed. As the reference reports it.
        r.connectOk = true;
        r.latencyMs =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
                .count();
        r.error = e.rpc.message;
        r.close = c.awaitClose(std::min(timeoutMs, 1000));
        return;
    }
    r.error =
        e.kind == GatewayError::Kind::Transport && !e.reason.empty() && e.reason.rfind("connect ", 0) == 0
            ? e.reason
            : e.what();
    r.close = std::make_pair(e.closeCode ? e.closeCode : 1006, e.closeReason);
}

/// The read set; a missing scope means "reachable, but read diagnostics are limited".
void readDiagnostics(ProbeResult& r, GatewayClient& c) {
    json::Var health, status, presence, cfg;
    try {
        health = c.call("health");
        status = c.call("status", json::makeObject());
        presence = c.call("system-presence");
        cfg = c.call("config.get", json::makeObject());
        r.rpcOk = true;
    } catch (const GatewayError& e) {
        r.error = e.kind == GatewayError::Kind::Request ? e.rpc.message : e.what();
        json::ObjectPtr d = json::asObject(e.rpc.details);
        r.scopeLimited = d && json::getString(d, "code").value_or("") == "MISSING_SCOPE";
    }
    if (!r.rpcOk) return;
    r.health = health;
    r.summary = status;
    r.presence = presence;
    r.config = cfg;
    if (json::ArrayPtr p = json::asArray(presence); p && p->size()) r.self = p->get(0);
}

} // namespace

ProbeResult probeTarget(const ProbeTarget& target, int timeoutMs) {
    ProbeResult r;
    r.target = target;
    ClientOptions o = target.opts;
    o.timeoutMs = timeoutMs;
    GatewayClient c(o);
    json::ObjectPtr hello;
    const auto started = std::chrono::steady_clock::now();
    try {
        hello = c.connect();
    } catch (const GatewayError& e) {
        connectFailed(r, c, e, timeoutMs, started);
        return r;
    }
    r.connectOk = true;
    r.latencyMs = c.connectLatencyMs();
    json::ObjectPtr auth = json::getObject(hello, "auth");
    r.role = json::getString(auth, "role").value_or("");
    if (json::ArrayPtr s = json::getArray(auth, "scopes"))
        for (size_t i = 0; i < s->size(); ++i)
            r.scopes.push_back(s->get(static_cast<unsigned>(i)).convert<std::string>());
    r.capability = capabilityOf(true, r.scopes);
    json::ObjectPtr server = json::getObject(hello, "server");
    r.serverVersion = json::getString(server, "version").value_or("");
    r.buildId = json::getString(server, "buildId").value_or("");
    r.connId = json::getString(server, "connId").value_or("");
    r.bootId = json::getString(server, "bootId").value_or("");
    readDiagnostics(r, c);
    c.close();
    return r;
}

std::vector<ProbeResult> probeAll(const std::vector<ProbeTarget>& targets, int timeoutMs) {
    std::vector<std::future<ProbeResult>> futures;
    futures.reserve(targets.size());
    for (const auto& t : targets)
        futures.push_back(std::async(std::launch::async, probeTarget, t, timeoutMs));
    std::vector<ProbeResult> out;
    out.reserve(futures.size());
    for (auto& f : futures)
        out.push_back(f.get());
    return out;
}

namespace {

std::vector<std::string> reachableIds(const std::vector<ProbeResult>& results) {
    std::vector<std::string> ids;
    for (const auto& r : results)
        if (r.connectOk) ids.push_back(r.target.id);
    return ids;
}

/// Two URLs reaching one gateway process (one bootId) are one gateway.
size_t gatewayIdentities(const std::vector<ProbeResult>& results) {
    std::set<std::string> identities;
    for (const auto& r : results)
        if (r.connectOk) identities.insert(r.bootId.empty() ? r.target.url : r.bootId);
    return identities.size();
}

void addWarnings(ProbeReport& report) {
    const std::vector<ProbeResult>& results = report.targets;
    if (gatewayIdentities(results) > 1)
        report.warnings.push_back(
            {"multiple_gateways",
             "Unconventional setup: multiple reachable gateway identities detected. Usually one gateway per "
             "network is recommended unless you intentionally run isolated profiles, like a rescue bot (see "
             "docs: /gateway#multiple-gateways-same-host).",
             reachableIds(results)});
    for (const auto& r : results)
        if (r.connectOk && !r.rpcOk && !r.scopeLimited)
            report.warnings.push_back(
                {"probe_detail_failed",
                 "Gateway accepted the WebSocket connection, but follow-up read diagnostics failed: " +
                     r.error,
                 {r.target.id}});
    for (const auto& r : results)
        if (r.connectOk && r.scopeLimited)
            report.warnings.push_back({"probe_scope_limited", kScopeLimited, {r.target.id}});
    if (!report.ok) {
        std::vector<std::string> ids;
        ids.reserve(results.size());
        for (const auto& r : results)
            ids.push_back(r.target.id);
        report.warnings.push_back({"no_gateway_reachable",
                                   "No gateway is reachable. Start one with `openclaw gateway run` or check "
                                   "`openclaw gateway status`.",
                                   ids});
    }
}

} // namespace

ProbeReport summarizeProbe(std::vector<ProbeResult> results, int timeoutMs, long long durationMs,
                           const std::string& localLoopbackUrl) {
    ProbeReport report;
    for (const auto& r : results) {
        if (!r.connectOk) continue;
        if (!report.ok) {
            report.capability = r.capability;
            report.primaryTargetId = r.target.id;
        }
        report.ok = true;
        if (!r.rpcOk) report.degraded = true;
    }
    if (report.primaryTargetId.empty() && !results.empty())
        report.primaryTargetId = results.front().target.id;
    report.ts = protocol::nowMs();
    report.durationMs = durationMs;
    report.timeoutMs = timeoutMs;
    report.localLoopbackUrl = localLoopbackUrl;
    report.discoveryTimeoutMs = std::min(1200, timeoutMs);
    report.targets = std::move(results);
    addWarnings(report);
    return report;
}

} // namespace openclaw::client
