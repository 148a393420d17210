// The node relay (reference/nodes-and-devices.md §3.3–§3.4): node.invoke from an operator goes to that one
// node as node.invoke.request (no seq), and its node.invoke.result answers the operator's call, which waited
// (OC_PENDING) with the invoke's own deadline; at the deadline the node gets node.invoke.cancel. Also what a
// node publishes after hello-ok (node.event with its host stats, runner inventory, skills, plugin tools).
#include "DeviceJson.hpp"
#include "Devices.hpp"
#include "ParamChecks.hpp"

#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <algorithm>
#include <sstream>

namespace openclaw::devices {

namespace {

using Poco::JSON::Object;

Object::Ptr details(const std::string& code) {
    Object::Ptr d = new Object;
    d->set("code", code);
    return d;
}

/// The error the operator gets when the node answered ok:false, timed out or is not there.
std::string nodeError(const std::string& code, const std::string& message, bool dispatched,
                      const std::string& detailsCode = "") {
    Object::Ptr e = new Object;
    e->set("code", code);
    e->set("message", message);
    Object::Ptr d = new Object;
    if (!detailsCode.empty()) d->set("code", detailsCode);
    d->set("nodeError", e);
    d->set("nodeCommandDispatched", dispatched);
    return text(d);
}

struct TimerUser {
    Devices* self;
    std::string invokeId;
};

} // namespace

Devices::~Devices() {
    std::map<std::string, Invoke> left;
    {
        std::lock_guard<std::mutex> lock(relayMutex_);
        left.swap(invokes_);
    }
    for (const auto& [id, inv] : left)
        host_.cancelTimer(inv.timer);
}

std::string Devices::callRelay(const openclaw::CallContext& caller, const std::string& method,
                               const Object::Ptr& params) {
    if (method == "node.invoke") return invoke(caller, params);
    if (method == "node.invoke.result") return invokeResult(caller, params);
    if (method == "node.event") return nodeEvent(caller, params);
    return publication(caller, method, params);
}

void Devices::requireApprovedNode(const std::string& nodeId, const std::string& message) {
    const PairedDevice* d = book_->paired(nodeId);
    if (d && d->nodeSurface) return;
    throw openclaw::RpcError("UNAVAILABLE", message, text(details("PAIRING_CHANGED")));
}

std::string Devices::invoke(const openclaw::CallContext& caller, const Object::Ptr& params) {
    const std::string m = "node.invoke";
    closedParams(m, params,
                 {"nodeId", "command", "params", "timeoutMs", "idempotencyKey", "sessionKey",
                  "turnSourceChannel", "turnSourceTo", "turnSourceAccountId", "turnSourceThreadId"});
    const std::string nodeId = requiredString(m, params, "nodeId", Text::NonEmptyOnce);
    const std::string command = requiredString(m, params, "command", Text::NonEmptyOnce);
    requiredString(m, params, "idempotencyKey", Text::NonEmptyOnce);
    long long timeoutMs = 30000;
    if (params->has("timeoutMs")) {
        if (!params->get("timeoutMs").isInteger() || params->getValue<Poco::Int64>("timeoutMs") < 0)
            invalidRequest("invalid node.invoke params: at /timeoutMs: must be integer >= 0");
        timeoutMs = std::max<long long>(params->getValue<Poco::Int64>("timeoutMs"), 1);
    }
    if (command.rfind("system.execApprovals.", 0) == 0)
        invalidRequest("node.invoke does not allow system.execApprovals.*; use exec.approvals.node.*");
    if (command.rfind("worker.", 0) == 0) invalidRequest("node.invoke does not allow private node controls");
    if (invokeScope(command) == "operator.admin" && !caller.has(OC_SCOPE_ADMIN)) {
        Object::Ptr d = details("MISSING_SCOPE");
        d->set("missingScope", std::string("operator.admin"));
        throw openclaw::RpcError("FORBIDDEN", "missing scope: operator.admin", text(d));
    }
    const uint64_t session = invocableSession(nodeId, command);
    relay(caller.call, session, invokeRequest(params, timeoutMs), timeoutMs);
    throw openclaw::Pending{};
}

uint64_t Devices::invocableSession(const std::string& nodeId, const std::string& command) {
    auto held = openBook();
    requireApprovedNode(nodeId, "node pairing changed while invocation was active");
    const PairedDevice& d = *book_->paired(nodeId);
    const uint64_t session = nodeSession(nodeId);
    if (!session)
        throw openclaw::RpcError("UNAVAILABLE", "node not connected",
                                 nodeError("NOT_CONNECTED", "node not connected", false, "NOT_CONNECTED"));
    const auto live = live_.find(nodeId);
    const std::string platform = live != live_.end() ? live->second.first.platform : d.facts.platform;
    if (!allowedNow(command, d.nodeSurface->commands, config_.commands)) {
        Object::Ptr why = new Object;
        why->set("reason", std::string("command not allowlisted"));
        why->set("command", command);
        throw openclaw::RpcError(
            "INVALID_REQUEST",
            "node command not allowed: " + notAllowedWhy(command, platform, config_.commands), text(why));
    }
    const std::vector<std::string> effective = effectiveCommands(d);
    if (std::find(effective.begin(), effective.end(), command) == effective.end())
        invalidRequest(
            d.pendingNodeSurface
                ? "node command not allowed: the node's declared command surface is pending approval; run "
                  "`openclaw nodes pending`, then `openclaw nodes approve <requestId>`"
                : "node command not allowed: the node (platform: " + platform + ") does not support \"" +
                      command + "\"");
    return session;
}

Object::Ptr Devices::invokeRequest(const Object::Ptr& params, long long timeoutMs) const {
    const std::string command = params->getValue<std::string>("command");
    Object::Ptr payload = new Object;
    payload->set("id", book_->newRequestId());
    payload->set("nodeId", params->getValue<std::string>("nodeId"));
    payload->set("command", command);
    Poco::Dynamic::Var args = params->has("params") ? params->get("params") : Poco::Dynamic::Var();
    if (command == "system.run" && args.type() == typeid(Object::Ptr)) {
        // As the reference: a run gets its own id, which the node reports back in exec.finished.
        Object::Ptr withRun = new Object(*args.extract<Object::Ptr>());
        withRun->set("runId", book_->newRequestId());
        args = withRun;
    }
    if (args.isEmpty()) {
        payload->set("paramsJSON", Poco::Dynamic::Var());
    } else {
        std::ostringstream json;
        Poco::JSON::Stringifier::stringify(args, json);
        payload->set("paramsJSON", json.str());
    }
    payload->set("timeoutMs", static_cast<Poco::Int64>(timeoutMs));
    payload->set("idempotencyKey", params->getValue<std::string>("idempotencyKey"));
    if (params->has("sessionKey")) payload->set("sessionKey", params->get("sessionKey"));
    return payload;
}

void Devices::relay(uint64_t call, uint64_t session, const Object::Ptr& request, long long timeoutMs) {
    const std::string id = request->getValue<std::string>("id");
    auto* user = new TimerUser{this, id};
    const uint64_t timer = host_.addTimer(
        static_cast<uint32_t>(timeoutMs), false,
        [](void* u) {
            auto* t = static_cast<TimerUser*>(u);
            t->self->invokeTimedOut(t->invokeId);
        },
        [](void* u) { delete static_cast<TimerUser*>(u); }, user);
    {
        std::lock_guard<std::mutex> lock(relayMutex_);
        invokes_[id] = Invoke{call, session, timer, request->getValue<std::string>("nodeId"),
                              request->getValue<std::string>("command")};
    }
    Object::Ptr timeout = new Object;
    timeout->set("code", std::string("UNAVAILABLE"));
    timeout->set("message", std::string("TIMEOUT: node invoke timed out"));
    timeout->set("details", Poco::JSON::Parser().parse(nodeError("TIMEOUT", "node invoke timed out", true)));
    host_.setDeadline(call, static_cast<uint32_t>(timeoutMs), text(timeout));
    if (host_.sendTo(session, "node.invoke.request", text(request), false)) return;
    {
        std::lock_guard<std::mutex> lock(relayMutex_);
        invokes_.erase(id);
    }
    host_.cancelTimer(timer);
    throw openclaw::RpcError("UNAVAILABLE", "node not connected",
                             nodeError("NOT_CONNECTED", "node not connected", false, "NOT_CONNECTED"));
}

void Devices::invokeTimedOut(const std::string& invokeId) {
    Invoke inv;
    {
        std::lock_guard<std::mutex> lock(relayMutex_);
        const auto it = invokes_.find(invokeId);
        if (it == invokes_.end()) return;
        inv = it->second;
        invokes_.erase(it);
    }
    // The caller got the deadline's error from the gateway; the node is told to stop.
    Object::Ptr cancel = new Object;
    cancel->set("invokeId", invokeId);
    cancel->set("nodeId", inv.nodeId);
    host_.sendTo(inv.session, "node.invoke.cancel", text(cancel), false);
}

std::string Devices::invokeResult(const openclaw::CallContext& caller, const Object::Ptr& params) {
    const std::string m = "node.invoke.result";
    closedParams(m, params, {"id", "nodeId", "ok", "payload", "payloadJSON", "error"});
    const std::string id = requiredString(m, params, "id", Text::NonEmptyOnce);
    if (requiredString(m, params, "nodeId", Text::NonEmptyOnce) != caller.deviceId)
        invalidRequest("nodeId mismatch");
    Invoke inv;
    {
        std::lock_guard<std::mutex> lock(relayMutex_);
        const auto it = invokes_.find(id);
        if (it == invokes_.end() || it->second.nodeId != caller.deviceId)
            return R"({"ok":true,"ignored":true})";
        inv = it->second;
        invokes_.erase(it);
    }
    host_.cancelTimer(inv.timer);
    if (!params->optValue<bool>("ok", false)) {
        const Object::Ptr err =
            params->has("error") && params->isObject("error") ? params->getObject("error") : nullptr;
        const std::string code = err ? err->optValue<std::string>("code", "UNAVAILABLE") : "UNAVAILABLE";
        const std::string message =
            err ? err->optValue<std::string>("message", "node invoke failed") : "node invoke failed";
        Object::Ptr e = new Object;
        e->set("code", std::string("UNAVAILABLE"));
        e->set("message", code + ": " + message);
        e->set("details", Poco::JSON::Parser().parse(nodeError(code, message, true)));
        host_.fail(inv.call, text(e));
        return R"({"ok":true})";
    }
    Object::Ptr out = new Object;
    out->set("ok", true);
    out->set("nodeId", inv.nodeId);
    out->set("command", inv.command);
    if (params->has("payloadJSON") && params->get("payloadJSON").isString()) {
        const std::string raw = params->getValue<std::string>("payloadJSON");
        try {
            out->set("payload", Poco::JSON::Parser().parse(raw));
        } catch (const Poco::Exception&) {
            out->set("payload", Poco::Dynamic::Var());
        }
        out->set("payloadJSON", raw);
    } else if (params->has("payload")) {
        out->set("payload", params->get("payload"));
    }
    host_.complete(inv.call, text(out));
    return R"({"ok":true})";
}

std::string Devices::nodeEvent(const openclaw::CallContext& caller, const Object::Ptr& params) {
    closedParams("node.event", params, {"event", "payloadJSON", "payload"});
    const std::string event = requiredString("node.event", params, "event", Text::NonEmptyOnce);
    if (event != "node.host.stats") return R"({"ok":true})";
    auto held = openBook();
    requireApprovedNode(caller.deviceId, "node pairing changed while invocation was active");
    Object::Ptr stats =
        params->has("payloadJSON") && params->get("payloadJSON").isString()
            ? Poco::JSON::Parser().parse(params->getValue<std::string>("payloadJSON")).extract<Object::Ptr>()
            : Object::Ptr(new Object);
    stats->set("updatedAtMs", static_cast<Poco::Int64>(nowMs()));
    PairedDevice d = *book_->paired(caller.deviceId);
    d.nodeSurface->lastHostStats = text(stats);
    commitOrThrow(Edit{{d}, {}, {}, {}});
    Object::Ptr changed = new Object;
    changed->set("nodeId", caller.deviceId);
    changed->set("hostStats", stats);
    host_.broadcast("node.hostStats", text(changed), OC_ROLE_OPERATOR, "operator.read");
    return R"({"ok":true,"event":"node.host.stats","handled":true,"reason":"updated"})";
}

std::string Devices::publication(const openclaw::CallContext& caller, const std::string& method,
                                 const Object::Ptr& params) {
    {
        auto held = openBook();
        const PairedDevice* d = book_->paired(caller.deviceId);
        const std::string id = d && d->pendingNodeSurface ? d->pendingNodeSurface->requestId : "<id>";
        requireApprovedNode(
            caller.deviceId,
            "node capability surface is awaiting operator approval; run `openclaw nodes approve " + id +
                "` (see `openclaw nodes pending`), then this node retries automatically");
    }
    Object::Ptr out = new Object;
    out->set("nodeId", caller.deviceId);
    if (method == "node.skills.update")
        out->set("skills", params->has("skills")
                               ? params->get("skills")
                               : Poco::Dynamic::Var(Poco::JSON::Array::Ptr(new Poco::JSON::Array)));
    else if (method == "node.pluginTools.update")
        out->set("tools", params->has("tools")
                              ? params->get("tools")
                              : Poco::Dynamic::Var(Poco::JSON::Array::Ptr(new Poco::JSON::Array)));
    else if (method == "node.runnerInventory.update") {
        Object::Ptr changed = new Object;
        changed->set("nodeId", caller.deviceId);
        host_.broadcast("node.runnerInventory.changed", text(changed), OC_ROLE_OPERATOR, "operator.read");
    } else
        invalidRequest("unknown method: " + method);
    return text(out);
}

} // namespace openclaw::devices
