// A connect carrying a device identity, built by hand from this socket's challenge (each field can be made
// wrong on purpose), for the devices plugin's tests.
#pragma once

#include "DeviceKey.h"
#include "Process.h"
#include "Wire.h"

#include "client/GatewayClient.h"
#include "client/GatewayError.h"
#include "client/WsConnection.h"

#include <memory>

namespace openclaw::test {

/// The answer to a connect, what followed a refusal, and the socket (still open after a hello-ok).
struct Answer {
    json::ObjectPtr frame;
    Next after;
    std::shared_ptr<client::WsConnection> ws;

    bool ok() const { return frame && json::getBool(frame, "ok").value_or(false); }
    json::ObjectPtr error() const { return json::getObject(frame, "error"); }
    json::ObjectPtr details() const { return json::getObject(error(), "details"); }
    /// hello-ok's auth object.
    json::ObjectPtr auth() const { return json::getObject(json::getObject(frame, "payload"), "auth"); }
};

/// How a test shapes the connect (all fields correct by default).
struct DeviceShape {
    std::string token = "T0k3n"; ///< auth.token ("" = absent)
    std::string deviceToken;     ///< auth.deviceToken ("" = absent)
    std::string role = "operator";
    std::string scopes = R"(["operator.read"])";
    std::string clientId = "cli", clientMode = "cli", displayName;
    std::string platform = "linux", deviceFamily = "Linux";
    long long skewMs = 0;      ///< signedAt = challenge ts + this
    std::string nonce;         ///< "" = the challenge's
    bool blankNonce = false;   ///< send "  " as the nonce
    bool otherId = false;      ///< a device id that is not the key's
    bool badSignature = false; ///< sign another payload
    bool withDevice = true;
    std::string extra; ///< more connect params, as `,"commands":[…]`

    /// A node host's shape (role node, no scopes, client node-host/node).
    static DeviceShape node() {
        DeviceShape s;
        s.role = "node";
        s.scopes = "[]";
        s.clientId = "node-host";
        s.clientMode = "node";
        s.displayName = "Test Node";
        return s;
    }
};

inline std::string authMember(const DeviceShape& s) {
    std::string fields;
    if (!s.token.empty()) fields += R"("token":")" + s.token + "\"";
    if (!s.deviceToken.empty())
        fields += std::string(fields.empty() ? "" : ",") + R"("deviceToken":")" + s.deviceToken + "\"";
    return R"(,"auth":{)" + fields + "}";
}

inline Answer connectWithDevice(const GatewayUnderTest& gw, const DeviceKey& key, const DeviceShape& s) {
    auto ws = std::make_shared<client::WsConnection>();
    const Challenge ch = openForChallenge(*ws, gw.url());
    devices::DeviceClaim claim{s.otherId ? std::string(64, 'a') : key.deviceId(), key.publicKey(), "",
                               ch.ts + s.skewMs,
                               s.blankNonce      ? "  "
                               : s.nonce.empty() ? ch.nonce
                                                 : s.nonce};
    devices::SignedContext ctx;
    ctx.challengeNonce = ch.nonce;
    ctx.clientId = s.clientId;
    ctx.clientMode = s.clientMode;
    ctx.role = s.role;
    const json::ArrayPtr scopes = json::asArray(json::parse(s.scopes)); // kept: the loop reads through it
    for (const auto& v : *scopes)
        ctx.scopes.push_back(v.toString());
    ctx.token = s.token.empty() ? s.deviceToken : s.token;
    ctx.platform = s.platform;
    ctx.deviceFamily = s.deviceFamily;
    claim.signature = key.sign(devices::payloadV3(claim, ctx) + (s.badSignature ? "x" : ""));
    const std::string name = s.displayName.empty() ? "" : R"(,"displayName":")" + s.displayName + "\"";
    ws->send(
        protocol::WsOpcode::Text,
        R"({"type":"req","id":"c1","method":"connect","params":{"minProtocol":4,"maxProtocol":4,"client":{"id":")" +
            s.clientId + R"(","version":"1.0.0","platform":")" + s.platform + R"(","deviceFamily":")" +
            s.deviceFamily + R"(","mode":")" + s.clientMode + "\"" + name + R"(},"role":")" + s.role +
            R"(","scopes":)" + s.scopes + authMember(s) + s.extra +
            (s.withDevice ? DeviceKey::memberOf(claim) : "") + "}}");
    Answer a;
    a.frame = nextFrom(*ws).frame;
    if (a.frame && !a.ok()) a.after = nextFrom(*ws);
    a.ws = ws;
    return a;
}

/// The next frame on `ws` that is the event `name` (others skipped), or null within timeoutMs.
inline json::ObjectPtr nextEventOn(client::WsConnection& ws, const std::string& name, int timeoutMs = 10000) {
    for (;;) {
        Next n = nextFrom(ws, timeoutMs);
        if (!n.frame) return nullptr;
        if (json::getString(n.frame, "type") == "event" && json::getString(n.frame, "event") == name)
            return n.frame;
    }
}

/// The response to request `id` on `ws` (events skipped), or null within timeoutMs.
inline json::ObjectPtr responseOn(client::WsConnection& ws, const std::string& id, int timeoutMs = 10000) {
    for (;;) {
        Next n = nextFrom(ws, timeoutMs);
        if (!n.frame) return nullptr;
        if (json::getString(n.frame, "type") == "res" && json::getString(n.frame, "id") == id) return n.frame;
    }
}

/// Sends a request frame on `ws` and returns its response.
inline json::ObjectPtr request(client::WsConnection& ws, const std::string& id, const std::string& method,
                               const std::string& params) {
    ws.send(protocol::WsOpcode::Text,
            R"({"type":"req","id":")" + id + R"(","method":")" + method + R"(","params":)" + params + "}");
    return responseOn(ws, id);
}

/// An operator with the shared token "T0k3n" and these scopes, connected.
inline std::unique_ptr<client::GatewayClient> operatorWith(const GatewayUnderTest& gw,
                                                           std::vector<std::string> scopes) {
    client::ClientOptions o;
    o.url = gw.url();
    o.token = "T0k3n";
    o.scopes = std::move(scopes);
    o.timeoutMs = 15000;
    auto c = std::make_unique<client::GatewayClient>(o);
    c->connect();
    return c;
}

/// The error a call answers (code, message), or ("", "") when it succeeds.
inline std::pair<std::string, std::string> failureOf(client::GatewayClient& c, const std::string& method,
                                                     const std::string& params) {
    try {
        c.call(method, json::parse(params));
    } catch (const client::GatewayError& e) {
        return {e.rpc.code, e.rpc.message};
    }
    return {"", ""};
}

} // namespace openclaw::test
