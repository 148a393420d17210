// Admitting a connect that carries a device (reference/nodes-and-devices.md §1.3, §2.1–§2.5): its proof, then
// either a device token standing in for refused shared credentials, or pairing — the device paired for what
// it asks (admitted with its device token), approved silently (a local peer, §2.3), or held for an operator
// (a pending request and PAIRING_REQUIRED).
#include "DeviceJson.hpp"
#include "Devices.hpp"

#include <Poco/JSON/Array.h>

#include <algorithm>

namespace openclaw::devices {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Object::Ptr objectIn(const Object::Ptr& o, const std::string& key) {
    return o && o->has(key) && o->isObject(key) ? o->getObject(key) : Object::Ptr();
}

std::vector<std::string> stringsOf(const Object::Ptr& connect, const std::string& key) {
    std::vector<std::string> out;
    if (connect && connect->has(key) && connect->isArray(key))
        for (const auto& s : *connect->getArray(key))
            out.push_back(s.toString());
    return out;
}

/// auth.token ?? auth.deviceToken ?? auth.bootstrapToken ?? "" (the first present, as sent).
std::string signedToken(const Object::Ptr& auth) {
    for (const char* key : {"token", "deviceToken", "bootstrapToken"})
        if (auth && auth->has(key) && auth->get(key).isString()) return auth->getValue<std::string>(key);
    return "";
}

/// The claim and what it was signed over, from the admission request.
std::pair<DeviceClaim, SignedContext> proofOf(const Object::Ptr& connect, const Object::Ptr& device,
                                              const Object::Ptr& challenge) {
    DeviceClaim claim;
    claim.id = textIn(device, "id");
    claim.publicKey = textIn(device, "publicKey");
    claim.signature = textIn(device, "signature");
    claim.signedAt = device->optValue<Poco::Int64>("signedAt", 0);
    claim.nonce = textIn(device, "nonce");
    SignedContext ctx;
    ctx.challengeNonce = textIn(challenge, "nonce");
    const Object::Ptr client = objectIn(connect, "client");
    ctx.clientId = textIn(client, "id");
    ctx.clientMode = textIn(client, "mode");
    ctx.platform = textIn(client, "platform");
    ctx.deviceFamily = textIn(client, "deviceFamily");
    ctx.role = connect->has("role") ? textIn(connect, "role") : "operator";
    ctx.scopes = stringsOf(connect, "scopes");
    ctx.token = signedToken(objectIn(connect, "auth"));
    return {claim, ctx};
}

DeviceFacts factsOf(const Object::Ptr& request, const SignedContext& ctx, const std::string& deviceId,
                    const std::string& publicKey) {
    const Object::Ptr client = objectIn(objectIn(request, "connect"), "client");
    DeviceFacts f;
    f.deviceId = deviceId;
    f.publicKey = publicKey;
    f.displayName = textIn(client, "displayName");
    f.platform = ctx.platform;
    f.deviceFamily = ctx.deviceFamily;
    f.clientId = ctx.clientId;
    f.clientMode = ctx.clientMode;
    f.role = ctx.role;
    f.scopes = ctx.scopes;
    if (!request->optValue<bool>("isLoopback", false)) f.remoteIp = textIn(request, "remoteAddress");
    const Object::Ptr connect = objectIn(request, "connect");
    f.version = textIn(client, "version");
    f.pathEnv = textIn(connect, "pathEnv");
    f.caps = stringsOf(connect, "caps");
    f.commands = stringsOf(connect, "commands");
    return f;
}

/// A refusal verdict; the close reason is the message (or `closeReason`), at most 123 bytes as the reference.
std::string refusal(const std::string& code, const std::string& message, const Object::Ptr& details,
                    std::string closeReason = "") {
    Object::Ptr out = new Object;
    out->set("ok", false);
    out->set("code", code);
    out->set("message", message);
    out->set("details", details);
    out->set("closeCode", 1008);
    if (closeReason.empty()) closeReason = message;
    out->set("closeReason", closeReason.substr(0, 123));
    return text(out);
}

Object::Ptr detailsWith(const std::string& code) {
    Object::Ptr d = new Object;
    d->set("code", code);
    return d;
}

std::string tokenMismatch() {
    Object::Ptr d = detailsWith("AUTH_DEVICE_TOKEN_MISMATCH");
    d->set("authReason", std::string("device_token_mismatch"));
    d->set("canRetryWithDeviceToken", false);
    d->set("recommendedNextStep", std::string("update_auth_credentials"));
    return refusal("INVALID_REQUEST", "unauthorized: device token mismatch (rotate/reissue device token)", d);
}

std::string scopeMismatch() {
    Object::Ptr d = detailsWith("AUTH_SCOPE_MISMATCH");
    d->set("authReason", std::string("scope_mismatch"));
    d->set("canRetryWithDeviceToken", false);
    d->set("recommendedNextStep", std::string("review_auth_configuration"));
    return refusal("INVALID_REQUEST",
                   "unauthorized: device token scope mismatch (re-pair or approve scope upgrade)", d);
}

/// The token state a role gets when it is approved: new, or a fresh generation after a revocation.
TokenState approvedToken(const PairedDevice& device, const std::string& role, long long now) {
    const auto it = device.tokens.find(role);
    TokenState t;
    if (it != device.tokens.end()) {
        t = it->second;
        if (!t.revokedAtMs) return t;
        t.generation += 1;
        t.revokedAtMs.reset();
        t.importedHash.clear();
        t.rotatedAtMs = now;
        return t;
    }
    t.role = role;
    t.createdAtMs = now;
    return t;
}

} // namespace

std::string Devices::admit(const Object::Ptr& req) {
    const Object::Ptr credentials = objectIn(req, "credentials");
    const bool credentialsOk = credentials && credentials->optValue<bool>("ok", false);
    const Object::Ptr connect = objectIn(req, "connect");
    if (!connect || !objectIn(connect, "device")) {
        // Only an operator with shared credentials may come without a device (the reference's rule).
        if (!credentialsOk || textIn(connect, "role") != "node") return R"({"pass":true})";
        return refusal("NOT_PAIRED", "device identity required", detailsWith("DEVICE_IDENTITY_REQUIRED"));
    }
    if (req->optValue<bool>("quick", false)) return R"({"defer":true})"; // the proof and the store may block
    try {
        return admitDevice(req, connect);
    } catch (const openclaw::RpcError& e) {
        // The store or the module failed: this device client is refused, saying why; others carry on.
        return refusal("UNAVAILABLE", e.what(), detailsWith("DEVICE_PAIRING_UNAVAILABLE"));
    }
}

std::string Devices::admitDevice(const Object::Ptr& req, const Object::Ptr& connect) {
    const Object::Ptr credentials = objectIn(req, "credentials");
    const bool credentialsOk = credentials && credentials->optValue<bool>("ok", false);
    book(); // loads devices-core.so, or throws
    const CoreTable& core = *CoreModule::get().table;
    const auto [claim, ctx] = proofOf(connect, objectIn(connect, "device"), objectIn(req, "challenge"));
    const long long now = nowMs();
    if (auto failed = core.verify(claim, ctx, now)) {
        // A refused shared secret stays the answer (the reference checks the device only after it).
        if (!credentialsOk) return R"({"pass":true})";
        Object::Ptr d = detailsWith(failed->code);
        d->set("reason", failed->reason);
        return refusal("INVALID_REQUEST", failed->message, d);
    }
    const DeviceFacts facts =
        factsOf(req, ctx, claim.id, core.base64Url(core.rawPublicKey(claim.publicKey).value_or("")));
    if (!credentialsOk) return admitByDeviceToken(facts, objectIn(connect, "auth"));
    auto held = openBook();
    Edit expired;
    book_->expire(now, expired);
    commitOrThrow(expired);
    const PairedDevice* paired = book_->paired(facts.deviceId);
    const auto reason = pairingNeeded(paired ? std::optional<PairedDevice>(*paired) : std::nullopt, facts);
    const std::string method = req->optValue<std::string>("authMethod", "token");
    if (!reason) return admitPaired(*paired, facts, method, now);
    const Locality where{req->optValue<bool>("isLoopback", false), !textIn(req, "origin").empty()};
    if (silentApproval(*reason, facts, where, config_.autoApproveLocal, method))
        return approveSilently(*reason, facts, method, now);
    return holdForApproval(*reason, facts, now);
}

std::string Devices::admitByDeviceToken(const DeviceFacts& facts, const Object::Ptr& auth) {
    const std::string explicitToken = textIn(auth, "deviceToken");
    const std::string presented = explicitToken.empty() ? textIn(auth, "token") : explicitToken;
    if (presented.empty()) return R"({"pass":true})";
    auto held = openBook();
    const PairedDevice* paired = book_->paired(facts.deviceId);
    const bool usable =
        paired && paired->facts.publicKey == facts.publicKey && roleApproved(*paired, facts.role);
    const auto token =
        usable ? paired->tokens.find(facts.role) : std::map<std::string, TokenState>::const_iterator();
    if (!usable || token == paired->tokens.end() ||
        !book_->tokenMatches(facts.deviceId, token->second, presented))
        // A value in auth.token may simply be a wrong shared token: that refusal stands.
        return explicitToken.empty() ? R"({"pass":true})" : tokenMismatch();
    for (const std::string& s : facts.scopes)
        if (facts.role == "operator" && !scopeCovered(token->second.scopes, s)) return scopeMismatch();
    PairedDevice updated = *paired;
    updated.tokens[facts.role].lastUsedAtMs = nowMs();
    return admitPaired(updated, facts, "device-token", nowMs());
}

/// How often a device's last-seen time is written.
constexpr long long kLastSeenEveryMs = 60000;

std::string Devices::admitPaired(const PairedDevice& device, const DeviceFacts& facts,
                                 const std::string& method, long long now) {
    PairedDevice seen = device;
    TokenState& token = seen.tokens[facts.role];
    if (token.role.empty()) token = approvedToken(seen, facts.role, now);
    if (facts.role == "operator") token.scopes = seen.approvedScopes;
    // Last-seen times are written at most once a minute per device: a reconnecting client costs no disk
    // write per connect.
    const bool stale = !device.lastSeenAtMs || now - *device.lastSeenAtMs >= kLastSeenEveryMs;
    if (stale) {
        seen.lastSeenAtMs = now;
        seen.lastSeenReason = "connect";
    }
    bool announce = false;
    const bool surfaceChanged = facts.role == "node" && refreshNodeSurface(seen, facts, now, announce);
    if (stale || surfaceChanged || !device.tokens.count(facts.role) ||
        device.tokens.at(facts.role).scopes != token.scopes) {
        Edit edit;
        edit.putPaired.push_back(seen);
        commitOrThrow(edit);
    }
    if (facts.role == "node") noteLiveNode(facts, now);
    if (announce)
        host_.broadcast("node.pair.requested", text(pendingNodeEntry(seen)), OC_ROLE_OPERATOR,
                        "operator.pairing");
    Object::Ptr out = new Object;
    out->set("ok", true);
    if (method == "device-token") out->set("authMethod", method);
    out->set("deviceId", facts.deviceId);
    out->set("scopes", arrayOf(grantedScopes(seen, facts)));
    out->set("deviceToken", book_->tokenFor(facts.deviceId, token));
    out->set("issuedAtMs", static_cast<Poco::Int64>(token.rotatedAtMs.value_or(token.createdAtMs)));
    return text(out);
}

std::string Devices::approveSilently(PairingReason reason, const DeviceFacts& facts,
                                     const std::string& method, long long now) {
    const PairedDevice* before = book_->paired(facts.deviceId);
    const bool sameKey = before && before->facts.publicKey == facts.publicKey;
    PairedDevice d = sameKey ? *before : PairedDevice{};
    if (!sameKey) {
        d.createdAtMs = now;
        d.approvedVia = "silent";
    }
    d.facts = facts;
    if (std::find(d.roles.begin(), d.roles.end(), facts.role) == d.roles.end()) d.roles.push_back(facts.role);
    if (facts.role == "operator")
        for (const std::string& s : facts.scopes)
            if (!scopeCovered(d.approvedScopes, s)) d.approvedScopes.push_back(s);
    d.tokens[facts.role] = approvedToken(d, facts.role, now);
    d.approvedAtMs = now;
    Edit edit;
    for (const auto& [id, r] : book_->allPending())
        if (r.facts.deviceId == facts.deviceId) edit.dropPending.push_back(id);
    // As the reference: older silent pairings of the same client that are not connected give way, so a
    // local client that makes a fresh key each time does not grow the table.
    const std::set<std::string> connected = connectedDevices();
    for (const auto& [id, other] : book_->allPaired())
        if (id != facts.deviceId && other.approvedVia == "silent" && other.facts.clientId == facts.clientId &&
            other.facts.clientMode == facts.clientMode && other.facts.displayName == facts.displayName &&
            !connected.count(id))
            edit.dropPaired.push_back(id);
    edit.putPaired.push_back(d);
    commitOrThrow(edit);
    host_.log(OC_LOG_INFO, "devices",
              "device pairing auto-approved device=" + facts.deviceId + " role=" + facts.role +
                  " reason=" + wordsFor(reason).reason);
    resolved(book_->newRequestId(), facts.deviceId, "approved", now);
    return admitPaired(*book_->paired(facts.deviceId), facts, method, now);
}

std::string Devices::holdForApproval(PairingReason reason, const DeviceFacts& facts, long long now) {
    const PairedDevice* paired = book_->paired(facts.deviceId);
    Edit edit;
    const PendingRequest* same = nullptr;
    for (const auto& [id, r] : book_->allPending()) {
        if (r.facts.deviceId != facts.deviceId) continue;
        if (r.facts.publicKey == facts.publicKey && r.facts.role == facts.role &&
            r.facts.scopes == facts.scopes)
            same = &r;
        else
            edit.dropPending.push_back(id); // superseded
    }
    PendingRequest r = same ? *same : PendingRequest{};
    if (!same) {
        r.requestId = book_->newRequestId();
        r.ts = now;
        r.isRepair = paired != nullptr;
    }
    r.facts = facts;
    r.reason = reason;
    r.refreshedAtMs = now;
    // Bounded, beyond the reference: the oldest requests of this address, then of all, give way.
    std::vector<const PendingRequest*> fromHere, all;
    for (const auto& [id, p] : book_->allPending())
        if (p.facts.deviceId != facts.deviceId) {
            all.push_back(&p);
            if (p.facts.remoteIp == facts.remoteIp) fromHere.push_back(&p);
        }
    auto oldestFirst = [](const PendingRequest* a, const PendingRequest* b) {
        return a->refreshedAtMs < b->refreshedAtMs;
    };
    std::sort(fromHere.begin(), fromHere.end(), oldestFirst);
    std::sort(all.begin(), all.end(), oldestFirst);
    std::set<std::string> dropped;
    for (size_t i = 0; i + kMaxPendingPerAddress <= fromHere.size(); ++i)
        dropped.insert(fromHere[i]->requestId);
    for (size_t i = 0; i + kMaxPending <= all.size(); ++i)
        dropped.insert(all[i]->requestId);
    edit.dropPending.insert(edit.dropPending.end(), dropped.begin(), dropped.end());
    edit.putPending.push_back(r);
    std::vector<std::pair<std::string, std::string>> gone; // (request, device)
    for (const std::string& id : edit.dropPending)
        gone.emplace_back(id, book_->pending(id)->facts.deviceId);
    commitOrThrow(edit);
    for (const auto& [id, device] : gone)
        resolved(id, device, "rejected", now);
    if (!same) broadcast("device.pair.requested", pendingOnWire(r));

    const ReasonWords& words = wordsFor(reason);
    const std::string message = std::string("pairing required: ") + words.message;
    Object::Ptr d = detailsWith("PAIRING_REQUIRED");
    d->set("reason", std::string(words.reason));
    d->set("requestId", r.requestId);
    d->set("remediationHint", std::string(words.hint));
    d->set("deviceId", facts.deviceId);
    d->set("requestedRole", facts.role);
    if (!facts.scopes.empty()) d->set("requestedScopes", arrayOf(facts.scopes));
    if (paired && paired->facts.publicKey == facts.publicKey) {
        d->set("approvedRoles", arrayOf(paired->roles));
        d->set("approvedScopes", arrayOf(paired->approvedScopes));
    }
    return refusal("NOT_PAIRED", message, d, message + " (requestId: " + r.requestId + ")");
}

} // namespace openclaw::devices
