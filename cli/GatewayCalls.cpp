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
    std::cerr
        << "[openclaw] The CLI command failed.\n[openclaw] Reason: " << reason
        << "\n[openclaw] Debug: set OPENCLAW_DEBUG=1 to include the stack trace.\n[openclaw] Try: openclaw "
           "doctor\n[openclaw] Help: openclaw --help\n";
    return 1;
}

std::string connectionReminder(const Args& args) {
    std::vector<std::string> flags;
    for (const char* flag : {"url", "token"})
        if (args.value(flag).value_or("").find_first_not_of(' ') != std::string::npos)
            flags.push_back(std::string("--") + flag);
    if (flags.empty()) return "";
    return std::string("Reuse the same connection option") + (flags.size() == 1 ? "" : "s") +
           " when rerunning: " + flags.front() + (flags.size() == 2 ? ", " + flags.back() : "") + ".";
}

std::string approveCommand(const std::string& group, const std::string& requestId, const Args& args) {
    std::string out = "openclaw " + group + " approve " + requestId;
    if (const auto timeout = args.value("timeout"); timeout && !timeout->empty() && *timeout != "10000")
        out += " --timeout " + *timeout;
    return out;
}

void printJson(const json::Var& value) {
    std::cout << json::stringify(value, 2) << "\n";
}

} // namespace openclaw::cli
