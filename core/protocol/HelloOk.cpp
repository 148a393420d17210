#include "protocol/HelloOk.h"

#include "protocol/Frames.h"

namespace openclaw::protocol {

namespace {
json::ArrayPtr toArray(const std::vector<std::string>& v) {
    json::ArrayPtr a = json::makeArray();
    for (const auto& s : v)
        a->add(s);
    return a;
}
} // namespace

std::string renderFeatures(const std::vector<std::string>& methods, const std::vector<std::string>& events) {
    json::ObjectPtr features = json::makeObject();
    features->set("methods", toArray(methods));
    features->set("events", toArray(events));
    features->set("capabilities", json::makeArray());
    return json::stringify(features);
}

namespace {

json::ObjectPtr serverPart(const HelloInfo& info) {
    json::ObjectPtr server = json::makeObject();
    server->set("version", info.version);
    server->set("buildId", info.buildId);
    server->set("bootId", info.bootId);
    server->set("connId", info.connId);
    return server;
}

json::ObjectPtr snapshotPart(const HelloInfo& info) {
    json::ObjectPtr snapshot = json::makeObject();
    json::ObjectPtr suspension = json::makeObject();
    suspension->set("phase", std::string("accepting"));
    snapshot->set("suspension", suspension);
    snapshot->set("presence", info.presence ? info.presence : json::makeArray());
    snapshot->set("health", info.health ? info.health : json::makeObject());
    json::ObjectPtr sv = json::makeObject();
    sv->set("presence", static_cast<Poco::Int64>(info.presenceVersion));
    sv->set("health", static_cast<Poco::Int64>(info.healthVersion));
    snapshot->set("stateVersion", sv);
    snapshot->set("uptimeMs", static_cast<Poco::Int64>(info.uptimeMs));
    return snapshot;
}

json::ObjectPtr authPart(const HelloInfo& info) {
    json::ObjectPtr auth = json::makeObject();
    auth->set("method", info.authMethod);
    auth->set("role", info.role);
    auth->set("scopes", toArray(info.scopes));
    if (!info.deviceToken.empty()) {
        auth->set("deviceToken", info.deviceToken);
        auth->set("issuedAtMs", static_cast<Poco::Int64>(info.deviceTokenIssuedAtMs));
    }
    return auth;
}

json::ObjectPtr policyPart(const HelloInfo& info) {
    json::ObjectPtr policy = json::makeObject();
    policy->set("maxPayload", static_cast<Poco::Int64>(kMaxPayload));
    policy->set("maxBufferedBytes", static_cast<Poco::Int64>(info.maxBufferedBytes));
    policy->set("tickIntervalMs", info.tickIntervalMs);
    return policy;
}

} // namespace

std::string renderHelloOk(const HelloInfo& info) {
    // Spliced from its parts in the reference's key order: the features (most of the frame: every method
    // and event name) are rendered once per registry, not at every connect.
    std::string out = "{\"type\":\"hello-ok\",\"protocol\":" + std::to_string(kProtocolVersion);
    out += ",\"server\":" + json::stringify(serverPart(info));
    out += ",\"features\":";
    out += info.featuresJson ? *info.featuresJson
                             : renderFeatures(info.methods ? *info.methods : std::vector<std::string>(),
                                              info.events ? *info.events : std::vector<std::string>());
    out += ",\"snapshot\":" + json::stringify(snapshotPart(info));
    out += ",\"auth\":" + json::stringify(authPart(info));
    out += ",\"policy\":" + json::stringify(policyPart(info));
    out += '}';
    return out;
}

json::ObjectPtr buildChallenge(const std::string& nonce, long long tsMs) {
    json::ObjectPtr p = json::makeObject();
    p->set("nonce", nonce);
    p->set("ts", static_cast<Poco::Int64>(tsMs));
    p->set("capabilities", json::makeArray());
    return p;
}

} // namespace openclaw::protocol
