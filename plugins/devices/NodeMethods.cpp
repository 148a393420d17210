// node.pair.list/approve/reject/remove, node.list, node.describe and node.rename
// (reference/nodes-and-devices.md §3.2): a node's command surface approved by an operator holding its
// requiredApproveScopes, and what the operators see of the nodes.
#include "DeviceJson.hpp"
#include "Devices.hpp"
#include "ParamChecks.hpp"

#include <Poco/JSON/Array.h>

#include <algorithm>

namespace openclaw::devices {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

/// The one string parameter a node method takes (closed params, `others` allowed beside it).
std::string onlyParam(const std::string& method, const Object::Ptr& p, const std::string& key,
                      std::vector<std::string> others = {}) {
    others.push_back(key);
    closedParams(method, p, others);
    return requiredString(method, p, key, Text::Any);
}

uint32_t bitOf(const std::string& scope) {
    if (scope == "operator.admin") return OC_SCOPE_ADMIN;
    if (scope == "operator.write") return OC_SCOPE_WRITE;
    if (scope == "operator.read") return OC_SCOPE_READ;
    return OC_SCOPE_PAIRING;
}

[[noreturn]] void missingScope(const std::string& scope, const std::vector<std::string>& required) {
    Object::Ptr d = new Object;
    d->set("code", std::string("MISSING_SCOPE"));
    d->set("missingScope", scope);
    d->set("requiredScopes", arrayOf(required));
    throw openclaw::RpcError("FORBIDDEN", "missing scope: " + scope, text(d));
}

void resolvedNode(const openclaw::Host& host, const std::string& requestId, const std::string& nodeId,
                  const std::string& decision, long long now) {
    Object::Ptr p = new Object;
    p->set("requestId", requestId);
    p->set("nodeId", nodeId);
    p->set("decision", decision);
    p->set("ts", static_cast<Poco::Int64>(now));
    host.broadcast("node.pair.resolved", text(p), OC_ROLE_OPERATOR, "operator.pairing");
}

} // namespace

std::string Devices::callNode(const openclaw::CallContext& caller, const std::string& method,
                              const Object::Ptr& params) {
    Object::Ptr out;
    if (method == "node.pair.list") {
        closedParams(method, params, {});
        out = nodePairList();
    } else if (method == "node.pair.approve") {
        out = nodeApprove(caller, onlyParam(method, params, "requestId"));
    } else if (method == "node.pair.reject") {
        out = nodeReject(onlyParam(method, params, "requestId"));
    } else if (method == "node.pair.remove") {
        out = nodeRemove(onlyParam(method, params, "nodeId"));
    } else if (method == "node.list") {
        closedParams(method, params, {});
        out = nodeList(caller, "");
    } else if (method == "node.describe") {
        out = nodeList(caller, onlyParam(method, params, "nodeId"));
    } else if (method == "node.rename") {
        const std::string nodeId = onlyParam(method, params, "nodeId", {"displayName"});
        std::string name = params->optValue<std::string>("displayName", "");
        if (name.find_first_not_of(" \t") == std::string::npos) invalidRequest("displayName required");
        auto held = openBook();
        const PairedDevice* d = book_->paired(nodeId);
        if (!d || std::find(d->roles.begin(), d->roles.end(), "node") == d->roles.end())
            invalidRequest("unknown nodeId");
        PairedDevice renamed = *d;
        renamed.nodeDisplayName = name;
        commitOrThrow(Edit{{renamed}, {}, {}, {}});
        out = new Object;
        out->set("nodeId", nodeId);
        out->set("displayName", name);
    } else {
        invalidRequest("unknown method: " + method);
    }
    return text(out);
}

const PairedDevice* Devices::deviceWithSurfaceRequest(const std::string& requestId) const {
    for (const auto& [id, d] : book_->allPaired())
        if (d.pendingNodeSurface && d.pendingNodeSurface->requestId == requestId) return &d;
    return nullptr;
}

Object::Ptr Devices::nodePairList() {
    auto held = openBook();
    Array::Ptr pending = new Array, paired = new Array;
    for (const auto& [id, d] : book_->allPaired()) {
        if (d.pendingNodeSurface) pending->add(pendingNodeEntry(d));
        if (d.nodeSurface) paired->add(pairedNodeEntry(d));
    }
    Object::Ptr out = new Object;
    out->set("pending", pending);
    out->set("paired", paired);
    return out;
}

Object::Ptr Devices::nodeApprove(const openclaw::CallContext& caller, const std::string& requestId) {
    auto held = openBook();
    const PairedDevice* d = deviceWithSurfaceRequest(requestId);
    if (!d) invalidRequest("unknown requestId");
    const std::vector<std::string> required = requiredApproveScopes(d->pendingNodeSurface->commands);
    for (const std::string& s : required)
        if (!caller.has(bitOf(s))) missingScope(s, required);
    const long long now = nowMs();
    PairedDevice approved = *d;
    NodeSurface surface = *approved.pendingNodeSurface;
    surface.createdAtMs = approved.nodeSurface ? approved.nodeSurface->createdAtMs : now;
    surface.approvedAtMs = now;
    surface.lastConnectedAtMs = approved.nodeSurface ? approved.nodeSurface->lastConnectedAtMs : std::nullopt;
    if (approved.nodeSurface) surface.lastHostStats = approved.nodeSurface->lastHostStats;
    approved.nodeSurface = surface;
    approved.pendingNodeSurface.reset();
    commitOrThrow(Edit{{approved}, {}, {}, {}});
    const std::string nodeId = approved.facts.deviceId;
    resolvedNode(host_, requestId, nodeId, "approved", now);
    // The node host re-publishes what it serves when it sees its own approval (§6 item 9).
    if (const uint64_t session = nodeSession(nodeId)) {
        Object::Ptr p = new Object;
        p->set("requestId", requestId);
        p->set("nodeId", nodeId);
        p->set("decision", std::string("approved"));
        p->set("ts", static_cast<Poco::Int64>(now));
        host_.sendTo(session, "node.pair.resolved", text(p), false);
    }
    Object::Ptr node = pairedNodeEntry(approved);
    node->remove("lastHostStats");
    node->remove("lastConnectedAtMs");
    Object::Ptr out = new Object;
    out->set("requestId", requestId);
    out->set("node", node);
    return out;
}

Object::Ptr Devices::nodeReject(const std::string& requestId) {
    auto held = openBook();
    const PairedDevice* d = deviceWithSurfaceRequest(requestId);
    if (!d) invalidRequest("unknown requestId");
    PairedDevice rejected = *d;
    rejected.pendingNodeSurface.reset();
    commitOrThrow(Edit{{rejected}, {}, {}, {}});
    resolvedNode(host_, requestId, rejected.facts.deviceId, "rejected", nowMs());
    Object::Ptr out = new Object;
    out->set("requestId", requestId);
    out->set("nodeId", rejected.facts.deviceId);
    return out;
}

Object::Ptr Devices::nodeRemove(const std::string& nodeId) {
    auto held = openBook();
    const PairedDevice* d = book_->paired(nodeId);
    if (!d || std::find(d->roles.begin(), d->roles.end(), "node") == d->roles.end())
        invalidRequest("unknown nodeId");
    PairedDevice kept = *d;
    kept.roles.erase(std::remove(kept.roles.begin(), kept.roles.end(), "node"), kept.roles.end());
    kept.tokens.erase("node");
    kept.nodeSurface.reset();
    kept.pendingNodeSurface.reset();
    kept.nodeDisplayName.clear();
    // A node-only device goes altogether; a device with other roles keeps them.
    commitOrThrow(kept.roles.empty() ? Edit{{}, {}, {nodeId}, {}} : Edit{{kept}, {}, {}, {}});
    live_.erase(nodeId);
    resolvedNode(host_, "", nodeId, "removed", nowMs());
    closeSessionsOf(nodeId, "node");
    Object::Ptr out = new Object;
    out->set("nodeId", nodeId);
    return out;
}

Object::Ptr Devices::nodeList(const openclaw::CallContext& caller, const std::string& onlyNode) {
    auto held = openBook();
    const std::set<std::string> connected = connectedDevices("node");
    const bool withPending = caller.has(OC_SCOPE_PAIRING);
    Array::Ptr nodes = new Array;
    Object::Ptr one;
    for (const auto& [id, d] : book_->allPaired()) {
        if (std::find(d.roles.begin(), d.roles.end(), "node") == d.roles.end()) continue;
        if (!onlyNode.empty() && id != onlyNode) continue;
        Object::Ptr entry = nodeListEntry(d, connected.count(id) > 0, withPending);
        nodes->add(entry);
        one = entry;
    }
    if (!onlyNode.empty() && !one) invalidRequest("unknown nodeId");
    Object::Ptr out = onlyNode.empty() ? Object::Ptr(new Object) : one;
    out->set("ts", static_cast<Poco::Int64>(nowMs()));
    if (onlyNode.empty()) out->set("nodes", nodes);
    return out;
}

} // namespace openclaw::devices
