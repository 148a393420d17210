#include "NodeFormat.h"

#include "GatewayCalls.h"
#include "Table.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>

namespace openclaw::cli {

namespace {

std::string str(const json::ObjectPtr& o, const std::string& key) {
    return json::getString(o, key).value_or("");
}

std::string trimmed(std::string s) {
    const size_t first = s.find_first_not_of(" \t\n");
    if (first == std::string::npos) return "";
    return s.substr(first, s.find_last_not_of(" \t\n") - first + 1);
}

std::string joined(const std::vector<std::string>& items, const std::string& glue) {
    std::string out;
    for (const std::string& item : items)
        out += (out.empty() ? "" : glue) + item;
    return out;
}

std::optional<double> number(const json::ObjectPtr& o, const std::string& key) {
    if (!o || !o->has(key)) return std::nullopt;
    const json::Var v = o->get(key);
    if (!v.isNumeric()) return std::nullopt;
    return v.convert<double>();
}

/// 1.5 KB, 7.6 GB, 120 MB: powers of 1024 with the legacy labels, one decimal below ten.
std::string bytesText(double bytes) {
    static const char* kLabels[] = {"B", "KB", "MB", "GB", "TB"};
    size_t unit = 0;
    while (bytes >= 1024 && unit < 4) {
        bytes /= 1024;
        ++unit;
    }
    char out[48];
    std::snprintf(out, sizeof out, "%.*f %s", bytes < 10 && unit > 0 ? 1 : 0, bytes, kLabels[unit]);
    return out;
}

/// "load 0.4/2 · mem 1.2/7.6 GB · disk 20 GB free", "(last known 5m ago)" when the node is away.
std::string hostStatsText(const json::ObjectPtr& stats, bool connected, long long now) {
    const auto total = number(stats, "memoryTotalBytes"), free = number(stats, "memoryFreeBytes");
    const auto updated = number(stats, "updatedAtMs");
    if (!stats || !total || !free || !updated) return "";
    const std::string all = bytesText(*total);
    std::string used = bytesText(*total - *free);
    const std::string unit = all.substr(all.rfind(' '));
    if (used.size() >= unit.size() && used.compare(used.size() - unit.size(), unit.size(), unit) == 0)
        used.resize(used.size() - unit.size());
    std::vector<std::string> parts;
    const json::ArrayPtr load = json::getArray(stats, "loadAverage");
    if (load && load->size() > 0) {
        char text[64];
        std::snprintf(text, sizeof text, "load %.1f/%lld", load->get(0).convert<double>(),
                      static_cast<long long>(number(stats, "cpuCount").value_or(0)));
        parts.emplace_back(text);
    }
    parts.push_back("mem " + used + "/" + all);
    if (const auto disk = number(stats, "diskAvailableBytes"))
        parts.push_back("disk " + bytesText(*disk) + " free");
    const std::string summary = joined(parts, " · ");
    return connected ? summary
                     : summary + " (last known " + ageOf(static_cast<long long>(*updated), now) + ")";
}

/// A long PATH as its first two entries, "…" and its last.
std::string pathText(const json::ObjectPtr& node) {
    std::string raw = trimmed(str(node, "pathEnv"));
    if (raw.empty()) return "";
    const std::string platform = str(node, "platform");
    const char sep = platform == "win32" || platform == "windows" ? ';' : ':';
    std::vector<std::string> parts;
    for (size_t start = 0, end = 0; end != std::string::npos; start = end + 1) {
        end = raw.find(sep, start);
        if (std::string part = raw.substr(start, end - start); !part.empty()) parts.push_back(part);
    }
    if (parts.size() <= 3) return raw;
    return parts[0] + sep + parts[1] + sep + "…" + sep + parts.back();
}

std::string versionLabel(const std::string& v) {
    return !v.empty() && std::isdigit(static_cast<unsigned char>(v[0])) ? "v" + v : v;
}

/// "core v2026.9.6" (a desktop platform's version is its core's), "ui v1.2" otherwise.
std::string versionsText(const json::ObjectPtr& node) {
    std::string core = trimmed(str(node, "coreVersion")), ui = trimmed(str(node, "uiVersion"));
    if (core.empty() && ui.empty()) {
        const std::string legacy = trimmed(str(node, "version"));
        std::string platform = str(node, "platform");
        std::transform(platform.begin(), platform.end(), platform.begin(), ::tolower);
        const bool desktop =
            platform == "darwin" || platform == "linux" || platform == "win32" || platform == "windows";
        (desktop ? core : ui) = legacy;
    }
    std::vector<std::string> parts;
    if (!core.empty()) parts.push_back("core " + versionLabel(core));
    if (!ui.empty()) parts.push_back("ui " + versionLabel(ui));
    return joined(parts, " · ");
}

/// "[camera=yes, location=no]".
std::string permissionsText(const json::ObjectPtr& perms) {
    if (!perms || perms->size() == 0) return "";
    std::vector<std::string> parts;
    for (const auto& [key, value] : *perms)
        parts.push_back(key + "=" + (value.isBoolean() && value.convert<bool>() ? "yes" : "no"));
    std::sort(parts.begin(), parts.end());
    return "[" + joined(parts, ", ") + "]";
}

std::string clientText(const json::ObjectPtr& node) {
    const std::string id = trimmed(str(node, "clientId")), mode = trimmed(str(node, "clientMode"));
    return !id.empty() && !mode.empty() ? id + "/" + mode : id.empty() ? mode : id;
}

std::string approvalLabel(const std::string& state) {
    return state == "pending-approval"     ? "approval pending"
           : state == "pending-reapproval" ? "reapproval pending"
                                           : state;
}

std::string detailText(const json::ObjectPtr& n, long long now) {
    std::vector<std::string> parts;
    const auto add = [&](const std::string& prefix, const std::string& value) {
        if (!value.empty()) parts.push_back(prefix + value);
    };
    add("client: ", clientText(n));
    add("device: ", str(n, "deviceFamily"));
    add("hw: ", str(n, "modelIdentifier"));
    add("perms: ", permissionsText(json::getObject(n, "permissions")));
    add("", versionsText(n));
    add("",
        hostStatsText(json::getObject(n, "hostStats"), json::getBool(n, "connected").value_or(false), now));
    add("path: ", pathText(n));
    if (const auto active = number(n, "lastActiveAtMs"))
        add("input: ", ageOf(static_cast<long long>(*active), now) +
                           (json::getBool(n, "active").value_or(false) ? " (active)" : ""));
    return joined(parts, " · ");
}

std::string statusText(const json::ObjectPtr& n, long long now) {
    std::string out = json::getBool(n, "paired").value_or(false) ? "paired" : "unpaired";
    out += json::getBool(n, "connected").value_or(false) ? " · connected" : " · disconnected";
    if (const auto since = json::getInt(n, "connectedAtMs")) out += " (" + ageOf(*since, now) + ")";
    const std::string state = approvalStateOf(n);
    if (!state.empty()) out += " · " + approvalLabel(state);
    return out;
}

} // namespace

std::string nodeLabel(const json::ObjectPtr& node) {
    const std::string name = trimmed(str(node, "displayName"));
    return name.empty() ? str(node, "nodeId") : name;
}

std::string approvalStateOf(const json::ObjectPtr& node) {
    const std::string s = str(node, "approvalState");
    return s == "approved" || s == "pending-approval" || s == "pending-reapproval" || s == "unapproved" ? s
                                                                                                        : "";
}

std::vector<std::string> sortedStrings(const json::ArrayPtr& a) {
    std::vector<std::string> out;
    for (size_t i = 0; a && i < a->size(); ++i)
        if (std::string s = a->get(static_cast<unsigned>(i)).toString(); !s.empty()) out.push_back(s);
    std::sort(out.begin(), out.end());
    return out;
}

std::string nodePendingTable(const std::vector<json::ObjectPtr>& pending, long long nowMs) {
    std::vector<std::vector<std::string>> rows;
    rows.reserve(pending.size());
    for (const json::ObjectPtr& r : pending)
        rows.push_back({str(r, "requestId"), nodeLabel(r), str(r, "remoteIp"),
                        r->has("ts") ? ageOf(json::getInt(r, "ts").value_or(nowMs), nowMs) : "unknown"});
    return renderTable({{"Request", 8}, {"Node", 14, true}, {"IP", 10}, {"Requested", 12}}, rows,
                       terminalTableWidth());
}

std::string nodePairedTable(const std::vector<json::ObjectPtr>& nodes, long long nowMs) {
    std::vector<std::vector<std::string>> rows;
    rows.reserve(nodes.size());
    for (const json::ObjectPtr& n : nodes) {
        const auto seen = json::getInt(n, "lastConnectedAtMs") ? json::getInt(n, "lastConnectedAtMs")
                                                               : json::getInt(n, "connectedAtMs");
        rows.push_back(
            {nodeLabel(n), str(n, "nodeId"), str(n, "remoteIp"), seen ? ageOf(*seen, nowMs) : "unknown"});
    }
    return renderTable({{"Node", 14, true}, {"ID", 10}, {"IP", 10}, {"Last Connect", 14}}, rows,
                       terminalTableWidth());
}

std::string nodeStatusTable(const std::vector<json::ObjectPtr>& nodes, long long nowMs) {
    std::vector<std::vector<std::string>> rows;
    rows.reserve(nodes.size());
    for (const json::ObjectPtr& n : nodes) {
        const json::ArrayPtr caps = json::getArray(n, "caps");
        rows.push_back({nodeLabel(n), str(n, "nodeId"), str(n, "remoteIp"), detailText(n, nowMs),
                        statusText(n, nowMs), caps ? joined(sortedStrings(caps), ", ") : "?"});
    }
    return renderTable({{"Node", 14, true},
                        {"ID", 10},
                        {"IP", 10},
                        {"Detail", 18, true},
                        {"Status", 18},
                        {"Caps", 12, true}},
                       rows, terminalTableWidth());
}

std::string nodeDescribeTable(const json::ObjectPtr& n, const std::string& nodeId, const Args& args,
                              long long nowMs) {
    const bool connected = json::getBool(n, "connected").value_or(false);
    const std::string state = approvalStateOf(n), pendingId = trimmed(str(n, "pendingRequestId"));
    const bool pending = state == "pending-approval" || state == "pending-reapproval";
    const std::string approve = pending && !pendingId.empty() ? approveCommand("nodes", pendingId, args) : "";
    std::vector<std::vector<std::string>> rows;
    const auto add = [&](const std::string& field, const std::string& value) {
        if (!value.empty()) rows.push_back({field, value});
    };
    add("ID", nodeId);
    add("Name", n->has("displayName") ? str(n, "displayName") : nodeId);
    add("Client", clientText(n));
    add("IP", str(n, "remoteIp"));
    add("Device", str(n, "deviceFamily"));
    add("Model", str(n, "modelIdentifier"));
    add("Perms", permissionsText(json::getObject(n, "permissions")));
    add("Version", versionsText(n));
    add("Stats", hostStatsText(json::getObject(n, "hostStats"), connected, nowMs));
    add("PATH", str(n, "pathEnv"));
    if (const auto active = number(n, "lastActiveAtMs"))
        add("Last input", ageOf(static_cast<long long>(*active), nowMs) +
                              (json::getBool(n, "active").value_or(false) ? " (active node)" : ""));
    add("Status", std::string(json::getBool(n, "paired").value_or(false) ? "paired" : "unpaired") + " · " +
                      (connected ? "connected" : "disconnected"));
    add("Approval", approvalLabel(state));
    add("Pending request", pendingId);
    if (const json::ArrayPtr caps = json::getArray(n, "pendingDeclaredCaps"))
        rows.push_back({"Pending caps", joined(sortedStrings(caps), ", ")});
    add("Pending perms", permissionsText(json::getObject(n, "pendingDeclaredPermissions")));
    add(state == "pending-reapproval" ? "Reapprove" : "Approve", approve);
    if (!approve.empty()) add("Connection reminder", connectionReminder(args));
    const json::ArrayPtr caps = json::getArray(n, "caps");
    rows.push_back({"Caps", caps ? joined(sortedStrings(caps), ", ") : "?"});
    return renderTable({{"Field", 8}, {"Value", 24, true}}, rows, terminalTableWidth());
}

} // namespace openclaw::cli
