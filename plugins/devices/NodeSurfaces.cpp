// A node's command surface at each connect (reference/nodes-and-devices.md §3.2): what it offers, filtered
// by the command policy; covered by the approved surface, or a pending surface request (node.pair.requested)
// while the node stays connected without commands. Also the node entries node.list and node.pair.list show.
#include "DeviceJson.hpp"
#include "Devices.hpp"

#include <Poco/JSON/Parser.h>

#include <algorithm>

namespace openclaw::devices {

namespace {

using Poco::JSON::Object;

bool subset(const std::vector<std::string>& part, const std::vector<std::string>& whole) {
    return std::all_of(part.begin(), part.end(), [&](const std::string& s) {
        return std::find(whole.begin(), whole.end(), s) != whole.end();
    });
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& s : items)
        out += (out.empty() ? "" : ",") + s;
    return out;
}

} // namespace

bool Devices::refreshNodeSurface(PairedDevice& d, const DeviceFacts& f, long long now, bool& announce) {
    const Surface s = surfaceOf(f.caps, f.commands, config_.commands);
    if (!s.withheld.empty())
        host_.log(OC_LOG_INFO, "devices",
                  "node command surface withheld node=" + f.deviceId + " commands=" + joined(s.withheld));
    if (d.nodeSurface) d.nodeSurface->lastConnectedAtMs = now;
    if (d.nodeSurface && subset(s.commands, d.nodeSurface->commands) && subset(s.caps, d.nodeSurface->caps)) {
        d.pendingNodeSurface.reset();
        return true;
    }
    if (d.pendingNodeSurface && d.pendingNodeSurface->commands == s.commands &&
        d.pendingNodeSurface->caps == s.caps)
        return d.nodeSurface.has_value();
    NodeSurface p;
    p.requestId = book_->newRequestId();
    p.displayName = f.displayName;
    p.platform = f.platform;
    p.version = f.version;
    p.deviceFamily = f.deviceFamily;
    p.caps = s.caps;
    p.commands = s.commands;
    p.silent = d.approvedVia == "silent";
    p.ts = now;
    d.pendingNodeSurface = p;
    announce = true;
    return true;
}

void Devices::noteLiveNode(const DeviceFacts& facts, long long now) {
    live_[facts.deviceId] = {facts, now};
}

Object::Ptr Devices::pendingNodeEntry(const PairedDevice& d) const {
    const NodeSurface& p = *d.pendingNodeSurface;
    Object::Ptr o = new Object;
    o->set("requestId", p.requestId);
    o->set("nodeId", d.facts.deviceId);
    o->set("clientId", d.facts.clientId);
    o->set("clientMode", d.facts.clientMode);
    o->set("displayName", p.displayName);
    o->set("platform", p.platform);
    o->set("version", p.version);
    o->set("deviceFamily", p.deviceFamily);
    o->set("caps", arrayOf(p.caps));
    o->set("commands", arrayOf(p.commands));
    o->set("requiredApproveScopes", arrayOf(requiredApproveScopes(p.commands)));
    if (!d.facts.remoteIp.empty()) o->set("remoteIp", d.facts.remoteIp);
    if (p.silent) o->set("silent", true);
    o->set("ts", static_cast<Poco::Int64>(p.ts));
    return o;
}

Object::Ptr Devices::pairedNodeEntry(const PairedDevice& d) const {
    const NodeSurface& n = *d.nodeSurface;
    Object::Ptr o = new Object;
    o->set("nodeId", d.facts.deviceId);
    o->set("clientId", d.facts.clientId);
    o->set("clientMode", d.facts.clientMode);
    o->set("displayName", d.nodeDisplayName.empty() ? n.displayName : d.nodeDisplayName);
    o->set("platform", n.platform);
    o->set("version", n.version);
    o->set("deviceFamily", n.deviceFamily);
    o->set("caps", arrayOf(n.caps));
    o->set("commands", arrayOf(n.commands));
    o->set("createdAtMs", static_cast<Poco::Int64>(n.createdAtMs));
    o->set("approvedAtMs", static_cast<Poco::Int64>(n.approvedAtMs));
    if (n.lastConnectedAtMs) o->set("lastConnectedAtMs", static_cast<Poco::Int64>(*n.lastConnectedAtMs));
    if (!n.lastHostStats.empty()) o->set("lastHostStats", Poco::JSON::Parser().parse(n.lastHostStats));
    if (d.lastSeenAtMs) o->set("lastSeenAtMs", static_cast<Poco::Int64>(*d.lastSeenAtMs));
    o->set("lastSeenReason", d.lastSeenReason);
    return o;
}

std::vector<std::string> Devices::effectiveCommands(const PairedDevice& d) const {
    std::vector<std::string> out;
    const auto live = live_.find(d.facts.deviceId);
    if (!d.nodeSurface || live == live_.end()) return out;
    for (const std::string& c : live->second.first.commands)
        if (subset({c}, d.nodeSurface->commands) && allowedNow(c, d.nodeSurface->commands, config_.commands))
            out.push_back(c);
    std::sort(out.begin(), out.end());
    return out;
}

Object::Ptr Devices::nodeListEntry(const PairedDevice& d, bool connected, bool withPending) const {
    const auto live = live_.find(d.facts.deviceId);
    const DeviceFacts& f = live != live_.end() ? live->second.first : d.facts;
    const NodeSurface* shown = d.nodeSurface          ? &*d.nodeSurface
                               : d.pendingNodeSurface ? &*d.pendingNodeSurface
                                                      : nullptr;
    Object::Ptr o = new Object;
    o->set("nodeId", d.facts.deviceId);
    o->set("displayName", !d.nodeDisplayName.empty() ? d.nodeDisplayName
                          : shown                    ? shown->displayName
                                                     : f.displayName);
    o->set("platform", f.platform);
    o->set("version", shown ? shown->version : f.version);
    o->set("clientId", f.clientId);
    o->set("clientMode", f.clientMode);
    o->set("deviceFamily", f.deviceFamily);
    o->set("caps", arrayOf(d.nodeSurface ? d.nodeSurface->caps : std::vector<std::string>{}));
    o->set("commands", arrayOf(connected ? effectiveCommands(d) : std::vector<std::string>{}));
    o->set("sessionHost", false);
    if (d.nodeSurface && !d.nodeSurface->lastHostStats.empty()) {
        o->set(connected ? "hostStats" : "lastHostStats",
               Poco::JSON::Parser().parse(d.nodeSurface->lastHostStats));
    }
    o->set("nodePluginTools", Poco::JSON::Array::Ptr(new Poco::JSON::Array));
    if (connected) o->set("pathEnv", f.pathEnv);
    o->set("approvalState",
           std::string(d.nodeSurface && !d.pendingNodeSurface ? "approved" : "pending-approval"));
    if (connected && live != live_.end())
        o->set("connectedAtMs", static_cast<Poco::Int64>(live->second.second));
    if (d.nodeSurface && d.nodeSurface->lastConnectedAtMs)
        o->set("lastConnectedAtMs", static_cast<Poco::Int64>(*d.nodeSurface->lastConnectedAtMs));
    if (d.lastSeenAtMs) o->set("lastSeenAtMs", static_cast<Poco::Int64>(*d.lastSeenAtMs));
    o->set("lastSeenReason", d.lastSeenReason);
    if (d.nodeSurface) o->set("approvedAtMs", static_cast<Poco::Int64>(d.nodeSurface->approvedAtMs));
    o->set("paired", true);
    o->set("connected", connected);
    if (withPending && d.pendingNodeSurface) {
        o->set("pendingRequestId", d.pendingNodeSurface->requestId);
        o->set("pendingDeclaredCaps", arrayOf(d.pendingNodeSurface->caps));
        o->set("pendingDeclaredCommands", arrayOf(d.pendingNodeSurface->commands));
    }
    return o;
}

} // namespace openclaw::devices
