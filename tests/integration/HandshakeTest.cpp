// The handshake against a real gateway process: every row of the error and close-code table
// (shared/reference/protocol.md §4), both auth plugins, origin, rate limit, handshake timeout.
#include "Process.h"
#include "Wire.h"

#include "client/GatewayClient.h"

#include <gtest/gtest.h>

using namespace openclaw;
using namespace openclaw::test;

namespace {

const std::string kTokenConfig = R"({ gateway: { mode: 'local', auth: { mode: 'token', token: 'T0k3n' } } })";

class TokenGateway : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { gw_.start(kTokenConfig, {}); }
    void SetUp() override { ASSERT_TRUE(gw_.require()); }
    static void TearDownTestSuite() { gw_.stop(); }
    static SharedGateway gw_;
};
SharedGateway TokenGateway::gw_;

} // namespace

TEST_F(TokenGateway, HttpRoutesOnTheSamePort) {
    auto live = httpGet(gw_->port(), "/healthz");
    EXPECT_EQ(live.first, 200);
    EXPECT_EQ(live.second, R"({"ok":true,"status":"live"})");
    auto ready = httpGet(gw_->port(), "/readyz");
    EXPECT_EQ(ready.first, 200);
    EXPECT_NE(ready.second.find(R"("ready":true,"failing":[])"), std::string::npos);
    EXPECT_EQ(httpGet(gw_->port(), "/nope").first, 404);
}

TEST_F(TokenGateway, HelloOkCarriesTheWholeShape) {
    client::GatewayClient c({gw_->url(), std::string("T0k3n")});
    json::ObjectPtr hello = c.connect();
    EXPECT_EQ(json::getString(hello, "type"), "hello-ok");
    EXPECT_EQ(json::getInt(hello, "protocol"), 4);
    json::ObjectPtr server = json::getObject(hello, "server");
    EXPECT_EQ(json::getString(server, "version"), "2026.9.6");
    EXPECT_EQ(json::getString(server, "connId").value_or("").size(), 36u);
    EXPECT_EQ(json::getString(server, "bootId").value_or("").size(), 36u);
    std::string methods = json::stringify(json::getObject(hello, "features")->get("methods"));
    for (const char* m : {"health", "status", "system-presence", "config.get", "logs.tail"})
        EXPECT_NE(methods.find(std::string("\"") + m + "\""), std::string::npos) << m;
    json::ObjectPtr snapshot = json::getObject(hello, "snapshot");
    EXPECT_EQ(json::getString(json::asObject(json::getArray(snapshot, "presence")->get(0)), "mode"),
              "gateway");
    EXPECT_EQ(json::getBool(json::getObject(snapshot, "health"), "ok"), true);
    json::ObjectPtr auth = json::getObject(hello, "auth");
    EXPECT_EQ(json::getString(auth, "method"), "token");
    EXPECT_EQ(json::stringify(auth->get("scopes")), R"(["operator.read"])");
    EXPECT_EQ(json::getInt(json::getObject(hello, "policy"), "maxBufferedBytes"), 52428800);
    // A second client gets another connId but the same bootId.
    client::GatewayClient c2({gw_->url(), std::string("T0k3n")});
    json::ObjectPtr hello2 = c2.connect();
    EXPECT_NE(json::getString(json::getObject(hello2, "server"), "connId"),
              json::getString(server, "connId"));
    EXPECT_EQ(json::getString(json::getObject(hello2, "server"), "bootId"),
              json::getString(server, "bootId"));
}

struct Row {
    const char* name;
    std::string send;         ///< text frame to send after the challenge
    const char* errorCode;    ///< expected error.code ("" = no response frame)
    const char* detailsCode;  ///< expected error.details.code ("" = none)
    const char* messageStart; ///< expected message prefix
    int closeCode;
    bool reasonIsMessage; ///< close reason equals the message (else empty)
};

class HandshakeRows : public TokenGateway, public ::testing::WithParamInterface<Row> {};

TEST_P(HandshakeRows, ErrorFrameThenClose) {
    const Row& row = GetParam();
    client::WsConnection ws;
    openPastChallenge(ws, gw_->url());
    ws.send(protocol::WsOpcode::Text, row.send);
    Next n = nextFrom(ws);
    std::string message;
    if (*row.errorCode) {
        ASSERT_TRUE(n.frame) << row.name << " closed " << n.closeCode;
        EXPECT_EQ(json::getBool(n.frame, "ok"), false);
        json::ObjectPtr err = json::getObject(n.frame, "error");
        EXPECT_EQ(json::getString(err, "code"), row.errorCode) << row.name;
        message = json::getString(err, "message").value_or("");
        EXPECT_EQ(message.rfind(row.messageStart, 0), 0u) << row.name << ": " << message;
        if (*row.detailsCode) {
            EXPECT_EQ(json::getString(json::getObject(err, "details"), "code"), row.detailsCode) << row.name;
        }
        n = nextFrom(ws);
    }
    EXPECT_EQ(n.closeCode, row.closeCode) << row.name;
    if (row.reasonIsMessage) {
        EXPECT_EQ(n.closeReason, message.substr(0, 123)) << row.name;
    } else {
        EXPECT_EQ(n.closeReason, "") << row.name;
    }
}

INSTANTIATE_TEST_SUITE_P(
    Table, HandshakeRows,
    ::testing::Values(
        Row{"wrong_token", connectFrame(R"({"token":"WRONG"})"), "INVALID_REQUEST", "AUTH_TOKEN_MISMATCH",
            "unauthorized: gateway token mismatch (use this gateway's gateway.auth.token or pair the device)",
            1008, true},
        Row{"no_auth", connectFrame(""), "NOT_PAIRED", "DEVICE_IDENTITY_REQUIRED", "device identity required",
            1008, true},
        Row{"proto_high",
            R"({"type":"req","id":"c1","method":"connect","params":{"minProtocol":99,"maxProtocol":99,"client":{"id":"cli","version":"0.0.1","platform":"linux","mode":"cli"}}})",
            "INVALID_REQUEST", "PROTOCOL_MISMATCH", "protocol mismatch", 1002, true},
        Row{"proto_low",
            R"({"type":"req","id":"c1","method":"connect","params":{"minProtocol":1,"maxProtocol":2,"client":{"id":"cli","version":"0.0.1","platform":"linux","mode":"cli"}}})",
            "INVALID_REQUEST", "PROTOCOL_MISMATCH", "protocol mismatch", 1002, true},
        Row{"not_connect", R"({"type":"req","id":"x1","method":"health"})", "INVALID_REQUEST", "",
            "invalid handshake: first request must be connect", 1008, true},
        Row{"missing_fields",
            R"({"type":"req","id":"c1","method":"connect","params":{"minProtocol":4,"maxProtocol":4}})",
            "INVALID_REQUEST", "", "invalid connect params: must have required property 'client'", 1008,
            true},
        Row{"bad_client_id",
            R"({"type":"req","id":"c1","method":"connect","params":{"minProtocol":4,"maxProtocol":4,"client":{"id":"my-custom-client","version":"0.0.1","platform":"linux","mode":"cli"}}})",
            "INVALID_REQUEST", "",
            "invalid connect params: at /client/id: must be equal to one of the allowed values", 1008, true},
        Row{"bad_json", "{not json", "", "", "", 1000, false},
        Row{"big_preauth", std::string(70000, ' '), "", "", "", 1009, false}),
    [](const ::testing::TestParamInfo<Row>& i) { return i.param.name; });

TEST_F(TokenGateway, ForeignOriginIsRefusedAndLocalOriginAccepted) {
    client::WsConnection evil;
    openPastChallenge(evil, gw_->url(), {{"Origin", "http://evil.example"}});
    evil.send(protocol::WsOpcode::Text, connectFrame(R"({"token":"T0k3n"})"));
    Next n = nextFrom(evil);
    ASSERT_TRUE(n.frame);
    json::ObjectPtr details = json::getObject(json::getObject(n.frame, "error"), "details");
    EXPECT_EQ(json::getString(details, "code"), "CONTROL_UI_ORIGIN_NOT_ALLOWED");
    EXPECT_EQ(nextFrom(evil).closeCode, 1008);

    client::WsConnection local;
    openPastChallenge(local, gw_->url(), {{"Origin", "http://127.0.0.1:" + std::to_string(gw_->port())}});
    local.send(protocol::WsOpcode::Text, connectFrame(R"({"token":"T0k3n"})"));
    n = nextFrom(local);
    ASSERT_TRUE(n.frame);
    EXPECT_EQ(json::getBool(n.frame, "ok"), true);
}

TEST_F(TokenGateway, AnyPathUpgrades) {
    for (const char* path : {"/", "/ws", "/some/other"}) {
        client::WsConnection ws;
        openPastChallenge(ws, gw_->url() + path);
    }
}

TEST(HandshakeTimeout, ClosesWith1000AndNoReason) {
    GatewayUnderTest gw(kTokenConfig, {}, {{"OPENCLAW_HANDSHAKE_TIMEOUT_MS", "300"}});
    client::WsConnection ws;
    openPastChallenge(ws, gw.url());
    Next n = nextFrom(ws, 10000);
    EXPECT_FALSE(n.frame);
    EXPECT_EQ(n.closeCode, 1000);
    EXPECT_EQ(n.closeReason, "");
}

TEST(PasswordGateway, AcceptsThePasswordAndRefusesWrongOnesAndTokens) {
    GatewayUnderTest gw(R"({ gateway: { mode: 'local', auth: { mode: 'password' } } })", {},
                        {{"OPENCLAW_GATEWAY_PASSWORD", "Pa55w0rd"}});
    client::ClientOptions good{gw.url()};
    good.password = "Pa55w0rd";
    client::GatewayClient ok(good);
    EXPECT_EQ(json::getString(json::getObject(ok.connect(), "auth"), "method"), "password");
    for (const std::string& auth :
         {std::string(R"({"password":"nope"})"), std::string(R"({"token":"Pa55w0rd"})")}) {
        client::WsConnection ws;
        openPastChallenge(ws, gw.url());
        ws.send(protocol::WsOpcode::Text, connectFrame(auth));
        Next n = nextFrom(ws);
        ASSERT_TRUE(n.frame) << auth;
        json::ObjectPtr err = json::getObject(n.frame, "error");
        EXPECT_EQ(json::getString(json::getObject(err, "details"), "code"), "AUTH_PASSWORD_MISMATCH") << auth;
        EXPECT_EQ(json::getString(json::getObject(err, "details"), "authReason"), "password_mismatch");
        EXPECT_EQ(nextFrom(ws).closeCode, 1008);
    }
}

TEST(RateLimit, LocksOutAfterMaxAttemptsWhenLoopbackIsNotExempt) {
    GatewayUnderTest gw(R"({ gateway: { mode: 'local', auth: { token: 'T0k3n',
                            rateLimit: { maxAttempts: 2, windowMs: 60000, lockoutMs: 60000, exemptLoopback: false } } } })",
                        {});
    for (int i = 0; i < 2; ++i) {
        client::GatewayClient c({gw.url(), std::string("WRONG")});
        EXPECT_THROW(c.connect(), client::GatewayError);
    }
    client::GatewayClient right({gw.url(), std::string("T0k3n")});
    try {
        right.connect();
        FAIL() << "a locked-out address got in";
    } catch (const client::GatewayError& e) {
        EXPECT_EQ(e.kind, client::GatewayError::Kind::Request);
        json::ObjectPtr d = json::asObject(e.rpc.details);
        EXPECT_EQ(json::getString(d, "code"), "AUTH_RATE_LIMITED");
        EXPECT_GT(json::getInt(d, "retryAfterMs").value_or(0), 0);
        EXPECT_GT(e.rpc.retryAfterMs.value_or(0), 0);
    }
}

TEST(AuthNone, LoopbackOnlyAndWarned) {
    GatewayUnderTest gw(R"({ gateway: { mode: 'local', auth: { mode: 'none' } } })", {});
    client::GatewayClient c({gw.url()});
    EXPECT_EQ(json::getString(json::getObject(c.connect(), "auth"), "method"), "none");
    EXPECT_NE(gw.process().err().find("auth mode=none explicitly configured"), std::string::npos);
}
