#include "protocol/Connect.h"

#include <algorithm>

namespace openclaw::protocol {

const std::vector<std::string>& clientIds() {
    static const std::vector<std::string> ids = {"webchat-ui",
                                                 "openclaw-control-ui",
                                                 "openclaw-browser-copilot",
                                                 "openclaw-tui",
                                                 "webchat",
                                                 "cli",
                                                 "gateway-client",
                                                 "openclaw-macos",
                                                 "openclaw-linux",
                                                 "openclaw-ios",
                                                 "openclaw-watchos",
                                                 "openclaw-android",
                                                 "node-host",
                                                 "openclaw-worker",
                                                 "test",
                                                 "fingerprint",
                                                 "openclaw-probe"};
    return ids;
}

const std::vector<std::string>& clientModes() {
    static const std::vector<std::string> modes = {"webchat", "cli",    "ui",    "backend",
                                                   "node",    "worker", "probe", "test"};
    return modes;
}

namespace {

HandshakeError invalidParams(const std::string& detail) {
    std::string msg = "invalid connect params: " + detail;
    return {
        {"INVALID_REQUEST", msg, json::Var(), std::nullopt, std::nullopt}, 1008, truncateCloseReason(msg)};
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

/// Reads a required string member of `o` at `where` ("" for root, "/client" for client).
std::optional<HandshakeError> requireString(const json::ObjectPtr& o, const std::string& where,
                                            const std::string& key, std::string& out) {
    if (!o->has(key)) {
        std::string at = where.empty() ? "" : "at " + where + ": ";
        return invalidParams(at + "must have required property '" + key + "'");
    }
    if (!json::isString(o->get(key))) return invalidParams("at " + where + "/" + key + ": must be string");
    out = o->get(key).convert<std::string>();
    return std::nullopt;
}

std::optional<HandshakeError> optionalString(const json::ObjectPtr& o, const std::string& where,
                                             const std::string& key, std::string& out) {
    if (!o->has(key)) return std::nullopt;
    if (!json::isString(o->get(key))) return invalidParams("at " + where + "/" + key + ": must be string");
    out = o->get(key).convert<std::string>();
    return std::nullopt;
}

std::optional<HandshakeError> stringArray(const json::ObjectPtr& o, const std::string& key,
                                          std::vector<std::string>& out) {
    if (!o->has(key)) return std::nullopt;
    json::ArrayPtr a = json::asArray(o->get(key));
    if (!a) return invalidParams("at /" + key + ": must be array");
    for (size_t i = 0; i < a->size(); ++i) {
        json::Var item = a->get(static_cast<unsigned>(i));
        if (!json::isString(item))
            return invalidParams("at /" + key + "/" + std::to_string(i) + ": must be string");
        out.push_back(item.convert<std::string>());
    }
    return std::nullopt;
}

/// "device": the closed object {id, publicKey, signature, signedAt, nonce} (the proof itself is checked by
/// the devices plugin, against this socket's challenge).
std::optional<HandshakeError> checkDevice(const json::Var& v) {
    json::ObjectPtr d = json::asObject(v);
    if (!d) return invalidParams("at /device: must be object");
    static const std::vector<std::string> kStrings = {"id", "publicKey", "signature", "nonce"};
    for (const char* key : {"id", "publicKey", "signature", "signedAt", "nonce"})
        if (!d->has(key))
            return invalidParams(std::string("at /device: must have required property '") + key + "'");
    for (const std::string& name : d->getNames())
        if (!contains(kStrings, name) && name != "signedAt")
            return invalidParams("at /device: must NOT have additional properties");
    std::string value;
    for (const std::string& key : kStrings) {
        if (auto e = requireString(d, "/device", key, value)) return e;
        if (value.empty() && key != "nonce")
            return invalidParams("at /device/" + key + ": must NOT have fewer than 1 characters");
    }
    const json::Var at = d->get("signedAt");
    if (!json::isInteger(at)) return invalidParams("at /device/signedAt: must be integer");
    if (at.convert<double>() < 0) return invalidParams("at /device/signedAt: must be >= 0");
    return std::nullopt;
}

/// "permissions": {name: boolean}.
std::optional<HandshakeError> permissionsOf(const json::ObjectPtr& o,
                                            std::vector<std::pair<std::string, bool>>& out) {
    if (!o->has("permissions")) return std::nullopt;
    json::ObjectPtr p = json::asObject(o->get("permissions"));
    if (!p) return invalidParams("at /permissions: must be object");
    for (const std::string& name : p->getNames()) {
        const json::Var v = p->get(name);
        if (!v.isBoolean()) return invalidParams("at /permissions/" + name + ": must be boolean");
        out.emplace_back(name, v.convert<bool>());
    }
    return std::nullopt;
}

} // namespace

void appendClientJson(std::string& out, const ClientInfo& c) {
    out += "{\"id\":";
    json::appendQuoted(out, c.id);
    json::appendMember(out, "version", c.version);
    json::appendMember(out, "platform", c.platform);
    json::appendMember(out, "mode", c.mode);
    if (!c.deviceFamily.empty()) json::appendMember(out, "deviceFamily", c.deviceFamily);
    if (!c.instanceId.empty()) json::appendMember(out, "instanceId", c.instanceId);
    if (!c.displayName.empty()) json::appendMember(out, "displayName", c.displayName);
    out += '}';
}

std::variant<ConnectParams, HandshakeError> parseConnect(const json::Var& params) {
    json::ObjectPtr o = json::asObject(params);
    if (!o) return invalidParams("must be object");
    ConnectParams c;
    for (const char* key : {"minProtocol", "maxProtocol"}) {
        if (!o->has(key)) return invalidParams(std::string("must have required property '") + key + "'");
        if (!json::isInteger(o->get(key)))
            return invalidParams(std::string("at /") + key + ": must be integer");
        if (o->get(key).convert<double>() < 1)
            return invalidParams(std::string("at /") + key + ": must be >= 1");
    }
    c.minProtocol = static_cast<int>(std::min(o->get("minProtocol").convert<double>(), 1e9));
    c.maxProtocol = static_cast<int>(std::min(o->get("maxProtocol").convert<double>(), 1e9));
    if (!o->has("client")) return invalidParams("must have required property 'client'");
    json::ObjectPtr client = json::asObject(o->get("client"));
    if (!client) return invalidParams("at /client: must be object");
    if (auto e = requireString(client, "/client", "id", c.client.id)) return *e;
    if (auto e = requireString(client, "/client", "version", c.client.version)) return *e;
    if (auto e = requireString(client, "/client", "platform", c.client.platform)) return *e;
    if (auto e = requireString(client, "/client", "mode", c.client.mode)) return *e;
    if (!contains(clientIds(), c.client.id))
        return invalidParams("at /client/id: must be equal to one of the allowed values");
    if (!contains(clientModes(), c.client.mode))
        return invalidParams("at /client/mode: must be equal to one of the allowed values");
    if (auto e = optionalString(client, "/client", "deviceFamily", c.client.deviceFamily)) return *e;
    if (auto e = optionalString(client, "/client", "instanceId", c.client.instanceId)) return *e;
    if (auto e = optionalString(client, "/client", "displayName", c.client.displayName)) return *e;
    if (auto e = stringArray(o, "caps", c.caps)) return *e;
    if (auto e = stringArray(o, "commands", c.commands)) return *e;
    if (auto e = permissionsOf(o, c.permissions)) return *e;
    if (auto e = optionalString(o, "", "role", c.role)) return *e;
    if (!contains({"operator", "node", "worker"}, c.role))
        return invalidParams("at /role: must be equal to one of the allowed values");
    if (auto e = stringArray(o, "scopes", c.scopes)) return *e;
    if (o->has("auth")) {
        json::ObjectPtr auth = json::asObject(o->get("auth"));
        if (!auth) return invalidParams("at /auth: must be object");
        for (const char* key : {"token", "password", "deviceToken", "bootstrapToken"})
            if (auth->has(key) && !json::isString(auth->get(key)))
                return invalidParams(std::string("at /auth/") + key + ": must be string");
        c.providedAuth = auth->has("password") ? "password" : auth->has("token") ? "token" : "none";
        c.authJson = json::stringify(auth);
    }
    if (o->has("device")) {
        if (auto e = checkDevice(o->get("device"))) return *e;
        c.hasDevice = true;
    }

    if (c.minProtocol > kProtocolVersion || c.maxProtocol < kProtocolVersion) {
        json::ObjectPtr d = json::makeObject();
        d->set("code", std::string("PROTOCOL_MISMATCH"));
        d->set("clientMinProtocol", c.minProtocol);
        d->set("clientMaxProtocol", c.maxProtocol);
        d->set("expectedProtocol", kProtocolVersion);
        d->set("minimumProbeProtocol", kMinimumProbeProtocol);
        return HandshakeError{{"INVALID_REQUEST", "protocol mismatch", d, std::nullopt, std::nullopt},
                              1002,
                              "protocol mismatch"};
    }
    return c;
}

HandshakeError notConnectFirst() {
    const std::string msg = "invalid handshake: first request must be connect";
    return {{"INVALID_REQUEST", msg, json::Var(), std::nullopt, std::nullopt}, 1008, msg};
}

HandshakeError originNotAllowed() {
    const std::string msg = "origin not allowed (open the Control UI from the gateway host or allow it in "
                            "gateway.controlUi.allowedOrigins)";
    json::ObjectPtr d = json::makeObject();
    d->set("code", std::string("CONTROL_UI_ORIGIN_NOT_ALLOWED"));
    d->set("reason", std::string("origin not allowed"));
    return {{"INVALID_REQUEST", msg, d, std::nullopt, std::nullopt}, 1008, truncateCloseReason(msg)};
}

bool originAllowed(const std::string& origin, const std::vector<std::string>& allowed, int port) {
    if (contains(allowed, origin)) return true;
    const std::string p = std::to_string(port);
    for (const char* scheme : {"http://", "https://"})
        for (const char* host : {"localhost", "127.0.0.1", "[::1]"})
            if (origin == std::string(scheme) + host + ":" + p) return true;
    return false;
}

} // namespace openclaw::protocol
