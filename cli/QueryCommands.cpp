// `gateway health` and `gateway call`: ask a running gateway over the WebSocket RPC, with the
// reference CLI's outputs, JSON error objects and exit codes.
#include "Args.h"
#include "Context.h"
#include "QueryTarget.h"
#include "RemoteTunnel.h"
#include "TargetOptions.h"

#include "client/Query.h"
#include "protocol/Scopes.h"

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

/// No token or password: `call` refuses before connecting, as the reference does.
int refuseWithoutCredentials(const std::string& method, const client::QueryTarget& t) {
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

/// Prints a failure as the reference does and returns exit code 1.
int reportFailure(const client::QueryOutcome& outcome, const client::QueryTarget& t, bool asJson) {
    using Kind = client::GatewayError::Kind;
    const client::GatewayError& e = *outcome.error;
    const std::string& phase = outcome.phase;
    const std::string& hint = outcome.hint;
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
    std::unique_ptr<report::TunnelSession> tunnel; // closed when the command returns
    client::QueryTarget t = resolveTarget(ctx, args, tunnel);
    t.opts.scopes =
        command == "call" ? protocol::allOperatorScopes() : std::vector<std::string>{protocol::scope::kRead};
    if (t.anonymous() && command == "call") return refuseWithoutCredentials(method, t);
    if (command == "call" && params.isEmpty()) params = json::makeObject();
    const client::QueryOutcome outcome = client::runQuery(t, method, params, args.has("expect-final"));
    if (outcome.kind == client::QueryOutcome::Kind::CredentialsRequired)
        return reportReachableWithoutCredentials(asJson);
    if (outcome.kind == client::QueryOutcome::Kind::Failed) return reportFailure(outcome, t, asJson);
    if (asJson) {
        std::cout << json::stringify(outcome.payload, 2) << "\n";
        return 0;
    }
    if (command == "health") {
        const client::HealthVerdict v = client::healthVerdict(outcome.payload);
        std::cout << "Gateway Health\n" << (v.ok ? "OK" : "DEGRADED") << " (" << v.durationMs << "ms)\n";
        return v.ok ? 0 : 1;
    }
    std::cout << "Gateway call: " << method << "\n" << json::stringify(outcome.payload, 2) << "\n";
    return 0;
}

} // namespace openclaw::cli
