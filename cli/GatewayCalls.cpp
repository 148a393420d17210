#include "GatewayCalls.h"

#include "QueryTarget.h"

#include <iostream>

namespace openclaw::cli {

std::vector<OptionSpec> pairingOptions(std::vector<OptionSpec> own, bool withPassword) {
    own.push_back(
        {"url", true,
         "gateway WebSocket URL (needs --token" + std::string(withPassword ? " or --password)" : ")"),
         "url"});
    own.push_back({"token", true, "gateway token", "token"});
    if (withPassword) own.push_back({"password", true, "gateway password", "password"});
    own.push_back({"timeout", true, "timeout in ms (default 10000)", "ms"});
    own.push_back({"json", false, "machine-readable output"});
    own.push_back({"help", false, "show this help"});
    return own;
}

GatewayCalls::GatewayCalls(const Context& ctx, const Args& args)
    : target_(resolveTarget(ctx, args, tunnel_)) {}

json::Var GatewayCalls::call(const std::string& method, const json::Var& params,
                             std::vector<std::string> scopes) {
    client::QueryTarget t = target_;
    t.opts.scopes = std::move(scopes);
    client::QueryOutcome outcome =
        client::runQuery(t, method, params.isEmpty() ? json::Var(json::makeObject()) : params, false);
    if (outcome.kind == client::QueryOutcome::Kind::Answered) return outcome.payload;
    if (outcome.error) throw *outcome.error;
    throw client::GatewayError(client::GatewayError::Kind::Request,
                               "the gateway needs credentials: pass --token or configure gateway.auth");
}

int commandFailed(const std::string& reason, bool jsonOnStdout) {
    if (jsonOnStdout) {
        json::ObjectPtr err = json::makeObject();
        err->set("type", std::string("cli_error"));
        err->set("message", reason);
        json::ObjectPtr out = json::makeObject();
        out->set("ok", false);
        out->set("error", err);
        printJson(out);
    }
    std::cerr << "[openclaw] The CLI command failed.\n[openclaw] Reason: " << reason
              << "\n[openclaw] Help: openclaw --help\n";
    return 1;
}

void printJson(const json::Var& value) {
    std::cout << json::stringify(value, 2) << "\n";
}

} // namespace openclaw::cli
