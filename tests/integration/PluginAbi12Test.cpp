// Plugin ABI 1.2 over a real gateway, with the test-sessions fixture (tests/plugins/SessionsPlugin.cpp):
// a method sees its caller, a plugin sends an event to one of two sessions, closes one, lists them; the
// session, auth and request hooks fire; a slow request hook never delays `health` and its drops are counted;
// a call's own deadline and error; complete() with a handle the plugin was not given is refused; an HTTP
// route that needs the gateway's credentials.
#include "DeviceKey.h"
#include "Process.h"
#include "Wire.h"

#include "client/GatewayClient.h"
#include "openclaw/plugin.h"

#include <gtest/gtest.h>

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <chrono>
#include <csignal>
#include <thread>

using namespace openclaw;
using namespace openclaw::test;

namespace {

std::string sessionsGateway(const std::string& extra = "") {
    return std::string(R"({ gateway: { mode: 'local', auth: { token: 'T0k3n' } }, )") + extra +
           R"( plugins: { load: { paths: [')" + OPENCLAW_TEST_PLUGIN_DIR + "/test-sessions'] } } }";
}

client::ClientOptions as(const GatewayUnderTest& gw, const std::string& clientId,
                         std::vector<std::string> scopes = {"operator.read"}) {
    client::ClientOptions o{gw.url(), std::string("T0k3n")};
    o.clientId = clientId;
    o.scopes = std::move(scopes);
    return o;
}

json::ObjectPtr callObject(client::GatewayClient& c, const std::string& method,
                           const std::string& params = "{}") {
    return json::asObject(c.call(method, json::parse(params)));
}

/// The hooks the fixture heard, waited for until `pred` holds (hooks run on the plugin's own thread).
json::ArrayPtr heardUntil(client::GatewayClient& c, const std::function<bool(const std::string&)>& pred) {
    json::ArrayPtr heard;
    for (int i = 0; i < 200; ++i) {
        heard = json::asArray(c.call("sessions.heard", json::makeObject()));
        if (heard && pred(json::stringify(heard))) return heard;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return heard;
}

} // namespace

TEST(PluginAbi12, AMethodSeesItsCallersSessionRoleScopesAndClient) {
    GatewayUnderTest gw(sessionsGateway(), {});
    client::GatewayClient a(as(gw, "cli", {"operator.read"}));
    a.connect();
    client::GatewayClient b(as(gw, "cli", {"operator.admin"}));
    b.connect();
    json::ObjectPtr wa = callObject(a, "sessions.whoami");
    json::ObjectPtr wb = callObject(b, "sessions.whoami");
    ASSERT_TRUE(wa && wb);
    EXPECT_EQ(json::getInt(wa, "role"), OC_ROLE_OPERATOR);
    EXPECT_EQ(json::getInt(wa, "scopes"), OC_SCOPE_READ);
    EXPECT_EQ(json::getBool(wa, "admin"), false);
    EXPECT_EQ(json::getBool(wb, "admin"), true);
    EXPECT_EQ(json::getString(wa, "clientId"), "cli");
    EXPECT_EQ(json::getString(wa, "remote"), "127.0.0.1");
    EXPECT_EQ(json::getBool(wa, "loopback"), true);
    EXPECT_NE(json::getInt(wa, "call").value_or(0), 0); // a 1.2 handler is handed its call's handle
    // Session ids: distinct per session, the same for every call of one session.
    EXPECT_NE(json::getInt(wa, "sessionId"), json::getInt(wb, "sessionId"));
    EXPECT_EQ(json::getInt(callObject(a, "sessions.whoami"), "sessionId"), json::getInt(wa, "sessionId"));
}

TEST(PluginAbi12, APluginSendsAnEventToOneOfTwoSessionsAndOnlyThatOneGetsItWithoutSeq) {
    GatewayUnderTest gw(sessionsGateway(), {});
    client::GatewayClient a(as(gw, "cli"));
    a.connect();
    client::GatewayClient b(as(gw, "cli"));
    b.connect();
    const long long idB = json::getInt(callObject(b, "sessions.whoami"), "sessionId").value_or(0);
    json::ObjectPtr sent = callObject(a, "sessions.send", "{\"sessionId\":" + std::to_string(idB) + "}");
    EXPECT_EQ(json::getBool(sent, "sent"), true);
    json::ObjectPtr ev = nextEventNamed(b, "sessions.ping", 5000);
    ASSERT_TRUE(ev) << "session B did not get the event sent to it";
    EXPECT_FALSE(ev->has("seq")) << json::stringify(ev);
    json::ObjectPtr other = nextEventNamed(a, "sessions.ping", 500);
    EXPECT_FALSE(other) << "session A got an event sent to B: " << json::stringify(other);
    // A session that does not exist.
    EXPECT_EQ(json::getBool(callObject(a, "sessions.send", R"({"sessionId":999999})"), "sent"), false);
}

TEST(PluginAbi12, APluginListsAndClosesSessionsWithItsCodeAndReason) {
    GatewayUnderTest gw(sessionsGateway(), {});
    client::GatewayClient a(as(gw, "cli"));
    a.connect();
    client::GatewayClient b(as(gw, "cli"));
    b.connect();
    const long long idB = json::getInt(callObject(b, "sessions.whoami"), "sessionId").value_or(0);
    const std::string list = json::stringify(a.call("sessions.list", json::parse(R"({"role":1})")));
    EXPECT_NE(list.find("\"sessionId\":" + std::to_string(idB)), std::string::npos) << list;
    EXPECT_EQ(json::stringify(a.call("sessions.list", json::parse(R"({"role":2})"))), "[]"); // no node
    // A node: what it declared at connect (caps, commands, permissions) is in the list.
    client::WsConnection node;
    const Challenge ch = openForChallenge(node, gw.url());
    DeviceKey::Signing signing{"node-host", "node", "node", {}, "T0k3n", "linux", ""};
    node.send(
        protocol::WsOpcode::Text,
        R"({"type":"req","id":"c1","method":"connect","params":{"minProtocol":4,"maxProtocol":4,)"
        R"("client":{"id":"node-host","version":"1.0.0","platform":"linux","mode":"node"},"role":"node",)"
        R"("caps":["system"],"commands":["system.run","system.which"],"permissions":{"camera":false},)"
        R"("auth":{"token":"T0k3n"})" +
            DeviceKey().deviceMember(signing, ch.nonce, ch.ts) + "}}");
    Next hello = nextFrom(node);
    ASSERT_TRUE(hello.frame);
    ASSERT_EQ(json::getBool(hello.frame, "ok"), true) << json::stringify(hello.frame);
    const std::string nodes = json::stringify(a.call("sessions.list", json::parse(R"({"role":2})")));
    EXPECT_NE(nodes.find(R"("caps":["system"],"commands":["system.run","system.which"],)"
                         R"("permissions":{"camera":false})"),
              std::string::npos)
        << nodes;
    EXPECT_EQ(json::getBool(callObject(a, "sessions.close", "{\"sessionId\":" + std::to_string(idB) + "}"),
                            "closed"),
              true);
    auto closed = b.awaitClose(5000);
    ASSERT_TRUE(closed);
    EXPECT_EQ(closed->first, 4001);
    EXPECT_EQ(closed->second, "bye");
}

TEST(PluginAbi12, OpenCloseAuthAndRequestHooksFireWithTheSessionsInfo) {
    GatewayUnderTest gw(sessionsGateway(), {});
    client::GatewayClient a(as(gw, "cli"));
    a.connect();
    {
        client::GatewayClient wrong({gw.url(), std::string("wrong")});
        EXPECT_THROW(wrong.connect(), client::GatewayError);
    }
    long long idB = 0;
    {
        client::GatewayClient b(as(gw, "cli"));
        b.connect();
        idB = json::getInt(callObject(b, "sessions.whoami"), "sessionId").value_or(0);
        b.close();
    }
    const std::string closeMark = "\"kind\":\"close\",\"data\":{\"sessionId\":" + std::to_string(idB);
    json::ArrayPtr heard =
        heardUntil(a, [&](const std::string& s) { return s.find(closeMark) != std::string::npos; });
    const std::string text = json::stringify(heard);
    EXPECT_NE(text.find("\"kind\":\"open\",\"data\":{\"sessionId\":" + std::to_string(idB)),
              std::string::npos)
        << text;
    EXPECT_NE(text.find(closeMark), std::string::npos) << text;
    EXPECT_NE(text.find("\"code\":1000"), std::string::npos) << text; // b closed with 1000
    EXPECT_NE(text.find("\"kind\":\"auth\",\"data\":{\"ok\":true,\"reason\":\"\",\"method\":\"token\""),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("\"kind\":\"auth\",\"data\":{\"ok\":false,\"reason\":\"AUTH_TOKEN_MISMATCH\""),
              std::string::npos)
        << text;
    // The request hook names the plugin serving the method ("" for the gateway's own).
    EXPECT_NE(text.find("\"method\":\"sessions.whoami\",\"plugin\":\"test-sessions\",\"ok\":true"),
              std::string::npos)
        << text;
}

TEST(PluginAbi12, ASlowRequestHookNeverDelaysHealthAndItsDropsAreCounted) {
    GatewayUnderTest gw(sessionsGateway(), {});
    client::GatewayClient a(as(gw, "cli"));
    a.connect();
    a.call("sessions.slowHooks", json::parse(R"({"ms":200})"));
    // More requests than the bounded request-hook queue holds (1024), while each hook sleeps 200 ms.
    for (int i = 0; i < 1100; ++i)
        a.call("health");
    const auto t0 = std::chrono::steady_clock::now();
    a.call("health");
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_LT(ms, 5000) << "health waited for the plugin's hooks"; // a bound that catches a wait, not a speed
    const std::string drops = json::stringify(a.call("sessions.drops", json::makeObject()));
    EXPECT_NE(drops.find("\"test-sessions\":{\"request\":"), std::string::npos) << drops;
    EXPECT_EQ(drops.find("\"request\":0}"), std::string::npos) << "nothing was dropped: " << drops;
    a.call("sessions.slowHooks", json::parse(R"({"ms":0})"));
}

// A hook that never returns does not hold the gateway's stop (#25): after a bounded wait the queued hooks are
// dropped, the plugin is left alive rather than destroyed under its own thread, and both are logged.
TEST(PluginAbi12, AHookThatNeverReturnsDoesNotHoldTheStop) {
    GatewayUnderTest gw(sessionsGateway(), {});
    client::GatewayClient a(as(gw, "cli"));
    a.connect();
    a.call("sessions.slowHooks", json::parse(R"({"ms":3600000})")); // its request hook now sleeps an hour
    for (int i = 0; i < 5; ++i)
        a.call("health");
    a.close();
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_EQ(gw.process().stop(SIGTERM, 30000), 0) << gw.process().err();
    const auto s =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_LT(s, 25) << "the stop waited for the hook"; // a bound that catches a hang, not a speed
    const std::string log = gw.process().out() + gw.process().err();
    EXPECT_NE(log.find("a hook did not return within 2000 ms of the stop; "), std::string::npos) << log;
    EXPECT_NE(log.find("queued hook call(s) dropped; the gateway stops without waiting"), std::string::npos)
        << log;
    EXPECT_NE(log.find("it is left alive (not destroyed)"), std::string::npos) << log;
}

TEST(PluginAbi12, ACallWithItsOwnDeadlineFailsWithItsOwnErrorNotTheHosts) {
    GatewayUnderTest gw(sessionsGateway(), {});
    client::GatewayClient a(as(gw, "cli"));
    a.connect();
    const auto t0 = std::chrono::steady_clock::now();
    try {
        a.call("sessions.never", json::parse(R"({"timeoutMs":300})"));
        FAIL() << "answered";
    } catch (const client::GatewayError& e) {
        EXPECT_EQ(e.rpc.code, "NODE_TIMEOUT") << e.what();
    }
    // Its own 300 ms, not the host's 30 s plugins.callTimeoutMs.
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(20));
}

// (Another plugin's handle is refused too: HostServicesCalls.CompleteIsRefusedToAnotherOwner, unit.)
TEST(PluginAbi12, CompleteWithAHandleNeverIssuedIsRefused) {
    GatewayUnderTest gw(sessionsGateway(), {});
    client::GatewayClient a(as(gw, "cli"));
    a.connect();
    json::ObjectPtr r = callObject(a, "sessions.completeFor", R"({"call":987654321})");
    EXPECT_EQ(json::getBool(r, "accepted"), false);
    EXPECT_NE(json::getInt(r, "call").value_or(0), 0);
}

TEST(PluginAbi12, ARouteNeedingCredentialsAnswers401WithoutThemAnd200WithThem) {
    GatewayUnderTest gw(sessionsGateway(), {});
    auto [noCreds, body401] = httpGet(gw.port(), "/sessions-test/x?y=1");
    EXPECT_EQ(noCreds, 401) << body401;
    auto [wrong, bodyWrong] = httpGet(gw.port(), "/sessions-test", {{"Authorization", "Bearer nope"}});
    EXPECT_EQ(wrong, 401) << bodyWrong;
    auto [ok, body] = httpGet(gw.port(), "/sessions-test/x?y=1", {{"Authorization", "Bearer T0k3n"}});
    EXPECT_EQ(ok, 200) << body;
    EXPECT_EQ(body, "path=/sessions-test/x\n");
    auto [pub, pubBody] = httpGet(gw.port(), "/sessions-open");
    EXPECT_EQ(pub, 200) << pubBody;
    // Not under the prefix: the gateway's 404; the built-in routes stay the gateway's.
    EXPECT_EQ(httpGet(gw.port(), "/sessions-testing").first, 404);
    EXPECT_EQ(httpGet(gw.port(), "/healthz").first, 200);
}

/// Sends `bytes` on a fresh connection (in pieces, `gapMs` apart, when `pieces` has more than one) and reads
/// until the gateway closes it or `timeoutMs` passes.
std::string rawHttp(int port, const std::vector<std::string>& pieces, int gapMs = 0, int timeoutMs = 5000) {
    Poco::Net::StreamSocket s(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
    for (size_t i = 0; i < pieces.size(); ++i) {
        if (i > 0) std::this_thread::sleep_for(std::chrono::milliseconds(gapMs));
        s.sendBytes(pieces[i].data(), static_cast<int>(pieces[i].size()));
    }
    s.setReceiveTimeout(Poco::Timespan(timeoutMs * 1000LL));
    std::string out;
    char buf[4096];
    try {
        for (int n; (n = s.receiveBytes(buf, sizeof buf)) > 0;)
            out.append(buf, static_cast<size_t>(n));
    } catch (const Poco::TimeoutException&) {
        // keep-alive: what came is what there is
    }
    return out;
}

// A plugin route gets the request body (#25: bounded; text, or base64 when it is not UTF-8), also when it
// arrives after the head and when another request is pipelined behind it; too large, chunked or without
// credentials is refused before a byte of the body is read.
TEST(PluginAbi12, ARouteGetsTheRequestBodyBoundedAndFramedByContentLength) {
    GatewayUnderTest gw(sessionsGateway(), {});
    const std::string auth = "Authorization: Bearer T0k3n\r\n";
    const std::string post = "POST /sessions-test/in HTTP/1.1\r\nHost: x\r\n" + auth;
    std::string r =
        rawHttp(gw.port(), {post + "Content-Length: 12\r\nConnection: close\r\n\r\nhello plugin"});
    EXPECT_NE(r.find("HTTP/1.1 200"), std::string::npos) << r;
    EXPECT_NE(r.find("path=/sessions-test/in\nPOST body=hello plugin\n"), std::string::npos) << r;
    // The head first, the body 200 ms later; then a GET pipelined on the same connection.
    r = rawHttp(gw.port(),
                {post + "Content-Length: 5\r\n\r\n",
                 "later" + std::string("GET /sessions-test/next HTTP/1.1\r\nHost: x\r\n") + auth +
                     "Connection: close\r\n\r\n"},
                200);
    EXPECT_NE(r.find("POST body=later\n"), std::string::npos) << r;
    EXPECT_NE(r.find("path=/sessions-test/next\n"), std::string::npos) << r;
    r = rawHttp(gw.port(), {post + "Content-Length: 2\r\nConnection: close\r\n\r\n\xff\xfe"});
    EXPECT_NE(r.find("POST bodyBase64=//4=\n"), std::string::npos) << r;
    r = rawHttp(gw.port(), {post + "Content-Length: 2000000\r\n\r\n"});
    EXPECT_NE(r.find("HTTP/1.1 413"), std::string::npos) << r;
    EXPECT_NE(r.find("plugin routes take at most 1048576 bytes"), std::string::npos) << r;
    r = rawHttp(gw.port(), {post + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"});
    EXPECT_NE(r.find("HTTP/1.1 411"), std::string::npos) << r;
    r = rawHttp(gw.port(), {"POST /sessions-test/in HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"});
    EXPECT_NE(r.find("HTTP/1.1 401"), std::string::npos) << r;
    EXPECT_EQ(r.find("HTTP/1.1 400"), std::string::npos) << "the unread body was taken for a request: " << r;
}

TEST(PluginAbi12, AReloadFiresConfigReloadWithTheNewGatewaySectionSecretsRedacted) {
    GatewayUnderTest gw(sessionsGateway(), {});
    gw.process().signal(SIGUSR1);
    // The fixture has no reconfigure: the reload creates it again, and the new instance hears the reload.
    json::ArrayPtr heard;
    for (int i = 0; i < 100 && !heard; ++i) {
        try {
            client::GatewayClient a(as(gw, "cli"));
            a.connect();
            heard = heardUntil(
                a, [](const std::string& s) { return s.find("\"kind\":\"reload\"") != std::string::npos; });
        } catch (const client::GatewayError&) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50)); // still rebinding
        }
    }
    ASSERT_TRUE(heard);
    const std::string text = json::stringify(heard);
    EXPECT_NE(text.find("\"kind\":\"reload\",\"data\":{"), std::string::npos) << text;
    EXPECT_NE(text.find("\"mode\":\"local\""), std::string::npos) << text;
    EXPECT_EQ(text.find("T0k3n"), std::string::npos) << "the token reached a plugin's hook: " << text;
}

TEST(PluginAbi12, ABroadcastWithAScopeReachesOnlySessionsHoldingIt) {
    GatewayUnderTest gw(sessionsGateway(), {});
    client::GatewayClient pairing(as(gw, "cli", {"operator.read", "operator.pairing"}));
    pairing.connect();
    client::GatewayClient reader(as(gw, "cli", {"operator.read"}));
    reader.connect();
    EXPECT_EQ(
        json::getBool(callObject(reader, "sessions.broadcast", R"({"scope":"operator.pairing"})"), "sent"),
        true);
    auto nextPing = [](client::GatewayClient& c, int ms) { return nextEventNamed(c, "sessions.ping", ms); };
    json::ObjectPtr got = nextPing(pairing, 5000);
    ASSERT_TRUE(got) << "the session holding operator.pairing did not get the event";
    EXPECT_TRUE(got->has("seq"));
    EXPECT_FALSE(nextPing(reader, 500)) << "a session without operator.pairing got it";
    EXPECT_EQ(json::getBool(callObject(reader, "sessions.broadcast", R"({"scope":"operator.nope"})"), "sent"),
              false);
}

TEST(PluginAbi12, PostedWorkAndTimersReleaseTheirUserDataOnceTheyWillNotRunAgain) {
    GatewayUnderTest gw(sessionsGateway(), {});
    client::GatewayClient a(as(gw, "cli"));
    a.connect();
    json::ObjectPtr r = callObject(a, "sessions.released");
    EXPECT_EQ(json::getInt(r, "released"), 3) << json::stringify(r);
    EXPECT_EQ(json::getInt(r, "ran"), 2)
        << json::stringify(r); // the work and the one-shot; not the cancelled
}

TEST(PluginAbi12, APluginSeesOnlyTheGatewayConfigItsManifestListsAndNoSecretsWithoutAsking) {
    GatewayUnderTest gw(sessionsGateway(), {});
    client::GatewayClient a(as(gw, "cli"));
    a.connect();
    // Its manifest: "configAccess": {"gateway": ["mode", "auth"], "secrets": false}.
    const std::string seen = json::stringify(a.call("sessions.gatewayConfig", json::makeObject()));
    EXPECT_NE(seen.find("\"mode\":\"local\""), std::string::npos) << seen;
    EXPECT_NE(seen.find("\"auth\":{"), std::string::npos) << seen;
    EXPECT_EQ(seen.find("T0k3n"), std::string::npos) << "the token reached the plugin: " << seen;
    EXPECT_EQ(seen.find("\"port\""), std::string::npos) << "a key it did not list: " << seen;
    // plugins info says what it reads.
    RunResult info = run({openclawBin(), "plugins", "info", "test-sessions"}, {{"HOME", gw.home()}});
    EXPECT_NE(info.out.find("Gateway config it reads: gateway.mode, gateway.auth (secrets redacted)\n"),
              std::string::npos)
        << info.out << info.err;
}
