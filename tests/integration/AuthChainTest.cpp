// The auth chain over a real gateway: an overlay plugin (test-overlay, deciding from a request header as a
// tailnet identity check would) is asked first; when it defers, the configured mode's plugin (auth-token)
// decides. The overlay is told the connection's context (listener, addresses and ports, TLS, the client,
// the headers); it may answer later; the operator's plugins.authOverlays (native settings file) decides
// which overlays are asked.
#include "Process.h"
#include "Wire.h"

#include <gtest/gtest.h>

using namespace openclaw;
using namespace openclaw::test;

namespace {

struct Verdict {
    bool ok = false;
    std::string method;  ///< hello-ok auth.method
    std::string message; ///< the error message when refused
};

Verdict connectWith(int port, const std::string& token,
                    const std::vector<std::pair<std::string, std::string>>& headers) {
    client::WsConnection ws;
    openPastChallenge(ws, "ws://127.0.0.1:" + std::to_string(port), headers);
    ws.send(protocol::WsOpcode::Text, connectFrame("{\"token\":\"" + token + "\"}"));
    Next n = nextFrom(ws);
    Verdict v;
    if (!n.frame) return v;
    v.ok = json::getBool(n.frame, "ok").value_or(false);
    v.method =
        json::getString(json::getObject(json::getObject(n.frame, "payload"), "auth"), "method").value_or("");
    v.message = json::getString(json::getObject(n.frame, "error"), "message").value_or("");
    return v;
}

class AuthChain : public ::testing::Test {
  protected:
    void start(const std::string& native = "", const std::string& overlayConfig = "") {
        report_ = home_.path() + "/overlay.jsonl";
        home_.write(
            ".openclaw/openclaw.json",
            std::string(
                "{ gateway: { mode: 'local', auth: { mode: 'token', token: 'T0k3n' } }, plugins: { load: "
                "{ paths: ['") +
                OPENCLAW_TEST_PLUGIN_DIR +
                "/test-overlay'] }, entries: { 'test-overlay': { config: { reportPath: '" + report_ + "'" +
                overlayConfig + " } } } } }");
        if (!native.empty()) home_.write(".openclaw/native.json5", native);
        port_ = freePort();
        gw_ = std::make_unique<ChildProcess>(
            std::vector<std::string>{openclawBin(), "gateway", "run", "--port", std::to_string(port_)},
            std::map<std::string, std::string>{{"HOME", home_.path()}});
        const bool ready = waitReadyz(*gw_, port_);
        ASSERT_TRUE(ready) << gw_->err();
    }
    void TearDown() override {
        if (gw_) {
            EXPECT_EQ(gw_->stop(), 0);
        }
    }
    TempDir home_;
    std::string report_;
    int port_ = 0;
    std::unique_ptr<ChildProcess> gw_;
};

TEST_F(AuthChain, AnOverlayDecidesFirstAndTheConfiguredModeWhenItDefers) {
    ASSERT_NO_FATAL_FAILURE(start());
    Verdict alice = connectWith(port_, "wrong", {{"X-Test-Identity", "alice"}});
    EXPECT_TRUE(alice.ok) << alice.message;
    EXPECT_EQ(alice.method, "test-identity");
    Verdict denied = connectWith(port_, "T0k3n", {{"X-Test-Identity", "deny"}});
    EXPECT_FALSE(denied.ok);
    EXPECT_EQ(denied.message, "denied by the overlay");
    Verdict token = connectWith(port_, "T0k3n", {});
    EXPECT_TRUE(token.ok) << token.message;
    EXPECT_EQ(token.method, "token");
    Verdict wrong = connectWith(port_, "wrong", {});
    EXPECT_FALSE(wrong.ok);
    EXPECT_NE(wrong.message.find("unauthorized"), std::string::npos) << wrong.message;
}

TEST_F(AuthChain, AnOverlayMayAnswerLater) {
    ASSERT_NO_FATAL_FAILURE(start());
    Verdict v = connectWith(port_, "wrong", {{"X-Test-Identity", "alice"}, {"X-Test-Async", "1"}});
    EXPECT_TRUE(v.ok) << v.message;
    EXPECT_EQ(v.method, "test-identity");
}

TEST_F(AuthChain, TheOverlayIsToldTheConnectionsContext) {
    ASSERT_NO_FATAL_FAILURE(start());
    connectWith(port_, "T0k3n", {{"X-Test-Identity", "someone"}, {"X-Forwarded-For", "192.0.2.9"}});
    const std::string text = readFile(report_);
    ASSERT_FALSE(text.empty());
    json::ObjectPtr r = json::asObject(json::parse(text.substr(0, text.find('\n'))));
    ASSERT_TRUE(r) << text;
    EXPECT_EQ(json::getString(r, "mode"), "token");
    EXPECT_EQ(json::getString(json::getObject(r, "auth"), "token"), "T0k3n");
    EXPECT_EQ(json::getString(json::getObject(r, "client"), "id"), "cli");
    EXPECT_EQ(json::getString(r, "remoteAddress"), "127.0.0.1");
    EXPECT_GT(json::getInt(r, "remotePort").value_or(0), 0);
    EXPECT_EQ(json::getString(r, "listener"), "127.0.0.1:" + std::to_string(port_));
    EXPECT_EQ(json::getInt(r, "localPort"), port_);
    EXPECT_EQ(json::getBool(r, "tls"), false);
    EXPECT_EQ(json::getBool(r, "isLoopback"), true);
    json::ObjectPtr headers = json::getObject(r, "headers");
    EXPECT_EQ(json::getString(headers, "x-test-identity"), "someone") << "names lower-cased";
    EXPECT_EQ(json::getString(headers, "x-forwarded-for"), "192.0.2.9");
    EXPECT_EQ(json::getString(headers, "upgrade"), "websocket");
}

// ABI 1.2: an overlay that says it cannot decide under its config is left out of the chain when the server
// starts (no round trip to it per connect); the configured mode's plugin decides alone.
TEST_F(AuthChain, AnOverlayThatCannotDecideIsLeftOutOfTheChain) {
    ASSERT_NO_FATAL_FAILURE(start("", ", undecided: true"));
    Verdict v = connectWith(port_, "wrong", {{"X-Test-Identity", "alice"}});
    EXPECT_FALSE(v.ok) << "the overlay was asked";
    EXPECT_TRUE(readFile(report_).empty());
    Verdict token = connectWith(port_, "T0k3n", {});
    EXPECT_TRUE(token.ok) << token.message;
    const std::string log = gw_->out() + gw_->err();
    EXPECT_NE(log.find("test-overlay: cannot decide under this config; left out of the auth chain"),
              std::string::npos)
        << log;
}

TEST_F(AuthChain, TheOperatorsListDecidesWhichOverlaysAreAsked) {
    ASSERT_NO_FATAL_FAILURE(start("{ plugins: { authOverlays: [] } }"));
    Verdict v = connectWith(port_, "wrong", {{"X-Test-Identity", "alice"}});
    EXPECT_FALSE(v.ok) << "an overlay the operator left out was asked";
    EXPECT_TRUE(readFile(report_).empty());
}

} // namespace
