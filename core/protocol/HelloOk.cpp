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

json::ObjectPtr buildHelloOk(const HelloInfo& info) {
    json::ObjectPtr hello = json::makeObject();
    hello->set("type", std::string("hello-ok"));
    hello->set("protocol", kProtocolVersion);

    json::ObjectPtr server = json::makeObject();
    server->set("version", info.version);
    server->set("buildId", info.buildId);
    server->set("bootId", info.bootId);
    server->set("connId", info.connId);
    hello->set("server", server);

    json::ObjectPtr features = json::makeObject();
    features->set("methods", info.methods ? toArray(*info.methods) : json::makeArray());
    features->set("events", info.events ? toArray(*info.events) : json::makeArray());
    features->set("capabilities", json::makeArray());
    hello->set("features", features);

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
    hello->set("snapshot", snapshot);

    json::ObjectPtr auth = json::makeObject();
    auth->set("method", info.authMethod);
    auth->set("role", info.role);
    auth->set("scopes", toArray(info.scopes));
    if (!info.deviceToken.empty()) {
        auth->set("deviceToken", info.deviceToken);
        auth->set("issuedAtMs", static_cast<Poco::Int64>(info.deviceTokenIssuedAtMs));
    }
    hello->set("auth", auth);

    json::ObjectPtr policy = json::makeObject();
    policy->set("maxPayload", static_cast<Poco::Int64>(kMaxPayload));
    policy->set("maxBufferedBytes", static_cast<Poco::Int64>(info.maxBufferedBytes));
    policy->set("tickIntervalMs", info.tickIntervalMs);
    hello->set("policy", policy);
    return hello;
}

json::ObjectPtr buildChallenge(const std::string& nonce, long long tsMs) {
    json::ObjectPtr p = json::makeObject();
    p->set("nonce", nonce);
    p->set("ts", static_cast<Poco::Int64>(tsMs));
    p->set("capabilities", json::makeArray());
    return p;
}

} // namespace openclaw::protocol
