// `openclaw nodes list|status|pending|approve|reject|remove|rename|describe|invoke`: the gateway's nodes
// through node.pair.*, node.list/describe/rename and node.invoke, with the reference CLI's outputs and exit
// codes (reference/nodes-and-devices.md §4–§5). Errors also print a JSON error object on stdout, as the
// reference.
#include "GatewayCalls.h"
#include "NodeFormat.h"
#include "Table.h"
#include "protocol/RandomId.h"

#include "version.h"

#include <chrono>
#include <iostream>

namespace openclaw::cli {

namespace {

const std::string kPairing = "operator.pairing";
const std::string kRead = "operator.read";
const std::string kWrite = "operator.write";

long long nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

/// "90s", "30m", "24h", "7d" (or plain milliseconds) as milliseconds.
long long durationMs(const std::string& text) {
    size_t used = 0;
    long long n = -1;
    try {
        n = std::stoll(text, &used);
    } catch (const std::exception&) {
        n = -1;
    }
    const std::string unit = text.substr(used);
    const long long scale = unit.empty() || unit == "ms" ? 1
                            : unit == "s"                ? 1000
                            : unit == "m"                ? 60000
                            : unit == "h"                ? 3600000
                            : unit == "d"                ? 86400000
                                                         : 0;
    if (n < 0 || scale == 0)
        throw UsageError("option --last-connected: \"" + text + "\" is not a duration (e.g. 30m, 24h, 7d)");
    return n * scale;
}

std::vector<json::ObjectPtr> objectsIn(const json::ObjectPtr& o, const std::string& key) {
    std::vector<json::ObjectPtr> out;
    const json::ArrayPtr a = json::getArray(o, key);
    for (size_t i = 0; a && i < a->size(); ++i)
        out.push_back(json::asObject(a->get(static_cast<unsigned>(i))));
    return out;
}

class Nodes {
  public:
    Nodes(GatewayCalls& calls, const Args& args) : calls_(calls), args_(args), json_(args.has("json")) {}

    int run(const std::string& sub) {
        sub_ = sub;
        if (sub == "list") return list();
        if (sub == "status") return status();
        if (sub == "pending") return pending();
        if (sub == "approve" || sub == "reject") return resolve(sub);
        if (sub == "remove") return simple("node.pair.remove", "Removed paired node ");
        if (sub == "rename") return rename();
        if (sub == "describe") return describe();
        if (sub == "invoke") return invoke();
        throw UsageError("unknown nodes command \"" + sub +
                         "\" (list, status, pending, approve, reject, remove, rename, describe, invoke)");
    }

  private:
    json::ObjectPtr pairList() {
        return json::asObject(calls_.call("node.pair.list", json::Var(), {kPairing}));
    }
    void printNotices(const std::vector<json::ObjectPtr>& nodes) const {
        for (const json::ObjectPtr& n : nodes) {
            const std::string state = approvalStateOf(n);
            const std::string id = json::getString(n, "pendingRequestId").value_or("");
            if ((state != "pending-approval" && state != "pending-reapproval") || id.empty()) continue;
            std::cout << (state == "pending-reapproval" ? "Reapproval" : "Approval") << " pending for "
                      << nodeLabel(n) << ". Run " << approveCommand("nodes", id, args_) << "\n";
            if (const std::string reminder = connectionReminder(args_); !reminder.empty())
                std::cout << reminder << "\n";
        }
    }
    json::ObjectPtr nodeList() {
        return json::asObject(calls_.call("node.list", json::Var(), {kRead, kPairing}));
    }

    /// node.list's nodes, kept to --connected and --last-connected <duration> when given.
    std::vector<json::ObjectPtr> shownNodes() {
        std::optional<long long> window;
        if (auto d = args_.value("last-connected")) window = durationMs(*d);
        std::vector<json::ObjectPtr> out;
        for (const json::ObjectPtr& n : objectsIn(nodeList(), "nodes")) {
            if (args_.has("connected") && !json::getBool(n, "connected").value_or(false)) continue;
            const long long seen = json::getInt(n, "lastConnectedAtMs")
                                       .value_or(json::getInt(n, "connectedAtMs")
                                                     .value_or(json::getInt(n, "lastSeenAtMs").value_or(0)));
            if (window && nowMs() - seen > *window) continue;
            out.push_back(n);
        }
        return out;
    }

    int list() {
        const json::ObjectPtr pairs = pairList();
        const std::vector<json::ObjectPtr> nodes = shownNodes();
        if (json_) {
            json::ObjectPtr out = json::makeObject();
            out->set("pending", json::getArray(pairs, "pending"));
            json::ArrayPtr paired = json::makeArray();
            for (const json::ObjectPtr& n : nodes)
                paired->add(n);
            out->set("paired", paired);
            printJson(out);
            return 0;
        }
        const std::vector<json::ObjectPtr> pending = objectsIn(pairs, "pending");
        std::cout << "Pending: " << pending.size() << " · Paired: " << nodes.size() << "\n";
        if (!pending.empty()) std::cout << "\nPending\n" << nodePendingTable(pending, nowMs());
        if (!nodes.empty()) std::cout << "\nPaired\n" << nodePairedTable(nodes, nowMs());
        return 0;
    }

    int status() {
        const std::vector<json::ObjectPtr> nodes = shownNodes();
        if (json_) {
            json::ObjectPtr out = json::makeObject();
            out->set("ts", nowMs());
            json::ArrayPtr list = json::makeArray();
            for (const json::ObjectPtr& n : nodes)
                list->add(n);
            out->set("nodes", list);
            printJson(out);
            return 0;
        }
        size_t paired = 0, connected = 0;
        for (const json::ObjectPtr& n : nodes) {
            paired += json::getBool(n, "paired").value_or(false) ? 1 : 0;
            connected += json::getBool(n, "connected").value_or(false) ? 1 : 0;
        }
        std::cout << "Known: " << nodes.size() << " · Paired: " << paired << " · Connected: " << connected
                  << "\n";
        if (nodes.empty()) return 0;
        std::cout << nodeStatusTable(nodes, nowMs());
        printNotices(nodes);
        return 0;
    }

    int pending() {
        const json::ObjectPtr pairs = pairList();
        if (json_) {
            printJson(json::getArray(pairs, "pending"));
            return 0;
        }
        const std::vector<json::ObjectPtr> p = objectsIn(pairs, "pending");
        if (p.empty())
            std::cout << "No pending pairing requests.\n";
        else
            std::cout << "Pending\n" << nodePendingTable(p, nowMs());
        return 0;
    }

    int resolve(const std::string& sub) {
        if (args_.positionals().empty()) throw UsageError("missing required argument 'requestId'");
        const std::string id = args_.positionals().front();
        std::vector<std::string> scopes = {kPairing};
        const std::vector<json::ObjectPtr> pending = objectsIn(pairList(), "pending");
        for (const json::ObjectPtr& r : pending)
            if (json::getString(r, "requestId") == id && sub == "approve") {
                scopes.clear();
                const json::ArrayPtr required = json::getArray(r, "requiredApproveScopes");
                for (size_t i = 0; required && i < required->size(); ++i)
                    scopes.push_back(required->get(static_cast<unsigned>(i)).toString());
            }
        json::ObjectPtr p = json::makeObject();
        p->set("requestId", id);
        try {
            printJson(calls_.call("node.pair." + sub, p, scopes));
        } catch (const client::GatewayError& e) {
            if (e.rpc.message != "unknown requestId") throw;
            return commandFailed(unknownRequest(id, sub == "approve" ? &pending : nullptr), true);
        }
        return 0;
    }

    /// The reference's words for a request id nobody is waiting on.
    /// `pending`: the requests approve looked at (reject looks at none and names none).
    std::string unknownRequest(const std::string& id, const std::vector<json::ObjectPtr>* pending) const {
        std::string why = "Unknown node pairing requestId: " + id;
        std::string ids;
        for (size_t i = 0; pending && i < pending->size(); ++i)
            ids += (ids.empty() ? "" : ", ") + json::getString((*pending)[i], "requestId").value_or("");
        if (pending)
            why += ids.empty() ? "\nNo pending node pairing requests are currently visible."
                               : "\nPending requestIds: " + ids;
        why += "\nRun openclaw nodes pending to inspect current requests.";
        if (const std::string reminder = connectionReminder(args_); !reminder.empty()) why += "\n" + reminder;
        return why;
    }

    /// --node as an id or a display name.
    std::string nodeId() {
        const auto given = args_.value("node");
        if (!given) throw UsageError("--node <idOrNameOrIp> is required");
        std::string known;
        for (const json::ObjectPtr& n : objectsIn(nodeList(), "nodes")) {
            std::string id = json::getString(n, "nodeId").value_or("");
            const std::string name = json::getString(n, "displayName").value_or("");
            if (*given == id || *given == name || *given == json::getString(n, "remoteIp").value_or("-"))
                return id;
            known += (known.empty() ? "" : ", ") + name;
        }
        std::cerr << "nodes " << sub_ << " failed: unknown node: " << *given << " (known: " << known << ")\n";
        throw ExitCode{1};
    }

    int simple(const std::string& method, const std::string& human) {
        json::ObjectPtr p = json::makeObject();
        p->set("nodeId", nodeId());
        const json::Var r = calls_.call(method, p, {kPairing});
        json_ ? printJson(r)
              : void(std::cout << human << json::getString(json::asObject(r), "nodeId").value_or("") << "\n");
        return 0;
    }

    int rename() {
        if (!args_.value("name")) throw UsageError("--name <displayName> is required");
        json::ObjectPtr p = json::makeObject();
        p->set("nodeId", nodeId());
        p->set("displayName", *args_.value("name"));
        const json::ObjectPtr r = json::asObject(calls_.call("node.rename", p, {kPairing}));
        if (json_)
            printJson(r);
        else
            std::cout << "node rename ok: " << json::getString(r, "nodeId").value_or("") << " -> "
                      << json::getString(r, "displayName").value_or("") << "\n";
        return 0;
    }

    int describe() {
        json::ObjectPtr p = json::makeObject();
        const std::string id = nodeId();
        p->set("nodeId", id);
        const json::ObjectPtr n = json::asObject(calls_.call("node.describe", p, {kRead, kPairing}));
        if (json_) {
            printJson(n);
            return 0;
        }
        std::cout << "Node\n" << nodeDescribeTable(n, id, args_, nowMs()) << "\nCommands\n";
        const std::vector<std::string> commands = sortedStrings(json::getArray(n, "commands"));
        if (commands.empty()) std::cout << "- (none effective)\n";
        for (const std::string& c : commands)
            std::cout << "- " << c << "\n";
        const std::vector<std::string> pending = sortedStrings(json::getArray(n, "pendingDeclaredCommands"));
        if (!pending.empty()) std::cout << "\nPending commands\n";
        for (const std::string& c : pending)
            std::cout << "- " << c << "\n";
        return 0;
    }

    int invoke() {
        const auto command = args_.value("command");
        if (!command) throw UsageError("--command <command> is required");
        if (*command == "system.run")
            return commandFailed(
                "command \"system.run\" is reserved for shell execution; use the exec tool with "
                "host=node instead",
                true);
        json::Var params;
        try {
            params = json::parse(args_.value("params").value_or("{}"));
        } catch (const std::exception& e) {
            return commandFailed(std::string("--params is not JSON: ") + e.what(), true);
        }
        json::ObjectPtr p = json::makeObject();
        p->set("nodeId", nodeId());
        p->set("command", *command);
        p->set("params", params);
        p->set("timeoutMs", args_.integer("invoke-timeout").value_or(15000));
        p->set("idempotencyKey", args_.value("idempotency-key").value_or(protocol::randomUuid()));
        printJson(calls_.call("node.invoke", p, {kWrite}));
        return 0;
    }

    GatewayCalls& calls_;
    const Args& args_;
    bool json_;
    std::string sub_;
};

const std::vector<OptionSpec> kSpecs =
    pairingOptions({{"node", true, "the node: its id or display name", "idOrNameOrIp"},
                    {"name", true, "rename: the new display name", "displayName"},
                    {"command", true, "invoke: the command, e.g. system.which", "command"},
                    {"params", true, "invoke: the command's params as JSON (default {})", "json"},
                    {"invoke-timeout", true, "invoke: how long the node may take, ms (default 15000)", "ms"},
                    {"idempotency-key", true, "invoke: the key (default: a fresh UUID)", "key"},
                    {"connected", false, "list/status: only connected nodes"},
                    {"last-connected", true,
                     "list/status: only nodes connected within this long (30m, 24h, 7d)", "duration"}},
                   false);

} // namespace

int runNodes(Context& ctx, size_t argIndex) {
    const std::string sub = argIndex < ctx.argv.size() ? ctx.argv[argIndex] : "";
    Args args = Args::parse(ctx.argv, argIndex + (sub.empty() || sub[0] == '-' ? 0 : 1), kSpecs);
    if (sub.empty() || sub[0] == '-' || args.has("help")) {
        std::cout << renderHelp(
            "openclaw nodes list|status|pending|approve <requestId>|reject <requestId>|remove|rename|"
            "describe|invoke [options]",
            "The gateway's nodes: pairing of their command surfaces, status, and invoke.", kSpecs);
        return sub.empty() ? 1 : 0;
    }
    try {
        GatewayCalls calls(ctx, args);
        return Nodes(calls, args).run(sub);
    } catch (const client::GatewayError& e) {
        return commandFailed(e.kind == client::GatewayError::Kind::Request && !e.rpc.message.empty()
                                 ? e.rpc.message
                                 : e.what(),
                             true);
    }
}

} // namespace openclaw::cli
