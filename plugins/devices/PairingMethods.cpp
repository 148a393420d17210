// device.pair.list/approve/reject/remove/rename and device.token.rotate/revoke
// (reference/nodes-and-devices.md §2.4): params are closed objects; the error texts are the reference's,
// which its CLI reads ("device pairing approval denied" makes it retry with operator.admin; "unknown
// requestId").
#include "DeviceJson.hpp"
#include "Devices.hpp"
#include "ParamChecks.hpp"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <set>

namespace openclaw::devices {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

/// Checks that params hold only `allowed` keys and that each of `required` is a non-empty string.
void checkParams(const std::string& method, const Object::Ptr& p, const std::set<std::string>& allowed,
                 const std::set<std::string>& required) {
    closedParams(method, p, {allowed.begin(), allowed.end()});
    for (const std::string& k : required)
        requiredString(method, p, k, Text::NonEmpty);
}

std::string str(const Object::Ptr& p, const std::string& key) {
    return p->getValue<std::string>(key);
}

bool holdsAdmin(const openclaw::CallContext& c) {
    return (c.scopes & OC_SCOPE_ADMIN) != 0;
}

/// The operator scopes a caller holds, by name (to keep an approval within them).
bool callerCovers(const openclaw::CallContext& c, const std::string& scope) {
    static const std::pair<const char*, uint32_t> kBits[] = {
        {"operator.admin", OC_SCOPE_ADMIN},
        {"operator.read", OC_SCOPE_READ},
        {"operator.write", OC_SCOPE_WRITE},
        {"operator.approvals", OC_SCOPE_APPROVALS},
        {"operator.questions", OC_SCOPE_QUESTIONS},
        {"operator.pairing", OC_SCOPE_PAIRING},
        {"operator.talk.secrets", OC_SCOPE_TALK_SECRETS}};
    for (const auto& [name, bit] : kBits)
        if (scope == name) return c.has(bit);
    return holdsAdmin(c);
}

Object::Ptr object() {
    return new Object;
}

} // namespace

std::string Devices::call(const openclaw::CallContext& caller, const std::string& method,
                          const Object::Ptr& params) {
    if (method.rfind("device.", 0) == 0) return callPairing(caller, method, params);
    if (method == "node.invoke" || caller.role == OC_ROLE_NODE) return callRelay(caller, method, params);
    return callNode(caller, method, params);
}

std::string Devices::callPairing(const openclaw::CallContext& caller, const std::string& method,
                                 const Object::Ptr& params) {
    Object::Ptr out;
    if (method == "device.pair.list") {
        checkParams(method, params, {}, {});
        out = list();
    } else if (method == "device.pair.approve") {
        checkParams(method, params, {"requestId"}, {"requestId"});
        out = approve(caller, str(params, "requestId"));
    } else if (method == "device.pair.reject") {
        checkParams(method, params, {"requestId"}, {"requestId"});
        out = reject(str(params, "requestId"));
    } else if (method == "device.pair.remove") {
        checkParams(method, params, {"deviceId"}, {"deviceId"});
        out = remove(caller, str(params, "deviceId"));
    } else if (method == "device.pair.rename") {
        checkParams(method, params, {"deviceId", "label"}, {"deviceId", "label"});
        if (str(params, "label").size() > 64)
            invalidRequest("invalid " + method + " params: at /label: must NOT have more than 64 characters");
        out = rename(str(params, "deviceId"), str(params, "label"));
    } else if (method == "device.pair.import") {
        checkParams(method, params, {"from"}, {});
        if (params->has("from") && !params->get("from").isString())
            invalidRequest("invalid " + method + " params: at /from: must be string");
        out = importReference(params->optValue<std::string>("from", ""));
    } else if (method == "device.token.rotate") {
        checkParams(method, params, {"deviceId", "role", "scopes"}, {"deviceId", "role"});
        out = rotate(caller, params);
    } else if (method == "device.token.revoke") {
        checkParams(method, params, {"deviceId", "role"}, {"deviceId", "role"});
        out = revoke(caller, params);
    } else {
        invalidRequest("unknown method: " + method);
    }
    return text(out);
}

Object::Ptr Devices::list() {
    auto held = openBook();
    Edit expired;
    book_->expire(nowMs(), expired);
    commitOrThrow(expired);
    const std::set<std::string> connected = connectedDevices();
    Array::Ptr pending = new Array, paired = new Array;
    std::vector<const PendingRequest*> requests;
    for (const auto& [id, r] : book_->allPending())
        requests.push_back(&r);
    std::sort(requests.begin(), requests.end(), [](auto* a, auto* b) { return a->ts > b->ts; });
    for (const PendingRequest* r : requests)
        pending->add(pendingOnWire(*r));
    for (const auto& [id, d] : book_->allPaired())
        paired->add(pairedOnWire(d, connected.count(id) > 0));
    Object::Ptr out = object();
    out->set("pending", pending);
    out->set("paired", paired);
    return out;
}

Object::Ptr Devices::approve(const openclaw::CallContext& caller, const std::string& requestId) {
    auto held = openBook();
    const long long now = nowMs();
    Edit edit;
    book_->expire(now, edit);
    const PendingRequest* r = book_->pending(requestId);
    const bool expired =
        r && std::find(edit.dropPending.begin(), edit.dropPending.end(), requestId) != edit.dropPending.end();
    if (!r || expired) {
        commitOrThrow(edit);
        if (!holdsAdmin(caller)) invalidRequest("device pairing approval denied");
        invalidRequest("unknown requestId");
    }
    // A non-operator role needs admin; an operator's scopes must stay within the approver's.
    if (r->facts.role != "operator" && !holdsAdmin(caller)) invalidRequest("device pairing approval denied");
    for (const std::string& s : r->facts.scopes)
        if (!callerCovers(caller, s)) invalidRequest("device pairing approval denied");
    const PairedDevice* before = book_->paired(r->facts.deviceId);
    const bool sameKey = before && before->facts.publicKey == r->facts.publicKey;
    PairedDevice d = sameKey ? *before : PairedDevice{};
    if (!sameKey) d.createdAtMs = now;
    d.facts = r->facts;
    d.approvedVia = "owner";
    d.approvedAtMs = now;
    if (std::find(d.roles.begin(), d.roles.end(), r->facts.role) == d.roles.end())
        d.roles.push_back(r->facts.role);
    for (const std::string& s : r->facts.scopes)
        if (!scopeCovered(d.approvedScopes, s)) d.approvedScopes.push_back(s);
    TokenState& t = d.tokens[r->facts.role];
    if (t.role.empty()) {
        t.role = r->facts.role;
        t.createdAtMs = now;
    } else if (t.revokedAtMs) {
        t.generation += 1;
        t.revokedAtMs.reset();
        t.importedHash.clear();
        t.rotatedAtMs = now;
    }
    if (r->facts.role == "operator") t.scopes = d.approvedScopes;
    const std::string deviceId = r->facts.deviceId;
    edit.dropPending.push_back(requestId);
    edit.putPaired.push_back(d);
    commitOrThrow(edit);
    resolved(requestId, deviceId, "approved", now);
    Object::Ptr out = object();
    out->set("requestId", requestId);
    out->set("device", pairedOnWire(d, connectedDevices().count(deviceId) > 0));
    return out;
}

Object::Ptr Devices::reject(const std::string& requestId) {
    auto held = openBook();
    const PendingRequest* r = book_->pending(requestId);
    if (!r) invalidRequest("unknown requestId");
    const std::string deviceId = r->facts.deviceId;
    Edit edit;
    edit.dropPending.push_back(requestId);
    commitOrThrow(edit);
    resolved(requestId, deviceId, "rejected", nowMs());
    Object::Ptr out = object();
    out->set("requestId", requestId);
    out->set("deviceId", deviceId);
    return out;
}

Object::Ptr Devices::remove(const openclaw::CallContext& caller, const std::string& deviceId) {
    auto held = openBook();
    if (!book_->paired(deviceId)) invalidRequest("unknown deviceId");
    // A device-token session may remove itself; other devices need admin.
    if (!caller.deviceId.empty() && caller.deviceId != deviceId && !holdsAdmin(caller))
        invalidRequest("device pairing removal denied");
    Edit edit;
    edit.dropPaired.push_back(deviceId);
    commitOrThrow(edit);
    closeSessionsOf(deviceId, "");
    Object::Ptr out = object();
    out->set("deviceId", deviceId);
    return out;
}

Object::Ptr Devices::rename(const std::string& deviceId, const std::string& label) {
    auto held = openBook();
    const PairedDevice* d = book_->paired(deviceId);
    if (!d) invalidRequest("unknown deviceId");
    PairedDevice renamed = *d;
    renamed.operatorLabel = label;
    Edit edit;
    edit.putPaired.push_back(renamed);
    commitOrThrow(edit);
    broadcast("device.pair.changed", object());
    Object::Ptr out = object();
    out->set("deviceId", deviceId);
    out->set("label", label);
    return out;
}

Object::Ptr Devices::rotate(const openclaw::CallContext& caller, const Object::Ptr& params) {
    const std::string deviceId = str(params, "deviceId"), role = str(params, "role");
    auto held = openBook();
    const PairedDevice* d = book_->paired(deviceId);
    const bool own = caller.deviceId == deviceId;
    if (!d || !d->tokens.count(role) || (role != "operator" && !holdsAdmin(caller) && !own))
        invalidRequest("device token rotation denied");
    PairedDevice rotated = *d;
    TokenState& t = rotated.tokens[role];
    std::vector<std::string> scopes = t.scopes;
    if (params->has("scopes")) {
        if (!params->isArray("scopes"))
            invalidRequest("invalid device.token.rotate params: at /scopes: must be array");
        scopes.clear();
        for (const auto& s : *params->getArray("scopes")) {
            const std::string name = s.toString();
            if (role == "operator" && !scopeCovered(rotated.approvedScopes, name))
                invalidRequest("device token rotation denied");
            scopes.push_back(name);
        }
    }
    const long long now = nowMs();
    t.scopes = role == "operator" ? scopes : std::vector<std::string>{};
    t.generation += 1;
    t.rotatedAtMs = now;
    t.revokedAtMs.reset();
    t.importedHash.clear();
    Edit edit;
    edit.putPaired.push_back(rotated);
    commitOrThrow(edit);
    Object::Ptr out = object();
    out->set("deviceId", deviceId);
    out->set("role", role);
    Array::Ptr list = new Array;
    for (const std::string& s : t.scopes)
        list->add(s);
    out->set("scopes", list);
    out->set("rotatedAtMs", static_cast<Poco::Int64>(now));
    if (own) {
        out->set("token", book_->tokenFor(deviceId, t));
        out->set("tokenDelivery", std::string("in-band"));
    } else {
        out->set("tokenDelivery", std::string("withheld-cross-device"));
        closeSessionsOf(deviceId, role);
    }
    return out;
}

Object::Ptr Devices::revoke(const openclaw::CallContext& caller, const Object::Ptr& params) {
    const std::string deviceId = str(params, "deviceId"), role = str(params, "role");
    auto held = openBook();
    const PairedDevice* d = book_->paired(deviceId);
    if (!d || !d->tokens.count(role) ||
        (role != "operator" && !holdsAdmin(caller) && caller.deviceId != deviceId))
        invalidRequest("device token revocation denied");
    PairedDevice revoked = *d;
    const long long now = nowMs();
    TokenState& t = revoked.tokens[role];
    t.revokedAtMs = now;
    t.generation += 1;
    Edit edit;
    edit.putPaired.push_back(revoked);
    commitOrThrow(edit);
    closeSessionsOf(deviceId, role);
    Object::Ptr out = object();
    out->set("deviceId", deviceId);
    out->set("role", role);
    out->set("revokedAtMs", static_cast<Poco::Int64>(now));
    return out;
}

} // namespace openclaw::devices
