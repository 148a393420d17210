// `gateway health` and `gateway call`: ask a running gateway over the WebSocket RPC, with the
// reference CLI's outputs, JSON error objects and exit codes.
#include "Args.h"
#include "Context.h"
#include "TargetOptions.h"

#include "client/GatewayClient.h"
#include "protocol/Scopes.h"
#include "tls/TlsModule.h"

#include <iostream>

namespace openclaw::cli {

namespace {

const std::vector<OptionSpec> kHealthSpecs = {
    {"url", true, "gateway WebSocket URL, ws(s):// or http(s):// (needs --token or --password)", "url"},
    {"port", true, "local gateway port (default: config/env)", "port"},
    {"token", true, "gateway token", "token"},
    {"password", true, "gateway password", "password"},
    {"timeout", true, "timeout in ms (default 10000)", "ms"},
    {"expect-final", false, "wait past an accepted/intermediate response for the final one"},
    {"json", false, "machine-readable output"},
    {"tls-fingerprint", true, "pin the gateway's TLS certificate (SHA-256) for wss://", "sha256"},
    {"help", false, "show this help"},
};

const std::vector<OptionSpec> kCallSpecs = [] {
    std::vector<OptionSpec> specs = kHealthSpecs;
    specs.insert(specs.end() - 1, {"params", true, "JSON params, e.g. '{\"limit\": 5}'", "json"});
    return specs;
}();

/// Where to connect and with which secret, as the reference resolves it.
struct Target {
    client::ClientOptions opts;
    std::string urlSource; ///< "cli --url" | "env OPENCLAW_GATEWAY_URL" | "local loopback"
    std::string configPath;
    bool authNone = false; ///< the local gateway is configured with auth mode none (no credentials needed)
};

Target resolveTarget(const Context& ctx, const Args& args) {
    config::GatewayConfig cfg = ctx.loadConfig(portOverride(args));
    Target t;
    t.authNone = cfg.auth.mode == config::AuthMode::None;
    t.configPath = cfg.paths.configPath;
    auto token = args.value("token");
    auto password = args.value("password");
    if (auto url = urlOption(args)) {
        // An explicit URL never picks up credentials from config or environment.
        if (!token && !password) {
            std::cerr << "gateway url override requires explicit credentials\n"
                      << "Fix: pass --token or --password with --url (or gatewayToken in tools).\n"
                      << "For the default local or SSH-tunneled Gateway, remove --url to use the configured "
                         "target.\n"
                      << "Config: " << cfg.paths.configPath << "\n";
            throw ExitCode{1};
        }
        t.opts.url = *url;
        t.urlSource = "cli --url";
    } else if (auto envUrl = ctx.env.get("OPENCLAW_GATEWAY_URL")) {
        t.opts.url = *envUrl;
        t.urlSource = "env OPENCLAW_GATEWAY_URL";
        if (!token) token = ctx.env.get("OPENCLAW_GATEWAY_TOKEN");
        if (!password) password = ctx.env.get("OPENCLAW_GATEWAY_PASSWORD");
    } else {
        t.opts.url = std::string(cfg.tls.enabled ? "wss" : "ws") + "://127.0.0.1:" + std::to_string(cfg.port);
        t.urlSource = "local loopback";
        if (cfg.tls.enabled) {
            // The local gateway's own certificate is the pin (it is usually self-signed).
            try {
                config::TlsConfig noGenerate = cfg.tls;
                noGenerate.autoGenerate = false;
                t.opts.tlsFingerprint = tls::ensureCertificate(noGenerate, cfg.paths.stateDir).sha256;
            } catch (const std::exception&) {
                // not created yet: the connection will say what fails
            }
        }
        // Local mode: env, then gateway.auth.*, then gateway.remote.* (cfg.auth already merged config > env).
        if (!token && !password) {
            if (cfg.auth.mode == config::AuthMode::Password) {
                password = cfg.auth.password ? cfg.auth.password : cfg.remote.password;
            } else {
                token = ctx.env.get("OPENCLAW_GATEWAY_TOKEN");
                if (!token) token = cfg.auth.token ? cfg.auth.token : cfg.remote.token;
                if (!token) password = cfg.auth.password ? cfg.auth.password : cfg.remote.password;
            }
        }
    }
    if (t.opts.tlsFingerprint.empty()) t.opts.tlsFingerprint = cfg.remote.tlsFingerprint;
    if (auto pin = args.value("tls-fingerprint")) t.opts.tlsFingerprint = *pin;
    t.opts.token = token;
    t.opts.password = password;
    if (auto ms = args.integer("timeout")) {
        if (*ms <= 0) throw UsageError("option --timeout: must be a positive number of milliseconds");
        t.opts.timeoutMs = static_cast<int>(*ms);
    }
    return t;
}

/// No token or password: `call` refuses before connecting, as the reference does.
int refuseWithoutCredentials(const std::string& method, const Target& t) {
    std::cerr << "gateway " << method << " requires credentials before opening a websocket\n"
              << "Fix: configure gateway.auth token/password, pair this device, or pass --token/--password.\n"
              << "Config: " << t.configPath << "\n";
    return 1;
}

/// No token or password, and the gateway asked for them: it is reachable, the CLI cannot read.
int reportReachableWithoutCredentials(bool asJson) {
    const std::string message =
        "Gateway is reachable, but this CLI has no token/password or paired device token "
        "for read-scope health RPCs.";
    if (asJson) {
        json::ObjectPtr out = json::makeObject();
        out->set("ok", false);
        json::ObjectPtr err = json::makeObject();
        err->set("type", std::string("gateway_credentials_required"));
        err->set("message", message);
        out->set("error", err);
        json::ObjectPtr gw = json::makeObject();
        gw->set("reachable", true);
        out->set("gateway", gw);
        std::cout << json::stringify(out, 2) << "\n";
    } else {
        std::cout << "Gateway: reachable\n" << message << "\n";
    }
    return 1;
}

/// After failed logins a gateway paces its answers, or refuses for a while: say so, and when to retry.
std::string rateLimitHint(const client::GatewayError& e, const std::string& phase) {
    using Kind = client::GatewayError::Kind;
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

/// Prints a failure as the reference does and returns exit code 1.
int reportFailure(const client::GatewayError& e, const Target& t, bool asJson, const std::string& phase) {
    using Kind = client::GatewayError::Kind;
    const std::string hint = rateLimitHint(e, phase);
    if (e.kind == Kind::Request) {
        if (asJson) {
            json::ObjectPtr out = json::makeObject();
            out->set("ok", false);
            json::ObjectPtr err = json::makeObject();
            err->set("type", std::string("gateway_request_error"));
            err->set("code", e.rpc.code);
            err->set("message", e.rpc.message);
            if (!e.rpc.details.isEmpty()) err->set("details", e.rpc.details);
            err->set("retryable", e.rpc.retryable.value_or(false));
            out->set("error", err);
            std::cout << json::stringify(out, 2) << "\n";
        }
        if (phase == "connect") {
            std::cerr << "gateway connect failed: GatewayClientRequestError: " << e.rpc.message << "\n";
            if (!asJson) std::cerr << e.rpc.message << "\n";
        } else if (!asJson) {
            std::cerr << "Gateway call failed: " << e.rpc.message << "\n";
        }
        if (!hint.empty() && !asJson) std::cerr << hint << "\n";
        return 1;
    }
    std::string message = e.what();
    if (e.kind == Kind::Transport && e.closeCode) {
        message = "gateway closed (" + std::to_string(e.closeCode) + "): " + e.closeReason;
    }
    if (asJson) {
        json::ObjectPtr out = json::makeObject();
        out->set("ok", false);
        json::ObjectPtr err = json::makeObject();
        err->set("type", std::string("gateway_transport_error"));
        err->set("kind", std::string(e.kind == Kind::Timeout ? "timeout" : "closed"));
        err->set("message", message);
        err->set("reason", e.reason.empty() ? message : e.reason);
        if (!hint.empty()) err->set("hint", hint);
        out->set("error", err);
        json::ObjectPtr gw = json::makeObject();
        gw->set("url", t.opts.url);
        gw->set("urlSource", t.urlSource);
        out->set("gateway", gw);
        std::cout << json::stringify(out, 2) << "\n";
        return 1;
    }
    std::cerr << message << "\n";
    if (!hint.empty()) std::cerr << hint << "\n";
    if (e.kind == Kind::Transport && !e.closeCode && e.reason.rfind("connect ", 0) == 0)
        std::cerr << "Start it with `openclaw gateway run` or check `openclaw gateway status`.\n";
    std::cerr << "Gateway target: " << t.opts.url << "\n"
              << "Source: " << t.urlSource << "\n"
              << "Config: " << t.configPath << "\n";
    return 1;
}

} // namespace

int runQuery(Context& ctx, const std::string& command, size_t argIndex) {
    const std::vector<OptionSpec>& specs = command == "call" ? kCallSpecs : kHealthSpecs;
    Args args = Args::parse(ctx.argv, argIndex, specs);
    if (args.has("help")) {
        std::cout << renderHelp("openclaw gateway " + command + (command == "call" ? " <method>" : "") +
                                    " [options]",
                                command == "call" ? "Calls one RPC method and prints its payload."
                                                  : "Asks a running gateway for its health.",
                                specs);
        return 0;
    }
    const bool asJson = args.has("json");
    std::string method = "health";
    json::Var params;
    if (command == "call") {
        if (args.positionals().empty())
            throw UsageError("gateway call needs a method name, e.g. `openclaw gateway call status`");
        method = args.positionals().front();
        if (auto p = args.value("params")) {
            try {
                params = json::parse(*p);
            } catch (const std::exception& e) {
                std::cerr << "Invalid --params: " << e.what() << "\n"
                          << "Pass a JSON value, e.g. --params '{\"limit\": 5}'. Nothing was sent.\n";
                return 1;
            }
        }
    } else if (!args.positionals().empty()) {
        throw UsageError("unexpected argument \"" + args.positionals().front() + "\"");
    }
    Target t = resolveTarget(ctx, args);
    t.opts.scopes =
        command == "call" ? protocol::allOperatorScopes() : std::vector<std::string>{protocol::scope::kRead};
    const bool noCredentials = !t.opts.token && !t.opts.password && !t.authNone;
    if (noCredentials && command == "call") return refuseWithoutCredentials(method, t);
    client::GatewayClient client(t.opts);
    try {
        client.connect();
    } catch (const client::GatewayError& e) {
        if (noCredentials && e.kind == client::GatewayError::Kind::Request)
            return reportReachableWithoutCredentials(asJson);
        return reportFailure(e, t, asJson, "connect");
    }
    json::Var payload;
    try {
        payload = client.call(method,
                              command == "call" ? (params.isEmpty() ? json::Var(json::makeObject()) : params)
                                                : json::Var(),
                              args.has("expect-final"));
    } catch (const client::GatewayError& e) {
        return reportFailure(e, t, asJson, "call");
    }
    client.close();
    if (asJson) {
        std::cout << json::stringify(payload, 2) << "\n";
        return 0;
    }
    if (command == "health") {
        json::ObjectPtr h = json::asObject(payload);
        bool ok = h && json::getBool(h, "ok").value_or(false);
        std::cout << "Gateway Health\n"
                  << (ok ? "OK" : "DEGRADED") << " (" << (h ? json::getInt(h, "durationMs").value_or(0) : 0)
                  << "ms)\n";
        return ok ? 0 : 1;
    }
    std::cout << "Gateway call: " << method << "\n" << json::stringify(payload, 2) << "\n";
    return 0;
}

} // namespace openclaw::cli
