// `openclaw devices list|approve|reject|remove|rename|rotate|revoke|clear`: device pairing and device tokens
// through the gateway's device.pair.* and device.token.* methods, with the reference CLI's outputs and exit
// codes (reference/nodes-and-devices.md §4–§5).
#include "GatewayCalls.h"
#include "Table.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <set>

namespace openclaw::cli {

namespace {

const std::string kPairing = "operator.pairing";
const std::string kAdmin = "operator.admin";

long long nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string joinedOr(const std::vector<std::string>& items, const std::string& none) {
    std::string out;
    for (const std::string& item : items)
        out += (out.empty() ? "" : ", ") + item;
    return out.empty() ? none : out;
}

std::vector<std::string> stringsOf(const json::ArrayPtr& a) {
    std::vector<std::string> out;
    for (size_t i = 0; a && i < a->size(); ++i)
        if (a->get(static_cast<unsigned>(i)).isString())
            out.push_back(a->get(static_cast<unsigned>(i)).toString());
    return out;
}

std::string joinedOr(const json::ArrayPtr& a, const std::string& none) {
    return joinedOr(stringsOf(a), none);
}

std::string nameOf(const json::ObjectPtr& d) {
    for (const char* k : {"operatorLabel", "displayName", "clientId"})
        if (auto v = json::getString(d, k); v && !v->empty()) return *v;
    return json::getString(d, "deviceId").value_or("");
}

/// Roles as the reference's CLI reads them: the list and the single role together, sorted, once each.
std::vector<std::string> rolesOf(const json::ObjectPtr& d) {
    std::set<std::string> roles;
    for (const std::string& r : stringsOf(json::getArray(d, "roles")))
        roles.insert(r);
    if (auto r = json::getString(d, "role"); r && !r->empty()) roles.insert(*r);
    return {roles.begin(), roles.end()};
}

/// Scopes with what admin and write imply, sorted.
std::vector<std::string> scopesOf(const json::ObjectPtr& d) {
    std::set<std::string> scopes;
    for (const std::string& s : stringsOf(json::getArray(d, "scopes")))
        scopes.insert(s);
    if (scopes.count("operator.admin")) scopes.insert({"operator.read", "operator.write"});
    if (scopes.count("operator.write")) scopes.insert("operator.read");
    return {scopes.begin(), scopes.end()};
}

std::string tokensOf(const json::ObjectPtr& d) {
    std::vector<std::string> out;
    const json::ArrayPtr tokens = json::getArray(d, "tokens");
    for (size_t i = 0; tokens && i < tokens->size(); ++i) {
        json::ObjectPtr t = json::asObject(tokens->get(static_cast<unsigned>(i)));
        out.push_back(json::getString(t, "role").value_or("") + (t->has("revokedAtMs") ? " (revoked)" : ""));
    }
    std::sort(out.begin(), out.end());
    return joinedOr(out, "none");
}

/// The access a paired device holds: its roles with a token not revoked, and its scopes.
std::pair<std::vector<std::string>, std::vector<std::string>> approvedAccess(const json::ObjectPtr& d) {
    std::vector<std::string> roles = rolesOf(d);
    if (const json::ArrayPtr tokens = json::getArray(d, "tokens")) {
        std::set<std::string> live;
        for (size_t i = 0; i < tokens->size(); ++i) {
            json::ObjectPtr t = json::asObject(tokens->get(static_cast<unsigned>(i)));
            if (!t->has("revokedAtMs")) live.insert(json::getString(t, "role").value_or(""));
        }
        roles.erase(std::remove_if(roles.begin(), roles.end(), [&](const auto& r) { return !live.count(r); }),
                    roles.end());
    }
    return {roles, scopesOf(d)};
}

std::string accessText(const std::vector<std::string>& roles, const std::vector<std::string>& scopes) {
    return "roles: " + joinedOr(roles, "none") + "; scopes: " + joinedOr(scopes, "none");
}

bool coversAll(const std::vector<std::string>& have, const std::vector<std::string>& want) {
    return std::all_of(want.begin(), want.end(),
                       [&](const auto& w) { return std::find(have.begin(), have.end(), w) != have.end(); });
}

/// A pending request's row: what it asks, what the device holds, and what kind of approval that is.
std::vector<std::string> pendingRow(const json::ObjectPtr& r, const json::ObjectPtr& paired, long long now) {
    const std::vector<std::string> roles = rolesOf(r), scopes = scopesOf(r);
    std::string approved = "none", kind = "new pairing";
    if (paired) {
        const auto [haveRoles, haveScopes] = approvedAccess(paired);
        approved = accessText(haveRoles, haveScopes);
        kind = !coversAll(haveRoles, roles)     ? "role upgrade"
               : !coversAll(haveScopes, scopes) ? "scope upgrade"
                                                : "re-approval";
    }
    if (json::getBool(r, "isRepair").value_or(false)) kind += ", repair";
    const std::string name = json::getString(r, "displayName").value_or("");
    const std::string ip = json::getString(r, "remoteIp").value_or("");
    return {json::getString(r, "requestId").value_or(""),
            (name.empty() ? json::getString(r, "deviceId").value_or("") : name) +
                (ip.empty() ? "" : " · " + ip),
            accessText(roles, scopes),
            approved,
            r->has("ts") ? ageOf(json::getInt(r, "ts").value_or(now), now) : "",
            kind};
}

json::ObjectPtr pairedWithId(const json::ArrayPtr& paired, const std::string& deviceId) {
    for (size_t i = 0; paired && i < paired->size(); ++i) {
        json::ObjectPtr d = json::asObject(paired->get(static_cast<unsigned>(i)));
        if (json::getString(d, "deviceId") == deviceId) return d;
    }
    return nullptr;
}

void printPending(const json::ArrayPtr& pending, const json::ArrayPtr& paired) {
    const long long now = nowMs();
    std::vector<std::vector<std::string>> rows;
    for (size_t i = 0; i < pending->size(); ++i) {
        json::ObjectPtr r = json::asObject(pending->get(static_cast<unsigned>(i)));
        rows.push_back(pendingRow(r, pairedWithId(paired, json::getString(r, "deviceId").value_or("")), now));
    }
    std::cout << "Pending (" << pending->size() << ")\n"
              << renderTable({{"Request", 10},
                              {"Device", 16, true},
                              {"Requested", 20, true},
                              {"Approved", 20, true},
                              {"Age", 8},
                              {"Status", 12}},
                             rows, terminalTableWidth());
}

/// "Node approval pending for <name>. Run openclaw nodes approve <id>" for each node surface waiting.
void printNodeNotices(const json::ArrayPtr& paired, const Args& args) {
    for (size_t i = 0; i < paired->size(); ++i) {
        json::ObjectPtr d = json::asObject(paired->get(static_cast<unsigned>(i)));
        const json::ObjectPtr surface = json::getObject(d, "pendingNodeSurface");
        const std::string requestId = json::getString(surface, "requestId").value_or("");
        if (requestId.empty()) continue;
        std::string label = json::getString(d, "operatorLabel").value_or("");
        if (label.empty()) label = json::getString(surface, "displayName").value_or("");
        if (label.empty())
            label = json::getString(json::getObject(d, "nodeSurface"), "displayName").value_or("");
        if (label.empty()) label = json::getString(d, "displayName").value_or("");
        if (label.empty()) label = json::getString(d, "deviceId").value_or("");
        std::cout << "Node " << (d->has("nodeSurface") ? "reapproval" : "approval") << " pending for "
                  << label << ". Run " << approveCommand("nodes", requestId, args) << "\n";
        if (const std::string reminder = connectionReminder(args); !reminder.empty())
            std::cout << reminder << "\n";
    }
}

void printPaired(const json::ArrayPtr& paired, const Args& args) {
    std::vector<std::vector<std::string>> rows;
    for (size_t i = 0; i < paired->size(); ++i) {
        json::ObjectPtr d = json::asObject(paired->get(static_cast<unsigned>(i)));
        rows.push_back({nameOf(d), json::getString(d, "deviceId").value_or(""),
                        joinedOr(json::getArray(d, "roles"), ""), joinedOr(json::getArray(d, "scopes"), ""),
                        tokensOf(d), json::getString(d, "remoteIp").value_or("")});
    }
    std::cout << "Paired (" << paired->size() << ")\n"
              << renderTable({{"Device", 16, true},
                              {"Device ID", 12, true},
                              {"Roles", 12, true},
                              {"Scopes", 12, true},
                              {"Tokens", 12, true},
                              {"IP", 12}},
                             rows, terminalTableWidth())
              << "Full device IDs\n";
    for (const auto& row : rows)
        std::cout << "  " << row[1] << "  " << row[0] << "\n";
    printNodeNotices(paired, args);
}

void printList(const json::ObjectPtr& list, const Args& args) {
    const json::ArrayPtr pending = json::getArray(list, "pending");
    const json::ArrayPtr paired = json::getArray(list, "paired");
    if (pending && pending->size() > 0) printPending(pending, paired);
    if (paired && paired->size() > 0) printPaired(paired, args);
    if ((!pending || pending->size() == 0) && (!paired || paired->size() == 0))
        std::cout << "No device pairing entries.\n";
}

/// `devices approve` without an id (or with --latest): shows the newest request and how to approve it.
int previewLatest(GatewayCalls& calls) {
    const json::ObjectPtr list = json::asObject(calls.call("device.pair.list", json::Var(), {kPairing}));
    const json::ArrayPtr pending = json::getArray(list, "pending");
    if (!pending || pending->size() == 0) return commandFailed("No pending device pairing requests.", false);
    const json::ObjectPtr r = json::asObject(pending->get(0)); // newest first
    const std::string id = json::getString(r, "requestId").value_or("");
    std::cout << "Selected pending device request " << id << "\nDevice: " << nameOf(r) << " ("
              << json::getString(r, "deviceId").value_or("")
              << ")\nRequested: roles: " << joinedOr(json::getArray(r, "roles"), "none")
              << "; scopes: " << joinedOr(json::getArray(r, "scopes"), "none") << "\nNote:   "
              << (json::getBool(r, "isRepair").value_or(false)
                      ? "Already paired. Requested access exceeds the current approval."
                      : "First-time device pairing request.")
              << "\n";
    std::cerr << "Approve this exact request with: openclaw devices approve " << id << "\n";
    return 1;
}

int approve(GatewayCalls& calls, const std::string& requestId, bool asJson) {
    json::ObjectPtr params = json::makeObject();
    params->set("requestId", requestId);
    json::Var result;
    try {
        result = calls.call("device.pair.approve", params, {kPairing});
    } catch (const client::GatewayError& e) {
        // As the reference's CLI: a node (or wider) approval needs admin; ask again with it.
        if (e.rpc.message.find("device pairing approval denied") == std::string::npos) throw;
        result = calls.call("device.pair.approve", params, {kAdmin});
    }
    if (asJson) {
        printJson(result);
    } else {
        const json::ObjectPtr device = json::getObject(json::asObject(result), "device");
        std::cout << "Approved " << json::getString(device, "deviceId").value_or("") << " (" << requestId
                  << ")\n";
    }
    return 0;
}

int clear(GatewayCalls& calls, const Args& args, bool asJson) {
    if (!args.has("yes")) {
        std::cerr << "Refusing to clear pairing table without --yes\n";
        return 1;
    }
    const json::ObjectPtr list = json::asObject(calls.call("device.pair.list", json::Var(), {kPairing}));
    json::ArrayPtr removed = json::makeArray(), rejected = json::makeArray();
    const json::ArrayPtr paired = json::getArray(list, "paired");
    for (size_t i = 0; paired && i < paired->size(); ++i) {
        const std::string id =
            json::getString(json::asObject(paired->get(static_cast<unsigned>(i))), "deviceId").value_or("");
        json::ObjectPtr p = json::makeObject();
        p->set("deviceId", id);
        calls.call("device.pair.remove", p, {kAdmin});
        removed->add(id);
    }
    const json::ArrayPtr pending = json::getArray(list, "pending");
    for (size_t i = 0; args.has("pending") && pending && i < pending->size(); ++i) {
        const std::string id =
            json::getString(json::asObject(pending->get(static_cast<unsigned>(i))), "requestId").value_or("");
        json::ObjectPtr p = json::makeObject();
        p->set("requestId", id);
        calls.call("device.pair.reject", p, {kPairing});
        rejected->add(id);
    }
    json::ObjectPtr out = json::makeObject();
    out->set("removedDevices", removed);
    out->set("rejectedPending", rejected);
    if (asJson)
        printJson(out);
    else
        std::cout << "Removed " << removed->size() << " paired device(s); rejected " << rejected->size()
                  << " pending request(s).\n";
    return 0;
}

/// `devices import`: the reference gateway's paired devices into ours (device.pair.import, admin).
int importReference(GatewayCalls& calls, const Args& args, bool asJson) {
    json::ObjectPtr p = json::makeObject();
    // The gateway reads the file: a relative path means the one where the operator stands.
    if (const auto from = args.value("from")) p->set("from", std::filesystem::absolute(*from).string());
    const json::ObjectPtr result = json::asObject(calls.call("device.pair.import", p, {kAdmin}));
    if (asJson) {
        printJson(result);
        return 0;
    }
    const json::ArrayPtr imported = json::getArray(result, "imported");
    const json::ArrayPtr skipped = json::getArray(result, "skipped");
    std::cout << "Imported " << (imported ? imported->size() : 0) << " paired device(s) from "
              << json::getString(result, "from").value_or("") << ".\n";
    for (size_t i = 0; imported && i < imported->size(); ++i) {
        json::ObjectPtr d = json::asObject(imported->get(static_cast<unsigned>(i)));
        std::cout << "  " << json::getString(d, "deviceId").value_or("") << "  "
                  << json::getString(d, "displayName").value_or("") << "\n";
    }
    for (size_t i = 0; skipped && i < skipped->size(); ++i) {
        json::ObjectPtr d = json::asObject(skipped->get(static_cast<unsigned>(i)));
        std::cout << "Skipped " << json::getString(d, "deviceId").value_or("") << ": "
                  << json::getString(d, "reason").value_or("") << "\n";
    }
    if (const auto pending = json::getInt(result, "pendingNotImported"); pending && *pending > 0)
        std::cout << *pending
                  << " pending request(s) not imported: those devices ask again when they reconnect.\n";
    return 0;
}

json::ObjectPtr deviceAndRole(const Args& args, bool withScopes) {
    json::ObjectPtr p = json::makeObject();
    const auto device = args.value("device");
    const auto role = args.value("role");
    if (!device || !role) throw UsageError("--device <id> and --role <role> are required");
    p->set("deviceId", *device);
    p->set("role", *role);
    if (withScopes && args.has("no-scopes")) p->set("scopes", json::makeArray());
    if (withScopes && args.value("scope")) {
        json::ArrayPtr scopes = json::makeArray();
        for (size_t start = 0, comma = 0; comma != std::string::npos; start = comma + 1) {
            comma = args.value("scope")->find(',', start);
            scopes->add(args.value("scope")->substr(start, comma - start));
        }
        p->set("scopes", scopes);
    }
    return p;
}

int runDevicesCommand(GatewayCalls& calls, const std::string& sub, const Args& args) {
    const bool asJson = args.has("json");
    const auto& pos = args.positionals();
    auto one = [&](const char* what) {
        if (pos.empty()) throw UsageError(std::string("missing required argument '") + what + "'");
        return pos.front();
    };
    if (sub == "list") {
        const json::Var list = calls.call("device.pair.list", json::Var(), {kPairing});
        asJson ? printJson(list) : printList(json::asObject(list), args);
        return 0;
    }
    if (sub == "approve")
        return pos.empty() || args.has("latest") ? previewLatest(calls) : approve(calls, pos.front(), asJson);
    if (sub == "clear") return clear(calls, args, asJson);
    if (sub == "import") return importReference(calls, args, asJson);
    json::ObjectPtr p = json::makeObject();
    std::string method, scope = kPairing, human;
    if (sub == "reject") {
        p->set("requestId", one("requestId"));
        method = "device.pair.reject";
    } else if (sub == "remove") {
        p->set("deviceId", one("deviceId"));
        method = "device.pair.remove";
    } else if (sub == "rename") {
        if (!args.value("device") || !args.value("name"))
            throw UsageError("--device <id> and --name <label> are required");
        p->set("deviceId", *args.value("device"));
        p->set("label", *args.value("name"));
        method = "device.pair.rename";
    } else if (sub == "rotate" || sub == "revoke") {
        p = deviceAndRole(args, sub == "rotate");
        method = "device.token." + sub;
        if (json::getString(p, "role") != "operator") scope = kAdmin;
    } else {
        throw UsageError("unknown devices command \"" + sub +
                         "\" (list, approve, reject, remove, rename, rotate, revoke, clear, import)");
    }
    const json::ObjectPtr result = json::asObject(calls.call(method, p, {scope}));
    if (asJson || sub == "rotate" || sub == "revoke") {
        printJson(result);
    } else if (sub == "reject") {
        std::cout << "Rejected " << json::getString(result, "deviceId").value_or("") << "\n";
    } else if (sub == "remove") {
        std::cout << "Removed " << json::getString(result, "deviceId").value_or("") << "\n";
    } else {
        std::cout << "Renamed " << json::getString(result, "deviceId").value_or("") << " → "
                  << json::getString(result, "label").value_or("") << "\n";
    }
    return 0;
}

const std::vector<OptionSpec> kSpecs = pairingOptions(
    {{"latest", false, "approve: preview the newest pending request"},
     {"device", true, "rename/rotate/revoke: the device id", "id"},
     {"name", true, "rename: the new label (at most 64 characters)", "label"},
     {"role", true, "rotate/revoke: the token's role", "role"},
     {"scope", true, "rotate: the token's scopes (comma-separated)", "scopes"},
     {"no-scopes", false, "rotate: a token without scopes"},
     {"pending", false, "clear: also reject the pending requests"},
     {"yes", false, "clear: really remove every paired device"},
     {"from", true,
      "import: the reference gateway's state database (default: <state dir>/state/openclaw.sqlite)", "path"}},
    true);

} // namespace

int runDevices(Context& ctx, size_t argIndex) {
    const std::string sub = argIndex < ctx.argv.size() ? ctx.argv[argIndex] : "";
    Args args = Args::parse(ctx.argv, argIndex + (sub.empty() || sub[0] == '-' ? 0 : 1), kSpecs);
    if (sub.empty() || sub[0] == '-' || args.has("help")) {
        std::cout << renderHelp(
            "openclaw devices list|approve [requestId] [--latest]|reject <requestId>|remove "
            "<deviceId>|rename|rotate|revoke|clear|import [--from <path>] [options]",
            "Device pairing and device tokens on the gateway (device.pair.*, device.token.*); import takes "
            "the "
            "reference gateway's paired devices and nodes (their tokens kept as hashes until rotated).",
            kSpecs);
        return sub.empty() ? 1 : 0;
    }
    try {
        GatewayCalls calls(ctx, args);
        return runDevicesCommand(calls, sub, args);
    } catch (const client::GatewayError& e) {
        return commandFailed(e.kind == client::GatewayError::Kind::Request && !e.rpc.message.empty()
                                 ? e.rpc.message
                                 : e.what(),
                             false);
    }
}

} // namespace openclaw::cli
