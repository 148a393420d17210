// Pure protocol layer: frames, connect validation with the reference's messages and close codes,
// scopes, hello-ok shape, WebSocket framing.
#include "protocol/Connect.h"
#include "protocol/Frames.h"
#include "protocol/HelloOk.h"
#include "protocol/HttpHead.h"
#include "protocol/RandomId.h"
#include "protocol/Scopes.h"
#include "protocol/WsCodec.h"
#include "json/RawJson.h"

#include <gtest/gtest.h>

#include <set>

using namespace openclaw;
using namespace openclaw::protocol;

namespace {
HandshakeError refusal(const std::string& paramsJson) {
    auto r = parseConnect(json::parse(paramsJson));
    if (!std::holds_alternative<HandshakeError>(r)) throw std::runtime_error("accepted: " + paramsJson);
    return std::get<HandshakeError>(r);
}
const std::string kClient = R"("client":{"id":"cli","version":"1","platform":"linux","mode":"cli"})";
} // namespace

TEST(Frames, ParsesRequestsAndNamesWhatIsMissing) {
    auto ok = parseFrame(R"({"type":"req","id":"r1","method":"health"})");
    EXPECT_EQ(ok.kind, ParsedFrame::Kind::Request);
    EXPECT_EQ(ok.request.method, "health");
    EXPECT_FALSE(ok.request.hasParams());
    EXPECT_TRUE(ok.request.params().isEmpty());
    auto noMethod = parseFrame(R"({"type":"req","id":"r3"})");
    EXPECT_EQ(noMethod.kind, ParsedFrame::Kind::InvalidFrame);
    EXPECT_EQ(noMethod.id, "r3");
    EXPECT_EQ(noMethod.error, "invalid request frame: must have required property 'method'");
    EXPECT_EQ(parseFrame("{not json").kind, ParsedFrame::Kind::NotJson);
    EXPECT_EQ(parseFrame("[1,2]").kind, ParsedFrame::Kind::NotJson);
    EXPECT_EQ(parseFrame(R"({"type":"event","event":"x"})").kind, ParsedFrame::Kind::Other);
}

TEST(Frames, KeepParamsAsTheClientWroteThem) {
    auto f = parseFrame(
        R"({"type":"req","id":"r1","method":"echo","params": {"b": [1, 2.5e3, "\u00e9"], "a":null} })");
    ASSERT_EQ(f.kind, ParsedFrame::Kind::Request);
    EXPECT_EQ(f.request.paramsJson, R"({"b": [1, 2.5e3, "\u00e9"], "a":null})");
    EXPECT_EQ(json::stringify(f.request.params()), R"({"b":[1,2500,"é"],"a":null})");
    auto seven = parseFrame(R"({"type":"req","id":"r","method":"m","params":  7 })");
    EXPECT_EQ(seven.request.paramsJson, "7");
    EXPECT_EQ(seven.request.params().convert<int>(), 7);
    EXPECT_EQ(parseFrame(R"({"type":"req","id":"r","method":"m","params":"x"})").request.params().toString(),
              "x");
    EXPECT_EQ(parseFrame(R"({"type":"req","id":"r","method":"m","params":"x"})").request.paramsJson,
              R"("x")");
    EXPECT_EQ(parseFrame(R"({"type":"req","id":"r","method":"m","params":{}})").request.params().toString(),
              json::Var(json::makeObject()).toString());
}

TEST(Frames, TheLastOfARepeatedMemberWinsAndEscapedNamesCount) {
    auto f =
        parseFrame(R"({"type":"req","id":"a","id":"b","method":5,"method":"m\u0031","t\u0079pe":"req"})");
    ASSERT_EQ(f.kind, ParsedFrame::Kind::Request);
    EXPECT_EQ(f.id, "b");
    EXPECT_EQ(f.request.method, "m1");
    auto g = parseFrame(R"({"type":"req","id":"a","id":7,"method":"m"})");
    EXPECT_EQ(g.kind, ParsedFrame::Kind::InvalidFrame);
    EXPECT_EQ(g.error, "invalid request frame: at /id: must be string");
    EXPECT_EQ(g.id, "");
}

TEST(Frames, RefuseWhatIsNotOneValidJsonObjectAnywhereInIt) {
    // Broken JSON inside params, or after the object, is caught although the envelope itself reads fine.
    for (const char* bad :
         {R"({"type":"req","id":"r","method":"m","params":[1,,2]})",
          R"({"type":"req","id":"r","method":"m","params":{"a":01}})",
          R"({"type":"req","id":"r","method":"m","params":{"a":1e400}})",
          R"({"type":"req","id":"r","method":"m","params":{"a":"\q"}})",
          R"({"type":"req","id":"r","method":"m","params":{"a":"\ud800"}})",
          R"({"type":"req","id":"r","method":"m","params":nul})", R"({"type":"req","id":"r","method":"m"} x)",
          R"({"type":"req","id":"r","method":"m"}{})", "{\"type\":\"req\",\"id\":\"\xff\",\"method\":\"m\"}",
          "{\"type\":\"req\",\"id\":\"a\tb\",\"method\":\"m\"}", "", "   ", "null", "\"x\""})
        EXPECT_EQ(parseFrame(bad).kind, ParsedFrame::Kind::NotJson) << bad;
}

TEST(Frames, NestAsDeeplyAsJsonParseAndNoDeeper) {
    auto nested = [](int arrays) {
        return R"({"type":"req","id":"r","method":"m","params":)" + std::string(arrays, '[') +
               std::string(arrays, ']') + "}";
    };
    EXPECT_EQ(parseFrame(nested(127)).kind, ParsedFrame::Kind::Request);
    EXPECT_NO_THROW(json::parse(nested(127)));
    EXPECT_EQ(parseFrame(nested(128)).kind, ParsedFrame::Kind::NotJson);
    EXPECT_THROW(json::parse(nested(128)), std::invalid_argument);
}

TEST(Frames, EncodesLikeTheReference) {
    EXPECT_EQ(encodeOk("a", json::Var(true)), R"({"type":"res","id":"a","ok":true,"payload":true})");
    EXPECT_EQ(encodeEvent("tick", json::Var(), 3),
              R"({"type":"event","event":"tick","payload":null,"seq":3})");
    RpcError e{"FORBIDDEN", "missing scope: operator.read", json::Var(), std::nullopt, std::nullopt};
    EXPECT_EQ(
        encodeError("b", e),
        R"({"type":"res","id":"b","ok":false,"error":{"code":"FORBIDDEN","message":"missing scope: operator.read"}})");
    EXPECT_EQ(truncateCloseReason(std::string(200, 'x')).size(), 123u);
    // Never cut inside a UTF-8 sequence.
    std::string accents;
    for (int i = 0; i < 80; ++i)
        accents += "\xC3\xA9";
    std::string cut = truncateCloseReason(accents);
    EXPECT_LE(cut.size(), 123u);
    EXPECT_EQ(cut.size() % 2, 0u);
}

TEST(Frames, AnEventRenderedOnceGivesEachSessionItsOwnSeq) {
    const EventFrame health("health", R"({"ok":true})", R"({"presence":1,"health":2})");
    std::string first, second;
    health.appendTo(first, 7);
    health.appendTo(second, 8);
    EXPECT_EQ(
        first,
        R"({"type":"event","event":"health","payload":{"ok":true},"seq":7,"stateVersion":{"presence":1,"health":2}})");
    EXPECT_EQ(
        second,
        R"({"type":"event","event":"health","payload":{"ok":true},"seq":8,"stateVersion":{"presence":1,"health":2}})");
    std::string noSeq;
    EventFrame("node.invoke.request", "{}").appendTo(noSeq, std::nullopt);
    EXPECT_EQ(noSeq, R"({"type":"event","event":"node.invoke.request","payload":{}})");
}

TEST(RandomId, IsAVersion4UuidAndNeverRepeats) {
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
        const std::string id = randomUuid();
        ASSERT_EQ(id.size(), 36u) << id;
        for (size_t dash : {8u, 13u, 18u, 23u})
            EXPECT_EQ(id[dash], '-') << id;
        EXPECT_EQ(id[14], '4') << "version 4: " << id;
        EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << "RFC 4122 variant: " << id;
        EXPECT_EQ(id.find_first_not_of("0123456789abcdef-"), std::string::npos) << id;
        EXPECT_TRUE(seen.insert(id).second) << "repeated: " << id;
    }
}

TEST(Connect, AcceptsTheReferenceCliConnect) {
    auto r =
        parseConnect(json::parse(R"({"minProtocol":3,"maxProtocol":4,"client":{"id":"cli","version":"dev",
        "platform":"linux","deviceFamily":"Linux","mode":"probe","instanceId":"i"},"caps":[],"auth":{"token":"T"},
        "role":"operator","scopes":["operator.read"]})"));
    ASSERT_TRUE(std::holds_alternative<ConnectParams>(r));
    const auto& c = std::get<ConnectParams>(r);
    EXPECT_EQ(c.client.mode, "probe");
    EXPECT_EQ(c.scopes, std::vector<std::string>{"operator.read"});
}

TEST(Connect, ANodeDeclaresCommandsAndPermissions) {
    auto r = parseConnect(
        json::parse(R"({"minProtocol":4,"maxProtocol":4,)" + kClient +
                    R"(,"role":"node","commands":["system.run"],"permissions":{"camera":true}})"));
    ASSERT_TRUE(std::holds_alternative<ConnectParams>(r));
    const auto& c = std::get<ConnectParams>(r);
    EXPECT_EQ(c.commands, std::vector<std::string>{"system.run"});
    ASSERT_EQ(c.permissions.size(), 1u);
    EXPECT_EQ(c.permissions[0], std::make_pair(std::string("camera"), true));
    EXPECT_EQ(
        refusal(R"({"minProtocol":4,"maxProtocol":4,)" + kClient + R"(,"permissions":{"camera":"yes"}})")
            .error.message,
        "invalid connect params: at /permissions/camera: must be boolean");
    EXPECT_EQ(refusal(R"({"minProtocol":4,"maxProtocol":4,)" + kClient + R"(,"commands":"system.run"})")
                  .error.message,
              "invalid connect params: at /commands: must be array");
}

TEST(Connect, TheDeviceObjectIsClosedAndComplete) {
    const std::string head = R"({"minProtocol":4,"maxProtocol":4,)" + kClient + R"(,"device":)";
    EXPECT_EQ(refusal(head + R"({"id":"a","publicKey":"k","signature":"s","signedAt":1}})").error.message,
              "invalid connect params: at /device: must have required property 'nonce'");
    EXPECT_EQ(refusal(head + R"({"id":"a","publicKey":"k","signature":"s","signedAt":1,"nonce":"n","x":1}})")
                  .error.message,
              "invalid connect params: at /device: must NOT have additional properties");
    EXPECT_EQ(refusal(head + R"({"id":"a","publicKey":"k","signature":"s","signedAt":"1","nonce":"n"}})")
                  .error.message,
              "invalid connect params: at /device/signedAt: must be integer");
    EXPECT_EQ(refusal(head + R"({"id":"","publicKey":"k","signature":"s","signedAt":1,"nonce":"n"}})")
                  .error.message,
              "invalid connect params: at /device/id: must NOT have fewer than 1 characters");
    auto ok = parseConnect(
        json::parse(head + R"({"id":"a","publicKey":"k","signature":"s","signedAt":1,"nonce":""}})"));
    ASSERT_TRUE(std::holds_alternative<ConnectParams>(ok))
        << "an empty nonce is the devices plugin's refusal";
    EXPECT_TRUE(std::get<ConnectParams>(ok).hasDevice);
}

TEST(Connect, RefusalsMatchTheRecordedTranscripts) {
    auto missing = refusal(R"({"minProtocol":4,"maxProtocol":4})");
    EXPECT_EQ(missing.error.message, "invalid connect params: must have required property 'client'");
    EXPECT_EQ(missing.closeCode, 1008);
    EXPECT_EQ(missing.closeReason, missing.error.message);

    auto badId =
        refusal(R"({"minProtocol":4,"maxProtocol":4,"client":{"id":"my-custom-client","version":"0.0.1",
        "platform":"linux","mode":"cli"}})");
    EXPECT_EQ(badId.error.message,
              "invalid connect params: at /client/id: must be equal to one of the allowed values");

    auto high = refusal(R"({"minProtocol":99,"maxProtocol":99,)" + kClient + "}");
    EXPECT_EQ(high.error.code, "INVALID_REQUEST");
    EXPECT_EQ(high.error.message, "protocol mismatch");
    EXPECT_EQ(high.closeCode, 1002);
    EXPECT_EQ(
        json::stringify(high.error.details),
        R"({"code":"PROTOCOL_MISMATCH","clientMinProtocol":99,"clientMaxProtocol":99,"expectedProtocol":4,"minimumProbeProtocol":3})");
    EXPECT_EQ(refusal(R"({"minProtocol":1,"maxProtocol":2,)" + kClient + "}").closeCode, 1002);
    EXPECT_EQ(refusal(R"({"minProtocol":"4","maxProtocol":4,)" + kClient + "}").error.message,
              "invalid connect params: at /minProtocol: must be integer");
    EXPECT_EQ(
        refusal(R"({"minProtocol":4,"maxProtocol":4,)" + kClient + R"(,"auth":{"token":5}})").error.message,
        "invalid connect params: at /auth/token: must be string");
    EXPECT_EQ(notConnectFirst().error.message, "invalid handshake: first request must be connect");
    EXPECT_EQ(originNotAllowed().error.toJson()->getObject("details")->getValue<std::string>("code"),
              "CONTROL_UI_ORIGIN_NOT_ALLOWED");
}

TEST(Connect, OriginRules) {
    EXPECT_TRUE(originAllowed("http://127.0.0.1:18800", {}, 18800));
    EXPECT_TRUE(originAllowed("http://localhost:18800", {}, 18800));
    EXPECT_FALSE(originAllowed("http://evil.example", {}, 18800));
    EXPECT_FALSE(originAllowed("http://127.0.0.1:9999", {}, 18800));
    EXPECT_TRUE(originAllowed("https://ui.example", {"https://ui.example"}, 18800));
}

TEST(Scopes, GrantsAndChecks) {
    EXPECT_TRUE(grantScopes({"operator.read"}, "probe").empty());
    EXPECT_EQ(grantScopes({"operator.read", "bogus", "operator.read"}, "cli"),
              std::vector<std::string>{"operator.read"});
    EXPECT_TRUE(hasScope({}, ""));
    EXPECT_FALSE(hasScope({}, "operator.read"));
    EXPECT_TRUE(hasScope({"operator.admin"}, "operator.pairing"));
    EXPECT_TRUE(hasScope({"operator.write"}, "operator.read"));
    EXPECT_FALSE(hasScope({"operator.read"}, "operator.admin"));
}

TEST(HelloOk, HasEveryRequiredKey) {
    HelloInfo info;
    info.version = "2026.9.6";
    info.connId = "c";
    info.bootId = "b";
    const std::vector<std::string> methods = {"health"};
    const std::vector<std::string> events = {"tick"};
    info.methods = &methods;
    info.events = &events;
    info.authMethod = "token";
    info.role = "operator";
    info.scopes = {"operator.read"};
    const std::string text = renderHelloOk(info);
    json::ObjectPtr h = json::asObject(json::parse(text));
    ASSERT_TRUE(h) << text;
    std::vector<std::string> keys;
    for (const auto& k : h->getNames())
        keys.push_back(k);
    EXPECT_EQ(keys, (std::vector<std::string>{"type", "protocol", "server", "features", "snapshot", "auth",
                                              "policy"}))
        << "the reference's key order: " << text;
    EXPECT_EQ(json::getString(h, "type"), "hello-ok");
    EXPECT_EQ(json::getInt(h, "protocol"), 4);
    EXPECT_EQ(json::stringify(json::getObject(h, "features")),
              R"({"methods":["health"],"events":["tick"],"capabilities":[]})");
    // The features rendered once per registry give the same frame.
    const std::string features = renderFeatures(methods, events);
    info.featuresJson = &features;
    EXPECT_EQ(renderHelloOk(info), text);
    EXPECT_EQ(json::getInt(json::getObject(h, "policy"), "maxPayload"), 26214400);
    EXPECT_EQ(json::getInt(json::getObject(h, "policy"), "tickIntervalMs"), 30000);
    EXPECT_EQ(json::stringify(json::getObject(json::getObject(h, "snapshot"), "stateVersion")),
              R"({"presence":1,"health":1})");
}

TEST(HelloOk, SplicesPresenceAndHealthTextInTheReferencesOrder) {
    HelloInfo info;
    info.version = "2026.9.6";
    info.connId = "c\"1";
    info.authMethod = "device-token";
    info.role = "node";
    info.scopes = {"operator.read", "operator.write"};
    info.deviceToken = "tok";
    info.deviceTokenIssuedAtMs = 1795645328088;
    info.presenceJson = std::make_shared<const std::string>(R"([{"host":"vm","ts":1}])");
    info.healthJson = std::make_shared<const std::string>(R"({"ok":true,"n":[1, 2]})");
    info.presenceVersion = 3;
    info.healthVersion = 7;
    info.uptimeMs = 42;
    const std::string text = renderHelloOk(info);
    EXPECT_NE(text.find(R"("snapshot":{"suspension":{"phase":"accepting"},"presence":[{"host":"vm","ts":1}],)"
                        R"("health":{"ok":true,"n":[1, 2]},"stateVersion":{"presence":3,"health":7},)"
                        R"("uptimeMs":42})"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find(R"("server":{"version":"2026.9.6","buildId":"","bootId":"","connId":"c\"1"})"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find(R"("auth":{"method":"device-token","role":"node","scopes":["operator.read",)"
                        R"("operator.write"],"deviceToken":"tok","issuedAtMs":1795645328088})"),
              std::string::npos)
        << text;
    EXPECT_TRUE(json::isValid(text)) << text;
    info.presenceJson = nullptr;
    info.healthJson = nullptr;
    json::ObjectPtr snapshot = json::getObject(json::asObject(json::parse(renderHelloOk(info))), "snapshot");
    EXPECT_EQ(json::stringify(json::getArray(snapshot, "presence")), "[]");
    EXPECT_EQ(json::stringify(json::getObject(snapshot, "health")), "{}");
}

TEST(WsCodec, RoundTripsMaskedAndLargeFramesFedByteByByte) {
    for (size_t size : {0u, 5u, 125u, 126u, 65535u, 65536u, 200000u}) {
        std::string payload(size, 'a');
        for (size_t i = 0; i < size; ++i)
            payload[i] = static_cast<char>('a' + i % 26);
        std::string wire = encodeWsFrame(WsOpcode::Text, payload, 0x12345678u);
        WsDecoder d(1 << 20);
        std::optional<WsFrame> f;
        for (char c : wire) {
            EXPECT_FALSE(f.has_value());
            d.feed(&c, 1);
            if (!f) f = d.next();
        }
        ASSERT_TRUE(f.has_value()) << size;
        EXPECT_EQ(f->payload, payload);
        EXPECT_EQ(f->opcode, WsOpcode::Text);
    }
}

TEST(WsCodec, DecodesManyPipelinedFramesFromOneReadAndAFrameSplitAcrossReads) {
    // 64 requests in one write, as a pipelining client sends them, the last one cut in two reads.
    std::string wire;
    for (int i = 0; i < 64; ++i)
        wire += encodeWsFrame(WsOpcode::Text, "{\"id\":\"" + std::to_string(i) + "\"}", 0x01020304u);
    WsDecoder d(1 << 20);
    d.feed(wire.data(), wire.size() - 3);
    for (int i = 0; i < 63; ++i) {
        auto f = d.next();
        ASSERT_TRUE(f) << i;
        EXPECT_EQ(f->payload, "{\"id\":\"" + std::to_string(i) + "\"}");
    }
    EXPECT_FALSE(d.next()) << "the last frame is not whole yet";
    d.feed(wire.data() + wire.size() - 3, 3);
    auto last = d.next();
    ASSERT_TRUE(last);
    EXPECT_EQ(last->payload, "{\"id\":\"63\"}");
    EXPECT_FALSE(d.next());
    EXPECT_TRUE(d.error().empty());
}

TEST(WsCodec, ReleasesItsBufferOnlyOnceEveryByteIsDecoded) {
    const std::string connect = encodeWsFrame(WsOpcode::Text, std::string(900, 'c'), 0x01020304u);
    const std::string next = encodeWsFrame(WsOpcode::Text, "{\"id\":\"1\"}", 0x01020304u);
    WsDecoder d(1 << 20);
    std::string wire = connect + next;
    d.feed(wire.data(), wire.size() - 2);
    ASSERT_TRUE(d.next());
    EXPECT_FALSE(d.releaseIfDrained()) << "the second frame is partly here";
    d.feed(wire.data() + wire.size() - 2, 2);
    auto f = d.next();
    ASSERT_TRUE(f);
    EXPECT_EQ(f->payload, "{\"id\":\"1\"}");
    EXPECT_TRUE(d.releaseIfDrained());
    d.feed(next.data(), next.size()); // decodes as before after the release
    auto again = d.next();
    ASSERT_TRUE(again);
    EXPECT_EQ(again->payload, "{\"id\":\"1\"}");
}

TEST(WsCodec, RefusesOversizedReservedAndBadControlFrames) {
    WsDecoder big(10);
    std::string wire = encodeWsFrame(WsOpcode::Text, std::string(11, 'x'));
    big.feed(wire.data(), wire.size());
    EXPECT_FALSE(big.next());
    EXPECT_TRUE(big.tooBig());
    WsDecoder rsv(100);
    std::string r("\xC1\x00", 2);
    rsv.feed(r.data(), r.size());
    EXPECT_FALSE(rsv.next());
    EXPECT_NE(rsv.error().find("reserved"), std::string::npos);
    WsDecoder ctl(1000);
    std::string c = encodeWsFrame(WsOpcode::Ping, std::string(126, 'p'));
    ctl.feed(c.data(), c.size());
    EXPECT_FALSE(ctl.next());
    EXPECT_EQ(ctl.error(), "invalid control frame");
}

TEST(WsCodec, AcceptKeyFromRfc6455) {
    EXPECT_EQ(wsAcceptKey("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    EXPECT_EQ(encodeClosePayload(1008, "x"), std::string("\x03\xF0x", 3));
}

TEST(HttpHead, ReadsTheUpgradeAndTheRoutes) {
    protocol::HttpHead up = protocol::parseHttpHead(
        "GET /?a=1 HTTP/1.1\r\nHost: x\r\nUpgrade: WebSocket\r\nConnection: keep-alive, Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        "Origin: http://127.0.0.1:1\r\nSec-WebSocket-Protocol: chat , superchat\r\n\r\n");
    ASSERT_TRUE(up.ok) << up.error;
    EXPECT_EQ(up.method, "GET");
    EXPECT_EQ(up.path, "/");
    EXPECT_TRUE(up.upgradeWebSocket);
    EXPECT_TRUE(up.connectionUpgrade);
    EXPECT_EQ(up.wsVersion, "13");
    EXPECT_EQ(protocol::wsAcceptKey(up.wsKey), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="); // RFC 6455 §1.3
    EXPECT_EQ(up.origin, "http://127.0.0.1:1");
    EXPECT_EQ(up.firstSubprotocol, "chat");
    protocol::HttpHead ready = protocol::parseHttpHead("GET /readyz?x=1 HTTP/1.0\r\n\r\n");
    ASSERT_TRUE(ready.ok);
    EXPECT_EQ(ready.path, "/readyz");
    EXPECT_FALSE(ready.keepAlive); // HTTP/1.0 without keep-alive
    EXPECT_FALSE(ready.upgradeWebSocket);
    protocol::HttpHead bad = protocol::parseHttpHead("NOT HTTP AT ALL\r\n\r\n");
    EXPECT_FALSE(bad.ok);
    EXPECT_FALSE(bad.error.empty());
}
