#include "rpc/Registry.h"

#include "protocol/Scopes.h"

#include <algorithm>

namespace openclaw::rpc {

void Registry::checkOpen(const std::string& name) const {
    // Lookups take no lock because nothing changes after start; a late registration would race them.
    if (frozen_) throw std::logic_error("rpc registry is frozen; cannot register " + name + " after start");
}

void Registry::add(const std::string& name, const std::string& scope, Handler handler, Runs runs) {
    checkOpen(name);
    if (!methods_.count(name)) order_.push_back(name);
    methods_[name] = {scope, std::move(handler), nullptr, runs};
}

void Registry::addSerialized(const std::string& name, const std::string& scope, SerializedHandler handler,
                             Runs runs) {
    checkOpen(name);
    if (!methods_.count(name)) order_.push_back(name);
    methods_[name] = {scope, nullptr, std::move(handler), runs};
}

void Registry::addEvent(const std::string& name) {
    checkOpen(name);
    if (std::find(events_.begin(), events_.end(), name) == events_.end()) events_.push_back(name);
}

const Registry::Method* Registry::find(const std::string& name) const {
    auto it = methods_.find(name);
    return it == methods_.end() ? nullptr : &it->second;
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
    auto fail = [&](const protocol::RpcError& e) { return Outcome{protocol::encodeError(req.id, e), false}; };
    if (!method) return fail(invalidRequest("unknown method: " + req.method));
    if (!protocol::hasScope(ctx.scopes, method->scope)) return fail(missingScope(method->scope));
    try {
        if (method->serialized)
            return {protocol::encodeOkJson(req.id, method->serialized(ctx, req.params)), true};
        return {protocol::encodeOk(req.id, method->handler(ctx, req.params)), true};
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

} // namespace openclaw::rpc
