// device.pair.import (`openclaw devices import`): the reference gateway's paired devices and nodes taken into
// our store, so an operator who switches keeps them without pairing again. Its tokens are kept only as
// SHA-256 hashes, accepted until their next rotation; the token a device is handed from then on is ours.
// Read-only on the reference's database; all or nothing on ours (one transaction).
#include "DeviceJson.hpp"
#include "Devices.hpp"

#include <Poco/JSON/Array.h>

namespace openclaw::devices {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

std::optional<long long> numberOf(const Object::Ptr& row, const std::string& key) {
    if (!row->has(key) || row->isNull(key) || !row->get(key).isNumeric()) return std::nullopt;
    return row->getValue<Poco::Int64>(key);
}

/// A JSON column (text in the row) as a list of strings; nothing when it is absent or not a list.
std::optional<std::vector<std::string>> listColumn(const Object::Ptr& row, const std::string& key) {
    const std::string text = textIn(row, key);
    if (text.empty()) return std::vector<std::string>{};
    const Object::Ptr holder = parsedObject("{\"v\":" + text + "}");
    if (!holder || !holder->isArray("v")) return std::nullopt;
    return stringsIn(holder, "v");
}

/// tokens_json: {"<role>":{"token","role","scopes","createdAtMs","rotatedAtMs"?,"revokedAtMs"?,
/// "lastUsedAtMs"?}}, each token kept as its hash.
bool importTokens(const CoreTable& core, const Object::Ptr& row, PairedDevice& d) {
    const std::string text = textIn(row, "tokensJson");
    if (text.empty()) return true;
    const Object::Ptr tokens = parsedObject(text);
    if (!tokens) return false;
    for (const std::string& role : tokens->getNames()) {
        const Object::Ptr t = tokens->isObject(role) ? tokens->getObject(role) : nullptr;
        if (!t) return false;
        const std::string token = textIn(t, "token");
        if (token.empty()) continue; // the role stays approved; the next connect is handed a token of ours
        TokenState s;
        s.role = role;
        s.scopes = stringsIn(t, "scopes");
        s.createdAtMs = numberOf(t, "createdAtMs").value_or(0);
        s.rotatedAtMs = numberOf(t, "rotatedAtMs");
        s.revokedAtMs = numberOf(t, "revokedAtMs");
        s.lastUsedAtMs = numberOf(t, "lastUsedAtMs");
        s.importedHash = core.sha256Hex(token);
        d.tokens[role] = s;
    }
    return true;
}

/// A node surface column (approved or pending); false when it is there but unreadable.
bool importSurface(const Object::Ptr& row, const std::string& key, std::optional<NodeSurface>& out) {
    const std::string text = textIn(row, key);
    if (text.empty()) return true;
    const Object::Ptr surface = parsedObject(text);
    if (!surface) return false;
    out = surfaceFrom(surface);
    return true;
}

/// One row of device_pairing_paired as our record; "" or why it is skipped.
std::string importRow(const CoreTable& core, const Object::Ptr& row, PairedDevice& d) {
    DeviceFacts& f = d.facts;
    f.deviceId = textIn(row, "deviceId");
    const auto raw = core.rawPublicKey(textIn(row, "publicKey"));
    if (!raw || core.sha256Hex(*raw) != f.deviceId) return "its public key does not give its device id";
    f.publicKey = core.base64Url(*raw);
    f.displayName = textIn(row, "displayName");
    f.platform = textIn(row, "platform");
    f.deviceFamily = textIn(row, "deviceFamily");
    f.clientId = textIn(row, "clientId");
    f.clientMode = textIn(row, "clientMode");
    f.role = textIn(row, "role");
    f.remoteIp = textIn(row, "remoteIp");
    const auto roles = listColumn(row, "rolesJson");
    const auto scopes = listColumn(row, "scopesJson");
    const auto approved = listColumn(row, "approvedScopesJson");
    if (!roles || !scopes || !approved) return "its roles or scopes are not JSON lists";
    d.roles = roles->empty() && !f.role.empty() ? std::vector<std::string>{f.role} : *roles;
    f.scopes = *scopes;
    d.approvedScopes = textIn(row, "approvedScopesJson").empty() ? *scopes : *approved;
    d.operatorLabel = textIn(row, "operatorLabel");
    d.approvedVia = textIn(row, "approvedVia");
    d.createdAtMs = numberOf(row, "createdAtMs").value_or(0);
    d.approvedAtMs = numberOf(row, "approvedAtMs").value_or(d.createdAtMs);
    d.lastSeenAtMs = numberOf(row, "lastSeenAtMs");
    d.lastSeenReason = textIn(row, "lastSeenReason");
    if (!importTokens(core, row, d)) return "its tokens_json is not readable";
    if (!importSurface(row, "nodeSurfaceJson", d.nodeSurface) ||
        !importSurface(row, "pendingNodeSurfaceJson", d.pendingNodeSurface))
        return "its node surface is not readable";
    return "";
}

Object::Ptr entry(const std::string& deviceId, const std::string& key, const std::string& value) {
    Object::Ptr o = new Object;
    o->set("deviceId", deviceId);
    o->set(key, value);
    return o;
}

} // namespace

Object::Ptr Devices::importReference(const std::string& from) {
    const std::string path = from.empty() ? config_.stateDir + "/state/openclaw.sqlite" : from;
    auto held = openBook();
    const CoreTable& core = *CoreModule::get().table;
    std::vector<std::string> rows;
    size_t pending = 0;
    if (std::string why = core.readReferencePairing(path, rows, pending); !why.empty())
        throw openclaw::RpcError("UNAVAILABLE", "cannot import: " + why);
    Edit edit;
    Array::Ptr imported = new Array, skipped = new Array;
    edit.putPaired.reserve(rows.size());
    for (const std::string& text : rows) {
        const Object::Ptr row = parsedObject(text);
        PairedDevice d;
        std::string why = row ? importRow(core, row, d) : "the row is not readable";
        if (why.empty() && book_->paired(d.facts.deviceId))
            why = "already paired on this gateway (kept as it is)";
        if (!why.empty()) {
            skipped->add(entry(row ? textIn(row, "deviceId") : "", "reason", why));
            continue;
        }
        imported->add(entry(d.facts.deviceId, "displayName", d.facts.displayName));
        edit.putPaired.push_back(std::move(d));
    }
    commitOrThrow(edit);
    host_.log(OC_LOG_INFO, "devices",
              "imported " + std::to_string(imported->size()) + " paired device(s) from " + path);
    Object::Ptr out = new Object;
    out->set("from", path);
    out->set("imported", imported);
    out->set("skipped", skipped);
    out->set("pendingNotImported", static_cast<Poco::Int64>(pending));
    return out;
}

} // namespace openclaw::devices
