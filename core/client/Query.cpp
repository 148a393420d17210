#include "client/Query.h"

#include "tls/TlsModule.h"

namespace openclaw::client {

namespace {

/// The local gateway's own certificate is the pin (it is usually self-signed).
std::string localCertificatePin(const config::GatewayConfig& cfg) {
    config::TlsConfig noGenerate = cfg.tls;
    noGenerate.autoGenerate = false;
    try {
        return tls::ensureCertificate(noGenerate, cfg.paths.stateDir).sha256;
    } catch (const std::exception&) {
        return ""; // not created yet: the connection says what fails
    }
}

/// Local mode: env, then gateway.auth.*, then gateway.remote.* (cfg.auth already merged config > env).
void localCredentials(const config::GatewayConfig& cfg, const config::Environment& env, QueryTarget& t) {
    if (t.opts.token || t.opts.password) return;
    if (cfg.auth.mode == config::AuthMode::Password) {
        t.opts.password = cfg.auth.password ? cfg.auth.password : cfg.remote.password;
        return;
    }
    t.opts.token = env.get("OPENCLAW_GATEWAY_TOKEN");
    if (!t.opts.token) t.opts.token = cfg.auth.token ? cfg.auth.token : cfg.remote.token;
    if (!t.opts.token) t.opts.password = cfg.auth.password ? cfg.auth.password : cfg.remote.password;
}

/// The gateway of this config on loopback, with the local credentials (flags, env, gateway.auth.*).
void localTarget(const config::GatewayConfig& cfg, const config::Environment& env, QueryTarget& t) {
    t.opts.url = std::string(cfg.tls.enabled ? "wss" : "ws") + "://127.0.0.1:" + std::to_string(cfg.port);
    t.urlSource = "local loopback";
    if (cfg.tls.enabled) t.opts.tlsFingerprint = localCertificatePin(cfg);
    localCredentials(cfg, env, t);
}

} // namespace

QueryTarget localQueryTarget(const config::GatewayConfig& cfg, const config::Environment& env) {
    QueryTarget t;
    t.authNone = cfg.auth.mode == config::AuthMode::None;
    t.configPath = cfg.paths.configPath;
    localTarget(cfg, env, t);
    return t;
}

QueryTarget resolveQueryTarget(const config::GatewayConfig& cfg, const config::Environment& env,
                               const QueryFlags& flags) {
    QueryTarget t;
    t.authNone = cfg.auth.mode == config::AuthMode::None;
    t.configPath = cfg.paths.configPath;
    t.opts.token = flags.token;
    t.opts.password = flags.password;
    if (flags.url) {
        // An explicit URL never picks up credentials from config or environment.
        t.opts.url = *flags.url;
        t.urlSource = "cli --url";
    } else if (auto envUrl = env.get("OPENCLAW_GATEWAY_URL")) {
        t.opts.url = *envUrl;
        t.urlSource = "env OPENCLAW_GATEWAY_URL";
        if (!t.opts.token) t.opts.token = env.get("OPENCLAW_GATEWAY_TOKEN");
        if (!t.opts.password) t.opts.password = env.get("OPENCLAW_GATEWAY_PASSWORD");
    } else {
        localTarget(cfg, env, t);
    }
    if (t.opts.tlsFingerprint.empty()) t.opts.tlsFingerprint = cfg.remote.tlsFingerprint;
    if (flags.tlsFingerprint) t.opts.tlsFingerprint = *flags.tlsFingerprint;
    if (flags.timeoutMs) t.opts.timeoutMs = *flags.timeoutMs;
    return t;
}

QueryOutcome runQuery(const QueryTarget& target, const std::string& method, const json::Var& params,
                      bool expectFinal) {
    QueryOutcome out;
    GatewayClient client(target.opts);
    out.phase = "connect";
    try {
        client.connect();
        out.phase = "call";
        out.payload = client.call(method, params, expectFinal);
    } catch (const GatewayError& e) {
        const bool refusedAnonymous =
            target.anonymous() && out.phase == "connect" && e.kind == GatewayError::Kind::Request;
        out.kind = refusedAnonymous ? QueryOutcome::Kind::CredentialsRequired : QueryOutcome::Kind::Failed;
        out.error = e;
        out.hint = rateLimitHint(e, out.phase);
        return out;
    }
    client.close();
    out.kind = QueryOutcome::Kind::Answered;
    return out;
}

std::string rateLimitHint(const GatewayError& e, const std::string& phase) {
    using Kind = GatewayError::Kind;
    if (e.kind == Kind::Request) {
        json::ObjectPtr d = json::asObject(e.rpc.details);
        if (json::getString(d, "code").value_or("") != "AUTH_RATE_LIMITED") return "";
        long long ms = e.rpc.retryAfterMs.value_or(json::getInt(d, "retryAfterMs").value_or(0));
        return "Rate-limited after failed logins from this address: retry in " +
               std::to_string((ms + 999) / 1000) + " s, with the right token or password.";
    }
    if (e.kind == Kind::Timeout && phase == "connect")
        return "No answer to connect in time. After failed logins a gateway answers each attempt from the "
               "same "
               "address more slowly (up to 5 s): check the token or password, then retry, or raise "
               "--timeout.";
    return "";
}

HealthVerdict healthVerdict(const json::Var& payload) {
    json::ObjectPtr h = json::asObject(payload);
    if (!h) return {};
    return {json::getBool(h, "ok").value_or(false), json::getInt(h, "durationMs").value_or(0)};
}

} // namespace openclaw::client
