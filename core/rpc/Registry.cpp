#include "rpc/Registry.h"

#include "protocol/Scopes.h"

#include <algorithm>

namespace openclaw::rpc {

void Registry::add(const std::string& name, const std::string& scope, Handler handler, Runs runs) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!entries_.count(name)) order_.push_back(name);
    entries_[name] = {scope, std::move(handler), nullptr, runs};
}

void Registry::addSerialized(const std::string& name, const std::string& scope, SerializedHandler handler,
                             Runs runs) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!entries_.count(name)) order_.push_back(name);
    entries_[name] = {scope, nullptr, std::move(handler), runs};
}

bool Registry::mayBlock(const std::string& name) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(name);
    return it != entries_.end() && it->second.runs == Runs::MayBlock;
}

void Registry::remove(const std::string& name) {
    std::lock_guard<std::mutex> lock(mu_);
    entries_.erase(name);
    order_.erase(std::remove(order_.begin(), order_.end(), name), order_.end());
}

void Registry::addEvent(const std::string& name) {
    std::lock_guard<std::mutex> lock(mu_);
    if (std::find(events_.begin(), events_.end(), name) == events_.end()) events_.push_back(name);
}

std::vector<std::string> Registry::methods() const {
    std::lock_guard<std::mutex> lock(mu_);
    return order_;
}

std::vector<std::string> Registry::events() const {
    std::lock_guard<std::mutex> lock(mu_);
    return events_;
}

std::optional<std::string> Registry::scopeOf(const std::string& name) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(name);
    if (it == entries_.end()) return std::nullopt;
    return it->second.scope;
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

Outcome Registry::dispatch(const protocol::Request& req, const CallContext& ctx) const {
    auto fail = [&](const protocol::RpcError& e) { return Outcome{protocol::encodeError(req.id, e), false}; };
    Entry entry;
    {
        std::lock_guard<std::mutex> lock(mu_);
        auto it = entries_.find(req.method);
        if (it == entries_.end()) return fail(invalidRequest("unknown method: " + req.method));
        entry = it->second;
    }
    if (!protocol::hasScope(ctx.scopes, entry.scope)) return fail(missingScope(entry.scope));
    try {
        if (entry.serialized)
            return {protocol::encodeOkJson(req.id, entry.serialized(ctx, req.params)), true};
        return {protocol::encodeOk(req.id, entry.handler(ctx, req.params)), true};
    } catch (const RpcFailure& f) {
        return fail(f.error);
    } catch (const std::exception& e) {
        return fail({"UNAVAILABLE", req.method + " failed: " + e.what(), json::Var(), false, std::nullopt});
    } catch (...) {
        return fail({"UNAVAILABLE", req.method + " failed", json::Var(), false, std::nullopt});
    }
}

} // namespace openclaw::rpc
