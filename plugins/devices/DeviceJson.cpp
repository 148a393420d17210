#include "DeviceJson.hpp"

#include "PairingPolicy.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

namespace openclaw::devices {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

long long num(const Object::Ptr& o, const std::string& key) {
    return o->optValue<Poco::Int64>(key, 0);
}

std::optional<long long> optNum(const Object::Ptr& o, const std::string& key) {
    if (!o->has(key) || o->isNull(key)) return std::nullopt;
    return o->getValue<Poco::Int64>(key);
}

void setOpt(Object::Ptr o, const std::string& key, const std::optional<long long>& v) {
    if (v) o->set(key, static_cast<Poco::Int64>(*v));
}

void putFacts(Object::Ptr o, const DeviceFacts& f) {
    o->set("deviceId", f.deviceId);
    o->set("publicKey", f.publicKey);
    o->set("displayName", f.displayName);
    o->set("platform", f.platform);
    o->set("deviceFamily", f.deviceFamily);
    o->set("clientId", f.clientId);
    o->set("clientMode", f.clientMode);
    o->set("role", f.role);
}

DeviceFacts factsFrom(const Object::Ptr& o) {
    DeviceFacts f;
    f.deviceId = textIn(o, "deviceId");
    f.publicKey = textIn(o, "publicKey");
    f.displayName = textIn(o, "displayName");
    f.platform = textIn(o, "platform");
    f.deviceFamily = textIn(o, "deviceFamily");
    f.clientId = textIn(o, "clientId");
    f.clientMode = textIn(o, "clientMode");
    f.role = textIn(o, "role");
    f.scopes = stringsIn(o, "requestedScopes");
    f.remoteIp = textIn(o, "remoteIp");
    return f;
}

Object::Ptr tokenJson(const TokenState& t, bool stored) {
    Object::Ptr o = new Object;
    o->set("role", t.role);
    o->set("scopes", arrayOf(t.scopes));
    o->set("createdAtMs", static_cast<Poco::Int64>(t.createdAtMs));
    setOpt(o, "rotatedAtMs", t.rotatedAtMs);
    setOpt(o, "revokedAtMs", t.revokedAtMs);
    setOpt(o, "lastUsedAtMs", t.lastUsedAtMs);
    if (stored) {
        o->set("generation", static_cast<Poco::Int64>(t.generation));
        if (!t.importedHash.empty()) o->set("importedHash", t.importedHash);
    }
    return o;
}

TokenState tokenFrom(const Object::Ptr& o) {
    TokenState t;
    t.role = textIn(o, "role");
    t.scopes = stringsIn(o, "scopes");
    t.generation = static_cast<unsigned>(o->optValue<Poco::Int64>("generation", 1));
    t.createdAtMs = num(o, "createdAtMs");
    t.rotatedAtMs = optNum(o, "rotatedAtMs");
    t.revokedAtMs = optNum(o, "revokedAtMs");
    t.lastUsedAtMs = optNum(o, "lastUsedAtMs");
    t.importedHash = textIn(o, "importedHash");
    return t;
}

Object::Ptr pairedJson(const PairedDevice& d, bool stored) {
    Object::Ptr o = new Object;
    putFacts(o, d.facts);
    if (!d.operatorLabel.empty()) o->set("operatorLabel", d.operatorLabel);
    o->set("roles", arrayOf(d.roles));
    o->set("scopes", arrayOf(d.approvedScopes));
    o->set("approvedVia", d.approvedVia);
    o->set("createdAtMs", static_cast<Poco::Int64>(d.createdAtMs));
    o->set("approvedAtMs", static_cast<Poco::Int64>(d.approvedAtMs));
    setOpt(o, "lastSeenAtMs", d.lastSeenAtMs);
    if (!d.lastSeenReason.empty()) o->set("lastSeenReason", d.lastSeenReason);
    Array::Ptr tokens = new Array;
    for (const auto& [role, t] : d.tokens)
        tokens->add(tokenJson(t, stored));
    o->set("tokens", tokens);
    if (d.nodeSurface) o->set("nodeSurface", surfaceJson(*d.nodeSurface));
    if (d.pendingNodeSurface) o->set("pendingNodeSurface", surfaceJson(*d.pendingNodeSurface));
    if (stored && !d.nodeDisplayName.empty()) o->set("nodeDisplayName", d.nodeDisplayName);
    if (stored) {
        o->set("requestedScopes", arrayOf(d.facts.scopes));
        if (!d.facts.remoteIp.empty()) o->set("remoteIp", d.facts.remoteIp);
    }
    return o;
}

Object::Ptr pendingJson(const PendingRequest& r, bool stored) {
    Object::Ptr o = new Object;
    o->set("requestId", r.requestId);
    putFacts(o, r.facts);
    o->set("roles", arrayOf({r.facts.role}));
    o->set("scopes", arrayOf(r.facts.scopes));
    if (!r.facts.remoteIp.empty()) o->set("remoteIp", r.facts.remoteIp);
    o->set("silent", false);
    o->set("isRepair", r.isRepair);
    o->set("ts", static_cast<Poco::Int64>(r.ts));
    if (stored) {
        o->set("reason", std::string(wordsFor(r.reason).reason));
        o->set("refreshedAtMs", static_cast<Poco::Int64>(r.refreshedAtMs));
        o->set("requestedScopes", arrayOf(r.facts.scopes));
    }
    return o;
}

} // namespace

Array::Ptr arrayOf(const std::vector<std::string>& items) {
    Array::Ptr a = new Array;
    for (const std::string& s : items)
        a->add(s);
    return a;
}

Object::Ptr surfaceJson(const NodeSurface& n) {
    Object::Ptr o = new Object;
    if (!n.requestId.empty()) o->set("requestId", n.requestId);
    o->set("displayName", n.displayName);
    o->set("platform", n.platform);
    o->set("version", n.version);
    o->set("deviceFamily", n.deviceFamily);
    o->set("caps", arrayOf(n.caps));
    o->set("commands", arrayOf(n.commands));
    o->set("silent", n.silent);
    o->set("ts", static_cast<Poco::Int64>(n.ts));
    if (n.createdAtMs) o->set("createdAtMs", static_cast<Poco::Int64>(n.createdAtMs));
    if (n.approvedAtMs) o->set("approvedAtMs", static_cast<Poco::Int64>(n.approvedAtMs));
    setOpt(o, "lastConnectedAtMs", n.lastConnectedAtMs);
    if (!n.lastHostStats.empty()) o->set("lastHostStats", Poco::JSON::Parser().parse(n.lastHostStats));
    return o;
}

NodeSurface surfaceFrom(const Object::Ptr& o) {
    NodeSurface n;
    n.requestId = textIn(o, "requestId");
    n.displayName = textIn(o, "displayName");
    n.platform = textIn(o, "platform");
    n.version = textIn(o, "version");
    n.deviceFamily = textIn(o, "deviceFamily");
    n.caps = stringsIn(o, "caps");
    n.commands = stringsIn(o, "commands");
    n.silent = o->optValue<bool>("silent", false);
    n.ts = num(o, "ts");
    n.createdAtMs = num(o, "createdAtMs");
    n.approvedAtMs = num(o, "approvedAtMs");
    n.lastConnectedAtMs = optNum(o, "lastConnectedAtMs");
    if (o->has("lastHostStats") && o->isObject("lastHostStats"))
        n.lastHostStats = text(o->getObject("lastHostStats"));
    return n;
}

std::string text(const Object::Ptr& object) {
    std::ostringstream s;
    object->stringify(s);
    return s.str();
}

std::string storedJson(const PairedDevice& device) {
    return text(pairedJson(device, true));
}
std::string storedJson(const PendingRequest& request) {
    return text(pendingJson(request, true));
}

std::optional<PairedDevice> pairedFromStored(const std::string& json) {
    const Object::Ptr o = parsedObject(json);
    if (!o || textIn(o, "deviceId").empty()) return std::nullopt;
    PairedDevice d;
    d.facts = factsFrom(o);
    d.operatorLabel = textIn(o, "operatorLabel");
    d.roles = stringsIn(o, "roles");
    d.approvedScopes = stringsIn(o, "scopes");
    d.approvedVia = textIn(o, "approvedVia");
    d.createdAtMs = num(o, "createdAtMs");
    d.approvedAtMs = num(o, "approvedAtMs");
    d.lastSeenAtMs = optNum(o, "lastSeenAtMs");
    d.lastSeenReason = textIn(o, "lastSeenReason");
    if (o->has("tokens") && o->isArray("tokens"))
        for (const auto& v : *o->getArray("tokens"))
            if (v.type() == typeid(Object::Ptr)) {
                TokenState t = tokenFrom(v.extract<Object::Ptr>());
                d.tokens[t.role] = t;
            }
    if (o->has("nodeSurface") && o->isObject("nodeSurface"))
        d.nodeSurface = surfaceFrom(o->getObject("nodeSurface"));
    if (o->has("pendingNodeSurface") && o->isObject("pendingNodeSurface"))
        d.pendingNodeSurface = surfaceFrom(o->getObject("pendingNodeSurface"));
    d.nodeDisplayName = textIn(o, "nodeDisplayName");
    return d;
}

std::optional<PendingRequest> pendingFromStored(const std::string& json) {
    const Object::Ptr o = parsedObject(json);
    if (!o || textIn(o, "requestId").empty()) return std::nullopt;
    PendingRequest r;
    r.requestId = textIn(o, "requestId");
    r.facts = factsFrom(o);
    r.reason = reasonFromText(textIn(o, "reason")).value_or(PairingReason::NotPaired);
    r.isRepair = o->optValue<bool>("isRepair", false);
    r.ts = num(o, "ts");
    r.refreshedAtMs = num(o, "refreshedAtMs");
    return r;
}

Object::Ptr pairedOnWire(const PairedDevice& device, bool connected) {
    Object::Ptr o = pairedJson(device, false);
    o->set("connected", connected);
    return o;
}

Object::Ptr pendingOnWire(const PendingRequest& request) {
    return pendingJson(request, false);
}

std::vector<std::string> stringsIn(const Object::Ptr& o, const std::string& key) {
    std::vector<std::string> out;
    if (!o->has(key) || !o->isArray(key)) return out;
    for (const auto& v : *o->getArray(key))
        if (v.isString()) out.push_back(v.toString());
    return out;
}

Object::Ptr parsedObject(const std::string& json) {
    try {
        return Poco::JSON::Parser().parse(json).extract<Object::Ptr>();
    } catch (const Poco::Exception&) {
        return nullptr;
    } catch (const std::exception&) {
        return nullptr;
    }
}

std::string textIn(const Object::Ptr& o, const std::string& key) {
    return o && o->has(key) && o->get(key).isString() ? o->getValue<std::string>(key) : std::string();
}

} // namespace openclaw::devices
