#include "client/Probe.h"

#include <chrono>
#include <future>
#include <set>

namespace openclaw::client {

namespace {

const char* kScopeLimited =
    "Read-probe diagnostics are limited by gateway scopes (missing operator.read). Connection "
    "succeeded, but read-only status calls are incomplete. Hint: pair device identity or use "
    "credentials with operator.read.";

json::ArrayPtr strings(const std::vector<std::string>& v) {
    json::ArrayPtr a = json::makeArray();
    for (const auto& s : v)
        a->add(s);
    return a;
}

json::Var orNull(const std::string& s) {
    return s.empty() ? json::Var() : json::Var(s);
}

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
                                             const ProbeCredentials& creds) {
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
    if (!cfg.remote.url.empty()) {
        ProbeTarget t = base("configRemote", cfg.remote.url);
        t.active = cfg.mode == "remote";
        t.opts.token = explicitCreds ? creds.token : cfg.remote.token;
        t.opts.password = explicitCreds ? creds.password : cfg.remote.password;
        if (t.opts.tlsFingerprint.empty()) t.opts.tlsFingerprint = cfg.remote.tlsFingerprint;
        add(t);
    }
    std::string loop =
        std::string(cfg.tls.enabled ? "wss" : "ws") + "://127.0.0.1:" + std::to_string(cfg.port);
    ProbeTarget t = base("localLoopback", loop);
    t.active = cfg.mode != "remote";
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
        if (e.kind == GatewayError::Kind::Request) {
            // The gateway took the connection and answered: it is reachable; it refused these credentials
            // (or paced them), so the read probe failed. As the reference reports it.
            r.connectOk = true;
            r.latencyMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::steady_clock::now() - started)
                              .count();
            r.error = e.rpc.message;
            r.close = c.awaitClose(std::min(timeoutMs, 1000));
            return r;
        }
        r.error =
            e.kind == GatewayError::Kind::Transport && !e.reason.empty() && e.reason.rfind("connect ", 0) == 0
                ? e.reason
                : e.what();
        if (e.kind == GatewayError::Kind::Request) r.error = e.rpc.message;
        r.close = std::make_pair(e.closeCode ? e.closeCode : 1006, e.closeReason);
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
    // The read set; a missing scope means "reachable, but read diagnostics are limited".
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
    if (r.rpcOk) {
        r.health = health;
        r.summary = status;
        r.presence = presence;
        r.config = cfg;
        if (json::ArrayPtr p = json::asArray(presence); p && p->size()) r.self = p->get(0);
    }
    c.close();
    return r;
}

std::vector<ProbeResult> probeAll(const std::vector<ProbeTarget>& targets, int timeoutMs) {
    std::vector<std::future<ProbeResult>> futures;
    for (const auto& t : targets)
        futures.push_back(std::async(std::launch::async, probeTarget, t, timeoutMs));
    std::vector<ProbeResult> out;
    for (auto& f : futures)
        out.push_back(f.get());
    return out;
}

json::ObjectPtr resultJson(const ProbeResult& r) {
    json::ObjectPtr t = json::makeObject();
    t->set("id", r.target.id);
    t->set("kind", r.target.kind);
    t->set("url", r.target.url);
    t->set("active", r.target.active);
    t->set("tunnel", r.target.tunnelJson ? json::parse(*r.target.tunnelJson) : json::Var());
    json::ObjectPtr c = json::makeObject();
    c->set("ok", r.connectOk);
    c->set("rpcOk", r.rpcOk);
    c->set("scopeLimited", r.scopeLimited);
    c->set("latencyMs", r.latencyMs ? json::Var(static_cast<Poco::Int64>(*r.latencyMs)) : json::Var());
    c->set("error", orNull(r.error));
    if (r.close) {
        json::ObjectPtr cl = json::makeObject();
        cl->set("code", r.close->first);
        cl->set("reason", r.close->second);
        c->set("close", cl);
    } else {
        c->set("close", json::Var());
    }
    t->set("connect", c);
    json::ObjectPtr a = json::makeObject();
    a->set("role", orNull(r.role));
    a->set("scopes", strings(r.scopes));
    a->set("capability", r.capability);
    t->set("auth", a);
    json::ObjectPtr s = json::makeObject();
    s->set("version", orNull(r.serverVersion));
    if (!r.buildId.empty()) s->set("buildId", r.buildId);
    s->set("connId", orNull(r.connId));
    t->set("server", s);
    t->set("self", r.self);
    t->set("config", r.config);
    t->set("health", r.health);
    t->set("summary", r.summary);
    t->set("presence", r.presence);
    return t;
}

json::ObjectPtr probeReport(const std::vector<ProbeResult>& results, int timeoutMs, long long durationMs,
                            const std::string& localLoopbackUrl) {
    json::ObjectPtr out = json::makeObject();
    bool anyOk = false;
    bool degraded = false;
    std::string capability = "unknown";
    std::string primary;
    json::ArrayPtr warnings = json::makeArray();
    std::set<std::string> identities;
    json::ArrayPtr reachableIds = json::makeArray();
    for (const auto& r : results) {
        if (!r.connectOk) continue;
        if (!anyOk) {
            capability = r.capability;
            primary = r.target.id;
        }
        anyOk = true;
        reachableIds->add(r.target.id);
        // Identity: the gateway process (bootId); two URLs reaching one gateway are one gateway.
        identities.insert(r.bootId.empty() ? r.target.url : r.bootId);
        if (!r.rpcOk) degraded = true;
    }
    if (primary.empty() && !results.empty()) primary = results.front().target.id;
    if (identities.size() > 1) {
        json::ObjectPtr w = json::makeObject();
        w->set("code", std::string("multiple_gateways"));
        w->set(
            "message",
            std::string("Unconventional setup: multiple reachable gateway identities detected. Usually one "
                        "gateway per network is recommended unless you intentionally run isolated "
                        "profiles, like a rescue bot (see docs: /gateway#multiple-gateways-same-host)."));
        w->set("targetIds", reachableIds);
        warnings->add(w);
    }
    for (const auto& r : results) {
        if (!r.connectOk || r.rpcOk || r.scopeLimited) continue;
        json::ObjectPtr w = json::makeObject();
        w->set("code", std::string("probe_detail_failed"));
        w->set("message",
               "Gateway accepted the WebSocket connection, but follow-up read diagnostics failed: " +
                   r.error);
        w->set("targetIds", strings({r.target.id}));
        warnings->add(w);
    }
    for (const auto& r : results) {
        if (!r.connectOk || !r.scopeLimited) continue;
        json::ObjectPtr w = json::makeObject();
        w->set("code", std::string("probe_scope_limited"));
        w->set("message", std::string(kScopeLimited));
        w->set("targetIds", strings({r.target.id}));
        warnings->add(w);
    }
    if (!anyOk) {
        json::ObjectPtr w = json::makeObject();
        w->set("code", std::string("no_gateway_reachable"));
        w->set("message",
               std::string("No gateway is reachable. Start one with `openclaw gateway run` or check "
                           "`openclaw gateway status`."));
        json::ArrayPtr ids = json::makeArray();
        for (const auto& r : results)
            ids->add(r.target.id);
        w->set("targetIds", ids);
        warnings->add(w);
    }
    out->set("ok", anyOk);
    out->set("degraded", degraded);
    out->set("capability", capability);
    out->set("ts", static_cast<Poco::Int64>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                std::chrono::system_clock::now().time_since_epoch())
                                                .count()));
    out->set("durationMs", static_cast<Poco::Int64>(durationMs));
    out->set("timeoutMs", timeoutMs);
    out->set("primaryTargetId", primary);
    out->set("warnings", warnings);
    json::ObjectPtr net = json::makeObject();
    net->set("localLoopbackUrl", localLoopbackUrl);
    net->set("localTailnetUrl", json::Var());
    net->set("tailnetIPv4", json::Var());
    out->set("network", net);
    json::ObjectPtr disc = json::makeObject();
    disc->set("timeoutMs", std::min(1200, timeoutMs));
    disc->set("count", 0);
    disc->set("beacons", json::makeArray());
    disc->set("available", false); // Bonjour browsing arrives with the bonjour plugin
    out->set("discovery", disc);
    json::ArrayPtr targets = json::makeArray();
    for (const auto& r : results)
        targets->add(resultJson(r));
    out->set("targets", targets);
    return out;
}

} // namespace openclaw::client
