// `openclaw gateway events [--filter <names>] [--json]`: connects to a running gateway and prints its events,
// one line each, until interrupted (Ctrl-C) or the gateway goes away.
#include "Args.h"
#include "Context.h"
#include "QueryTarget.h"

#include "client/GatewayClient.h"
#include "protocol/Scopes.h"

#include <iostream>

namespace openclaw::cli {

namespace {

const std::vector<OptionSpec> kEventsSpecs = {
    {"url", true, "gateway WebSocket URL, ws(s):// or http(s):// (needs --token or --password)", "url"},
    {"port", true, "local gateway port (default: config/env)", "port"},
    {"token", true, "gateway token", "token"},
    {"password", true, "gateway password", "password"},
    {"timeout", true, "connect timeout in ms (default 10000)", "ms"},
    {"filter", true, "only these events: names or prefixes ending in *, comma-separated (e.g. 'tick,test.*')",
     "names"},
    {"json", false, "one JSON event frame per line"},
    {"tls-fingerprint", true, "pin the gateway's TLS certificate (SHA-256) for wss://", "sha256"},
    {"help", false, "show this help"},
};

/// --filter: exact names and prefixes ("test.*"); empty = every event.
class EventFilter {
  public:
    explicit EventFilter(const std::string& spec) {
        size_t start = 0;
        while (start <= spec.size()) {
            const size_t comma = spec.find(',', start);
            std::string item =
                spec.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
            if (!item.empty()) items_.push_back(item);
            if (comma == std::string::npos) break;
            start = comma + 1;
        }
    }
    bool matches(const std::string& event) const {
        if (items_.empty()) return true;
        for (const std::string& item : items_) {
            if (item.back() == '*' ? event.compare(0, item.size() - 1, item, 0, item.size() - 1) == 0
                                   : event == item)
                return true;
        }
        return false;
    }

  private:
    std::vector<std::string> items_;
};

/// One event as a line: "<event> [seq=N] <payload>" or, with --json, the frame.
std::string line(const json::ObjectPtr& frame, bool asJson) {
    if (asJson) return json::stringify(frame);
    std::string out = json::getString(frame, "event").value_or("?");
    if (auto seq = json::getInt(frame, "seq")) out += " seq=" + std::to_string(*seq);
    return out + " " + json::stringify(frame->has("payload") ? frame->get("payload") : json::Var());
}

} // namespace

int runEvents(Context& ctx, size_t argIndex) {
    Args args = Args::parse(ctx.argv, argIndex, kEventsSpecs);
    if (args.has("help")) {
        std::cout << renderHelp("openclaw gateway events [options]",
                                "Prints the events a running gateway sends (one line each) until Ctrl-C. The "
                                "session asks for every operator scope; it gets the events its credentials "
                                "allow.",
                                kEventsSpecs);
        return 0;
    }
    if (!args.positionals().empty())
        throw UsageError("unexpected argument \"" + args.positionals().front() + "\"");
    const EventFilter filter(args.value("filter").value_or(""));
    const bool asJson = args.has("json");
    std::unique_ptr<report::TunnelSession> tunnel; // closed when the command returns
    client::QueryTarget t = resolveTarget(ctx, args, tunnel);
    t.opts.scopes = protocol::allOperatorScopes();
    try {
        client::GatewayClient c(t.opts);
        c.connect();
        std::cerr << "Watching events from " << t.opts.url << " (Ctrl-C to stop)\n";
        for (;;) {
            json::ObjectPtr frame = c.nextEvent(60000);
            if (frame && filter.matches(json::getString(frame, "event").value_or("")))
                std::cout << line(frame, asJson) << std::endl; // flushed: a pipe sees each event at once
        }
    } catch (const client::GatewayError& e) {
        std::cerr << "gateway events: " << e.what() << "\nGateway target: " << t.opts.url << "\n";
        return 1;
    }
}

} // namespace openclaw::cli
