#include "protocol/HelloOk.h"

#include "protocol/Frames.h"

namespace openclaw::protocol {

namespace {

void appendStrings(std::string& out, const std::vector<std::string>& values) {
    out += '[';
    for (size_t i = 0; i < values.size(); ++i) {
        if (i) out += ',';
        json::appendQuoted(out, values[i]);
    }
    out += ']';
}

} // namespace

std::string renderFeatures(const std::vector<std::string>& methods, const std::vector<std::string>& events) {
    std::string out = "{\"methods\":";
    appendStrings(out, methods);
    out += ",\"events\":";
    appendStrings(out, events);
    out += ",\"capabilities\":[]}";
    return out;
}

namespace {

void appendServer(std::string& out, const HelloInfo& info) {
    out += ",\"server\":{\"version\":";
    json::appendQuoted(out, info.version);
    json::appendMember(out, "buildId", info.buildId);
    json::appendMember(out, "bootId", info.bootId);
    json::appendMember(out, "connId", info.connId);
    out += '}';
}

void appendSnapshot(std::string& out, const HelloInfo& info) {
    out += ",\"snapshot\":{\"suspension\":{\"phase\":\"accepting\"},\"presence\":";
    out += info.presenceJson ? *info.presenceJson : std::string("[]");
    out += ",\"health\":";
    out += info.healthJson ? *info.healthJson : std::string("{}");
    out += ",\"stateVersion\":{\"presence\":" + std::to_string(info.presenceVersion) +
           ",\"health\":" + std::to_string(info.healthVersion) +
           "},\"uptimeMs\":" + std::to_string(info.uptimeMs) + '}';
}

void appendAuth(std::string& out, const HelloInfo& info) {
    out += ",\"auth\":{\"method\":";
    json::appendQuoted(out, info.authMethod);
    json::appendMember(out, "role", info.role);
    out += ",\"scopes\":";
    appendStrings(out, info.scopes);
    if (!info.deviceToken.empty()) {
        json::appendMember(out, "deviceToken", info.deviceToken);
        out += ",\"issuedAtMs\":" + std::to_string(info.deviceTokenIssuedAtMs);
    }
    out += '}';
}

void appendPolicy(std::string& out, const HelloInfo& info) {
    out += ",\"policy\":{\"maxPayload\":" + std::to_string(kMaxPayload) +
           ",\"maxBufferedBytes\":" + std::to_string(info.maxBufferedBytes) +
           ",\"tickIntervalMs\":" + std::to_string(info.tickIntervalMs) + '}';
}

} // namespace

std::string renderHelloOk(const HelloInfo& info) {
    // Written as text in the reference's key order, once per connect: the features (most of the frame: every
    // method and event name) are rendered once per registry, presence and health come as cached text.
    std::string out = "{\"type\":\"hello-ok\",\"protocol\":" + std::to_string(kProtocolVersion);
    appendServer(out, info);
    out += ",\"features\":";
    out += info.featuresJson ? *info.featuresJson
                             : renderFeatures(info.methods ? *info.methods : std::vector<std::string>(),
                                              info.events ? *info.events : std::vector<std::string>());
    appendSnapshot(out, info);
    appendAuth(out, info);
    appendPolicy(out, info);
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
