// After hello-ok: requests, scopes, odd frames, events with seq, plugin methods and events.
#include "Process.h"
#include "Wire.h"

#include "client/GatewayClient.h"
#include "protocol/Scopes.h"

#include <gtest/gtest.h>

#include <chrono>

using namespace openclaw;
using namespace openclaw::test;

namespace {

std::string pluginConfig() {
    return std::string(R"({ gateway: { mode: 'local', auth: { token: 'T0k3n' } },
        plugins: { load: { paths: [')") +
           OPENCLAW_TEST_PLUGIN_DIR +
           R"(/test-good'] }, entries: { 'test-good': { config: { greeting: 'hello' } } } } })";
}

class Session : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { gw_.start(pluginConfig(), {}, {{"OPENCLAW_TICK_INTERVAL_MS", "200"}}); }
    void SetUp() override { ASSERT_TRUE(gw_.require()); }
    static void TearDownTestSuite() { gw_.stop(); }
    static client::ClientOptions opts(std::vector<std::string> scopes = {"operator.read"},
                                      std::string mode = "cli") {
        client::ClientOptions o{gw_->url(), std::string("T0k3n")};
        o.scopes = std::move(scopes);
        o.clientMode = std::move(mode);
        return o;
    }
    static SharedGateway gw_;
};
SharedGateway Session::gw_;

json::ObjectPtr errorOf(client::GatewayClient& c, const std::string& method,
                        const json::Var& params = json::Var()) {
    try {
        c.call(method, params);
    } catch (const client::GatewayError& e) {
        return e.rpc.toJson();
    }
    return nullptr;
}

} // namespace

TEST_F(Session, BuiltinMethodsAnswer) {
    client::GatewayClient c(opts());
    c.connect();
    json::ObjectPtr health = json::asObject(c.call("health"));
    EXPECT_EQ(json::getBool(health, "ok"), true);
    std::string loaded = json::stringify(json::getObject(health, "plugins")->get("loaded"));
    EXPECT_NE(loaded.find("auth-token"), std::string::npos);
    EXPECT_NE(loaded.find("test-good"), std::string::npos);
    json::ObjectPtr status = json::asObject(c.call("status", json::makeObject()));
    EXPECT_EQ(json::getString(status, "runtimeVersion"), "2026.9.6");
    EXPECT_EQ(json::getInt(json::getObject(status, "gateway"), "port"), gw_->port());
    json::ArrayPtr presence = json::asArray(c.call("system-presence"));
    ASSERT_TRUE(presence);
    EXPECT_EQ(json::getString(json::asObject(presence->get(0)), "reason"), "self");
    json::ObjectPtr cfg = json::asObject(c.call("config.get", json::makeObject()));
    std::string text = json::stringify(cfg);
    EXPECT_EQ(text.find("T0k3n"), std::string::npos) << "config.get leaked the token";
    EXPECT_NE(text.find("__OPENCLAW_REDACTED__"), std::string::npos);
    EXPECT_EQ(json::getBool(cfg, "exists"), true);
}

TEST_F(Session, LogsTailAcceptsTheSeedExampleSinceMs) {
    client::GatewayClient c(opts());
    c.connect();
    json::ObjectPtr tail = json::asObject(c.call("logs.tail", json::parse(R"({"sinceMs":60000})")));
    json::ArrayPtr lines = json::getArray(tail, "lines");
    ASSERT_TRUE(lines);
    ASSERT_GT(lines->size(), 0u);
    // Each line is one JSON record of the gateway's own log.
    json::ObjectPtr rec = json::asObject(json::parse(lines->get(0).convert<std::string>()));
    EXPECT_TRUE(json::getString(rec, "subsystem").has_value());
    json::ObjectPtr limited = json::asObject(c.call("logs.tail", json::parse(R"({"limit":2})")));
    EXPECT_EQ(json::getArray(limited, "lines")->size(), 2u); // the log has far more than two
    json::ObjectPtr err = errorOf(c, "logs.tail", json::parse(R"({"bogus":1})"));
    ASSERT_TRUE(err);
    EXPECT_EQ(json::getString(err, "message"),
              "invalid logs.tail params: at root: unexpected property 'bogus'");
}

TEST_F(Session, ScopesAreEnforcedPerMethod) {
    client::GatewayClient probe(opts({"operator.read"}, "probe"));
    json::ObjectPtr hello = probe.connect();
    EXPECT_EQ(json::stringify(json::getObject(hello, "auth")->get("scopes")), "[]");
    EXPECT_NO_THROW(probe.call("health")); // health needs no scope
    json::ObjectPtr err = errorOf(probe, "status");
    ASSERT_TRUE(err);
    EXPECT_EQ(json::getString(err, "code"), "FORBIDDEN");
    EXPECT_EQ(
        json::stringify(err->get("details")),
        R"({"code":"MISSING_SCOPE","missingScope":"operator.read","requiredScopes":["operator.read"]})");
    client::GatewayClient reader(opts());
    reader.connect();
    json::ObjectPtr again = errorOf(reader, "connect", json::makeObject());
    ASSERT_TRUE(again);
    EXPECT_EQ(json::getString(again, "message"), "missing scope: operator.admin");
    json::ObjectPtr unknown = errorOf(reader, "no.such.method");
    EXPECT_EQ(json::getString(unknown, "message"), "unknown method: no.such.method");
}

TEST_F(Session, InvalidFramesAfterHelloAreAnsweredOrIgnored) {
    client::WsConnection ws;
    openPastChallenge(ws, gw_->url());
    ws.send(protocol::WsOpcode::Text, connectFrame(R"({"token":"T0k3n"})"));
    ASSERT_EQ(json::getBool(nextFrom(ws).frame, "ok"), true);
    ws.send(protocol::WsOpcode::Text, "{not json");                   // ignored
    ws.send(protocol::WsOpcode::Text, R"({"type":"req","id":"r3"})"); // answered
    ws.send(protocol::WsOpcode::Text, R"({"type":"req","id":"r4","method":"health"})");
    bool sawR3 = false;
    bool sawR4 = false;
    for (int i = 0; i < 20 && !(sawR3 && sawR4); ++i) {
        Next n = nextFrom(ws);
        ASSERT_TRUE(n.frame) << "closed " << n.closeCode;
        std::string id = json::getString(n.frame, "id").value_or("");
        if (id == "r3") {
            sawR3 = true;
            EXPECT_EQ(json::getString(json::getObject(n.frame, "error"), "message"),
                      "invalid request frame: must have required property 'method'");
        }
        if (id == "r4") sawR4 = json::getBool(n.frame, "ok").value_or(false);
    }
    EXPECT_TRUE(sawR3);
    EXPECT_TRUE(sawR4);
}

// Params reach a plugin as the client wrote them, and what the plugin answers or emits goes into the frames
// as it wrote it: no tree is built on the way (#27), any JSON value is a payload.
TEST_F(Session, PluginParamsResultsAndEventsTravelAsTheirJsonText) {
    client::WsConnection ws;
    openPastChallenge(ws, gw_->url());
    ws.send(protocol::WsOpcode::Text, connectFrame(R"({"token":"T0k3n"})"));
    ASSERT_EQ(json::getBool(nextFrom(ws).frame, "ok"), true);
    const std::string params = R"({ "n" : [1, 2.50], "s":"\u00e9" })";
    ws.send(protocol::WsOpcode::Text,
            R"({"type":"req","id":"e1","method":"test.emit","params": )" + params + " }");
    ws.send(protocol::WsOpcode::Text, R"({"type":"req","id":"e2","method":"test.emit","params":42})");
    std::vector<std::string> wanted = {R"({"type":"event","event":"test.event","payload":)" + params,
                                       R"({"type":"res","id":"e1","ok":true,"payload":{"emitted":true}})",
                                       R"({"type":"event","event":"test.event","payload":42)",
                                       R"({"type":"res","id":"e2","ok":true,"payload":{"emitted":true}})"};
    std::string seen;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!wanted.empty()) {
        std::optional<protocol::WsFrame> f = ws.receive(deadline);
        ASSERT_TRUE(f && f->opcode == protocol::WsOpcode::Text)
            << "still waiting for " << wanted.front() << "; seen:\n"
            << seen;
        seen += f->payload + "\n";
        // The answer and the event travel apart: either may come first.
        for (auto it = wanted.begin(); it != wanted.end(); ++it)
            if (f->payload.rfind(*it, 0) == 0) {
                wanted.erase(it);
                break;
            }
    }
}

TEST_F(Session, TickAndHealthEventsCarryPerConnectionSeq) {
    client::GatewayClient c(opts());
    c.connect();
    c.call("health"); // triggers a health broadcast with stateVersion
    long long lastSeq = 0;
    bool sawTick = false;
    bool sawHealth = false;
    for (int i = 0; i < 50 && !(sawTick && sawHealth); ++i) {
        json::ObjectPtr e = c.nextEvent(5000);
        ASSERT_TRUE(e) << "no event";
        long long seq = json::getInt(e, "seq").value_or(-1);
        EXPECT_GT(seq, lastSeq);
        lastSeq = seq;
        std::string name = json::getString(e, "event").value_or("");
        if (name == "tick") sawTick = json::getInt(json::getObject(e, "payload"), "ts").has_value();
        if (name == "health") sawHealth = json::getObject(e, "stateVersion") != nullptr;
    }
    EXPECT_TRUE(sawTick);
    EXPECT_TRUE(sawHealth);
}

TEST_F(Session, PluginMethodsAndEventsReachClientsAndFailuresStayWithTheCaller) {
    client::GatewayClient c(opts(protocol::allOperatorScopes()));
    json::ObjectPtr hello = c.connect();
    EXPECT_NE(json::stringify(json::getObject(hello, "features")->get("methods")).find("test.echo"),
              std::string::npos);
    EXPECT_NE(json::stringify(json::getObject(hello, "features")->get("events")).find("test.event"),
              std::string::npos);
    EXPECT_EQ(json::stringify(c.call("test.echo", json::parse(R"({"a":[1,2]})"))), R"({"a":[1,2]})");
    EXPECT_EQ(json::stringify(c.call("test.config")), R"({"greeting":"hello"})");
    json::ObjectPtr thrown = errorOf(c, "test.throw");
    ASSERT_TRUE(thrown);
    EXPECT_EQ(json::getString(thrown, "code"), "UNAVAILABLE");
    EXPECT_NE(json::getString(thrown, "message").value_or("").find("boom from the plugin"),
              std::string::npos);
    // The specific code says it is the plugin's own failure, not a gateway that is busy or starting.
    EXPECT_EQ(json::getString(json::getObject(thrown, "details"), "code"), "PLUGIN_INTERNAL_ERROR");
    EXPECT_EQ(json::getString(json::getObject(thrown, "details"), "plugin"), "test-good");
    EXPECT_EQ(json::getBool(thrown, "retryable"), false);
    json::ObjectPtr refused = errorOf(c, "test.refuse");
    EXPECT_EQ(json::getString(refused, "code"), "FORBIDDEN");
    // The connection is still fine after the plugin failed.
    EXPECT_EQ(json::getBool(json::asObject(c.call("health")), "ok"), true);
    client::GatewayClient listener(opts());
    listener.connect();
    c.call("test.emit", json::parse(R"({"n":7})"));
    bool got = false;
    std::string seen;
    for (int i = 0; i < 50 && !got; ++i) {
        json::ObjectPtr e = listener.nextEvent(5000);
        ASSERT_TRUE(e) << seen;
        seen += json::getString(e, "event").value_or("?") + " ";
        if (json::getString(e, "event") == "test.event") {
            got = true;
            EXPECT_EQ(json::stringify(e->get("payload")), R"({"n":7})");
        }
    }
    EXPECT_TRUE(got) << "events seen: " << seen;
}

// A plugin event goes only to sessions holding its scope (operator.read unless the plugin declares another):
// a client that asked for no read scope does not get it (#28).
TEST_F(Session, APluginEventReachesOnlySessionsHoldingItsScope) {
    client::GatewayClient c(opts(protocol::allOperatorScopes()));
    c.connect();
    client::GatewayClient reader(opts());
    reader.connect();
    client::GatewayClient approver(opts({"operator.approvals"}));
    approver.connect();
    c.call("test.emit", json::parse(R"({"n":8})"));
    // Other events (ticks) keep coming: look for test.event within a bounded time.
    auto nextTestEvent = [](client::GatewayClient& cl, int ms) {
        return nextEventNamed(cl, "test.event", ms);
    };
    EXPECT_TRUE(nextTestEvent(reader, 5000)) << "a session holding operator.read did not get the event";
    EXPECT_FALSE(nextTestEvent(approver, 500)) << "a session without operator.read got the event";
}

TEST_F(Session, PluginTimersFireThroughTheHostInOrderAndStopWhenCancelled) {
    client::GatewayClient c(opts(protocol::allOperatorScopes()));
    c.connect();
    client::GatewayClient listener(opts());
    listener.connect();
    json::ObjectPtr started =
        json::asObject(c.call("test.timer", json::parse(R"({"ms":30,"repeat":1,"tag":1})")));
    const long long id = json::getInt(started, "timer").value_or(0);
    ASSERT_GT(id, 0) << json::stringify(started);
    // The host's timer fires repeatedly; each firing is the next one.
    long long lastN = 0;
    for (int i = 0; i < 200 && lastN < 3; ++i) {
        json::ObjectPtr e = listener.nextEvent(5000);
        ASSERT_TRUE(e) << "no timer event after " << lastN;
        if (json::getString(e, "event") != "test.tick") continue;
        json::ObjectPtr p = json::getObject(e, "payload");
        ASSERT_EQ(json::getInt(p, "tag"), 1);
        EXPECT_EQ(json::getInt(p, "n"), lastN + 1);
        lastN = json::getInt(p, "n").value_or(0);
    }
    ASSERT_EQ(lastN, 3);
    json::ObjectPtr cancelled =
        json::asObject(c.call("test.cancel", json::parse(R"({"timer":)" + std::to_string(id) + "}")));
    const long long fired = json::getInt(cancelled, "fired").value_or(0);
    EXPECT_GE(fired, 3);
    // A one-shot timer ten intervals later: had the cancel not held, the first would fire meanwhile.
    c.call("test.timer", json::parse(R"({"ms":300,"repeat":0,"tag":2})"));
    bool oneShot = false;
    for (int i = 0; i < 200 && !oneShot; ++i) {
        json::ObjectPtr e = listener.nextEvent(5000);
        ASSERT_TRUE(e) << "the one-shot timer never fired";
        if (json::getString(e, "event") != "test.tick") continue;
        json::ObjectPtr p = json::getObject(e, "payload");
        if (json::getInt(p, "tag") == 2) {
            oneShot = true;
            EXPECT_EQ(json::getInt(p, "n"), 1);
        } else {
            EXPECT_LE(json::getInt(p, "n").value_or(0), fired) << "the cancelled timer fired again";
        }
    }
}

namespace {

/// A client frame as a browser would send it: masked, with FIN and opcode as given.
std::string maskedFrame(bool fin, uint8_t opcode, const std::string& payload) {
    std::string f;
    f += static_cast<char>((fin ? 0x80 : 0x00) | opcode);
    const size_t n = payload.size();
    if (n < 126) {
        f += static_cast<char>(0x80 | n);
    } else if (n < 65536) {
        f += static_cast<char>(0x80 | 126);
        f += static_cast<char>(n >> 8);
        f += static_cast<char>(n & 0xff);
    } else {
        f += static_cast<char>(0x80 | 127);
        for (int shift = 56; shift >= 0; shift -= 8)
            f += static_cast<char>((static_cast<uint64_t>(n) >> shift) & 0xff);
    }
    const char mask[4] = {0x12, 0x34, 0x56, 0x78};
    f.append(mask, 4);
    for (size_t i = 0; i < n; ++i)
        f += static_cast<char>(payload[i] ^ mask[i % 4]);
    return f;
}

} // namespace

TEST_F(Session, FragmentedFramesAreReassembledWithControlFramesBetweenThem) {
    client::WsConnection ws;
    openPastChallenge(ws, gw_->url());
    ws.send(protocol::WsOpcode::Text, connectFrame(R"({"token":"T0k3n"})"));
    ASSERT_EQ(json::getBool(nextFrom(ws).frame, "ok"), true);
    const std::string req = R"({"type":"req","id":"frag1","method":"health"})";
    ws.sendRaw(maskedFrame(false, 0x1, req.substr(0, 10)));  // text, not final
    ws.sendRaw(maskedFrame(true, 0x9, "are you there"));     // a ping in between
    ws.sendRaw(maskedFrame(false, 0x0, req.substr(10, 20))); // continuation
    ws.sendRaw(maskedFrame(true, 0x0, req.substr(30)));      // final continuation
    bool pong = false;
    bool answered = false;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!(pong && answered)) {
        std::optional<protocol::WsFrame> f = ws.receive(deadline);
        ASSERT_TRUE(f) << "pong " << pong << ", answer " << answered;
        ASSERT_NE(f->opcode, protocol::WsOpcode::Close) << "closed " << protocol::decodeCloseCode(f->payload);
        if (f->opcode == protocol::WsOpcode::Pong) {
            EXPECT_EQ(f->payload, "are you there");
            pong = true;
        } else if (f->opcode == protocol::WsOpcode::Text) {
            json::ObjectPtr j = json::asObject(json::parse(f->payload));
            if (json::getString(j, "id") != "frag1") continue;
            EXPECT_EQ(json::getBool(j, "ok"), true) << f->payload;
            answered = true;
        }
    }
}

TEST_F(Session, AFrameOverMaxPayloadAfterHelloClosesWith1009) {
    client::WsConnection ws;
    openPastChallenge(ws, gw_->url());
    ws.send(protocol::WsOpcode::Text, connectFrame(R"({"token":"T0k3n"})"));
    Next hello = nextFrom(ws);
    ASSERT_EQ(json::getBool(hello.frame, "ok"), true);
    const long long maxPayload =
        json::getInt(json::getObject(json::getObject(hello.frame, "payload"), "policy"), "maxPayload")
            .value_or(0);
    ASSERT_EQ(maxPayload, 26214400); // 25 MiB, as the reference
    // A frame just under the cap passes (a request that is mostly padding) ...
    const std::string big = R"({"type":"req","id":"big1","method":"health","params":{"pad":")" +
                            std::string(static_cast<size_t>(maxPayload) - 100, 'x') + "\"}}";
    ASSERT_LT(big.size(), static_cast<size_t>(maxPayload));
    ws.sendRaw(maskedFrame(true, 0x1, big));
    Next answer = nextFrom(ws, 30000);
    while (answer.frame && json::getString(answer.frame, "type") == "event") // ticks may come first
        answer = nextFrom(ws, 30000);
    ASSERT_TRUE(answer.frame) << "closed " << answer.closeCode;
    EXPECT_EQ(json::getString(answer.frame, "id"), "big1");
    // ... one byte over is refused from its header alone: 1009, before any payload arrives.
    std::string header = maskedFrame(true, 0x1, "");
    header[1] = static_cast<char>(0x80 | 127);
    std::string length;
    for (int shift = 56; shift >= 0; shift -= 8)
        length += static_cast<char>((static_cast<uint64_t>(maxPayload + 1) >> shift) & 0xff);
    header.insert(2, length);
    ws.sendRaw(header);
    Next closed = nextFrom(ws, 10000);
    while (closed.frame) // a tick or health event may come first
        closed = nextFrom(ws, 10000);
    EXPECT_EQ(closed.closeCode, 1009);
}
