#include "rpc/Registry.h"

#include "protocol/HelloOk.h"
#include "protocol/Scopes.h"

#include <algorithm>

namespace openclaw::rpc {

void Registry::checkOpen(const std::string& name) const {
    // Lookups take no lock because nothing changes after start; a late registration would race them.
    if (frozen_) throw std::logic_error("rpc registry is frozen; cannot register " + name + " after start");
}

namespace {

Registry::Callers callersOf(const std::string& name, const std::string& scope) {
    if (scope == protocol::scope::kNodeRole) return Registry::Callers::Nodes;
    return name == "health" ? Registry::Callers::Both : Registry::Callers::Operators;
}

} // namespace

void Registry::add(const std::string& name, const std::string& scope, Handler handler, Runs runs) {
    checkOpen(name);
    if (!methods_.count(name)) order_.push_back(name);
    methods_[name] = {scope, callersOf(name, scope), std::move(handler), nullptr, nullptr, runs};
}

void Registry::addSerialized(const std::string& name, const std::string& scope, SerializedHandler handler,
                             Runs runs) {
    checkOpen(name);
    if (!methods_.count(name)) order_.push_back(name);
    methods_[name] = {scope, callersOf(name, scope), nullptr, std::move(handler), nullptr, runs};
}

void Registry::addAsync(const std::string& name, const std::string& scope, AsyncHandler handler) {
    checkOpen(name);
    if (!methods_.count(name)) order_.push_back(name);
    Method m;
    m.scope = scope;
    m.callers = callersOf(name, scope);
    m.async = std::move(handler);
    methods_[name] = std::move(m);
}

void Registry::addEvent(const std::string& name) {
    checkOpen(name);
    if (std::find(events_.begin(), events_.end(), name) == events_.end()) events_.push_back(name);
}

void Registry::freeze() {
    frozen_ = true;
    featuresJson_ = protocol::renderFeatures(order_, events_);
}

const Registry::Method* Registry::find(const std::string& name) const {
    auto it = methods_.find(name);
    return it == methods_.end() ? nullptr : &it->second;
}

std::optional<protocol::RpcError> Registry::roleRefusal(const Method& method, const CallContext& ctx) {
    if (method.callers == Callers::Both) return std::nullopt;
    if (ctx.node == (method.callers == Callers::Nodes)) return std::nullopt;
    return protocol::RpcError{"INVALID_REQUEST",
                              std::string("unauthorized role: ") + (ctx.node ? "node" : "operator"),
                              json::Var(), std::nullopt, std::nullopt};
}

protocol::RpcError Registry::missingScope(const std::string& scope) {
    json::ObjectPtr d = json::makeObject();
    d->set("code", std::string("MISSING_SCOPE"));
    d->set("missingScope", scope);
    json::ArrayPtr req = json::makeArray();
    req->add(scope);
    d->set("requiredScopes", req);
    return {"FORBIDDEN", "missing scope: " + scope, d, std::nullopt, std::nullopt};
}

protocol::RpcError Registry::invalidRequest(const std::string& message) {
    return {"INVALID_REQUEST", message, json::Var(), std::nullopt, std::nullopt};
}

Outcome Registry::dispatch(const Method* method, const protocol::Request& req, const CallContext& ctx) const {
    auto fail = [&](const protocol::RpcError& e) {
        return Outcome{protocol::encodeError(req.id, e), false, e.code};
    };
    if (!method) return fail(invalidRequest("unknown method: " + req.method));
    if (method->async)
        return fail({"UNAVAILABLE", req.method + " answers later; use dispatchAsync", json::Var(), false,
                     std::nullopt});
    if (auto refused = roleRefusal(*method, ctx)) return fail(*refused);
    if (method->callers == Callers::Operators && !protocol::hasScope(ctx.scopes, method->scope))
        return fail(missingScope(method->scope));
    try {
        const json::Var params = req.params();
        if (method->serialized)
            return {protocol::encodeOkJson(req.id, method->serialized(ctx, params)), true};
        return {protocol::encodeOk(req.id, method->handler(ctx, params)), true};
    } catch (const RpcFailure& f) {
        return fail(f.error);
    } catch (const std::exception& e) {
        return fail({"UNAVAILABLE", req.method + " failed: " + e.what(), json::Var(), false, std::nullopt});
    } catch (...) {
        // A handler threw something that is not an exception (a plugin's C++ code can): the caller still
        // gets an answer and the connection carries on.
        return fail({"UNAVAILABLE", req.method + " failed", json::Var(), false, std::nullopt});
    }
}

void Registry::dispatchAsync(const Method* method, const protocol::Request& req, const CallContext& ctx,
                             std::function<void(Outcome)> reply) const {
    if (!method || !method->async) {
        reply(dispatch(method, req, ctx));
        return;
    }
    if (auto refused = roleRefusal(*method, ctx)) {
        reply({protocol::encodeError(req.id, *refused), false, refused->code});
        return;
    }
    if (method->callers == Callers::Operators && !protocol::hasScope(ctx.scopes, method->scope)) {
        const protocol::RpcError e = missingScope(method->scope);
        reply({protocol::encodeError(req.id, e), false, e.code});
        return;
    }
    const std::string id = req.id;
    try {
        static const std::string kNull = "null";
        method->async(ctx, req.hasParams() ? req.paramsJson : kNull, [id, reply](Reply r) {
            if (r.error)
                reply({protocol::encodeError(id, *r.error), false, r.error->code});
            else if (!r.payloadJson.empty())
                reply({protocol::encodeOkJson(id, r.payloadJson), true});
            else
                reply({protocol::encodeOk(id, r.payload), true});
        });
    } catch (const std::exception& e) {
        reply({protocol::encodeError(id, {"UNAVAILABLE", req.method + " failed: " + e.what(), json::Var(),
                                          false, std::nullopt}),
               false, "UNAVAILABLE"});
    }
}

} // namespace openclaw::rpc
