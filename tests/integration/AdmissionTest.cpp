// The ABI 1.2 admission step over a real gateway, with the test-admission fixture: it sees the full connect
// params and this socket's challenge; it refuses after valid credentials with its own code and close reason;
// it admits with a device id, a device token in hello-ok and scopes narrowed within what was asked; it admits
// a client whose credentials were refused but that proved itself with a device token; and it runs in auth
// mode none too.
#include "Process.h"
#include "Wire.h"

#include "client/WsConnection.h"

#include <gtest/gtest.h>

using namespace openclaw;
using namespace openclaw::test;

namespace {

std::string admissionGateway(const std::string& auth = "{ token: 'T0k3n' }") {
    return "{ gateway: { mode: 'local', auth: " + auth + " }, plugins: { load: { paths: ['" +
           std::string(OPENCLAW_TEST_PLUGIN_DIR) + "/test-admission'] } } }";
}

/// The connect's answer (and the close that may follow) for a client with `displayName` and `auth`.
struct Outcome {
    json::ObjectPtr response;
    Next after;
    std::string nonce;
};

Outcome connectAs(const GatewayUnderTest& gw, const std::string& displayName, const std::string& auth,
                  const std::string& scopes = R"(["operator.read"])") {
    client::WsConnection ws;
    ws.open(gw.url(), 5000, {});
    Outcome o;
    Next challenge = nextFrom(ws);
    if (challenge.frame)
        o.nonce = json::getString(json::getObject(challenge.frame, "payload"), "nonce").value_or("");
    const std::string frame =
        R"({"type":"req","id":"c1","method":"connect","params":{"minProtocol":4,"maxProtocol":4,)"
        R"("client":{"id":"cli","version":"0.0.1","platform":"linux","mode":"cli","displayName":")" +
        displayName + R"("},"role":"operator","scopes":)" + scopes +
        (auth.empty() ? "" : ",\"auth\":" + auth) + "}}";
    ws.send(protocol::WsOpcode::Text, frame);
    o.response = nextFrom(ws).frame;
    if (o.response && json::getBool(o.response, "ok") == std::optional<bool>(true)) {
        ws.send(protocol::WsOpcode::Text,
                R"({"type":"req","id":"l1","method":"admission.last","params":{}})");
        o.after = nextFrom(ws);
    } else {
        o.after = nextFrom(ws, 5000);
    }
    return o;
}

} // namespace

TEST(Admission, ItSeesTheConnectAndThisSocketsChallengeAndPassesByDefault) {
    GatewayUnderTest gw(admissionGateway(), {});
    Outcome o = connectAs(gw, "plain", R"({"token":"T0k3n"})");
    ASSERT_TRUE(o.response);
    EXPECT_EQ(json::getBool(o.response, "ok"), true) << json::stringify(o.response);
    const std::string asked = json::stringify(o.after.frame);
    EXPECT_NE(asked.find("\"nonce\":\"" + o.nonce + "\""), std::string::npos) << asked;
    EXPECT_NE(asked.find("\"displayName\":\"plain\""), std::string::npos) << asked; // the connect as sent
    EXPECT_NE(asked.find("\"authMethod\":\"token\""), std::string::npos) << asked;
    EXPECT_NE(asked.find("\"credentials\":{\"ok\":true}"), std::string::npos) << asked;
}

TEST(Admission, ARefusalAfterValidCredentialsCarriesItsCodeDetailsAndCloseReason) {
    GatewayUnderTest gw(admissionGateway(), {});
    Outcome o = connectAs(gw, "needs-pairing", R"({"token":"T0k3n"})");
    ASSERT_TRUE(o.response);
    EXPECT_EQ(json::getBool(o.response, "ok"), false);
    const std::string text = json::stringify(o.response);
    EXPECT_NE(text.find("\"code\":\"NOT_PAIRED\""), std::string::npos) << text;
    EXPECT_NE(text.find("\"code\":\"PAIRING_REQUIRED\""), std::string::npos) << text;
    EXPECT_EQ(o.after.closeCode, 1008);
    EXPECT_EQ(o.after.closeReason, "pairing required");
}

TEST(Admission, AnAdmittedDeviceGetsItsTokenInHelloOkAndScopesWithinWhatItAsked) {
    GatewayUnderTest gw(admissionGateway(), {});
    // It asks for read and write; the plugin admits read and admin: the session gets read only.
    Outcome o = connectAs(gw, "device", R"({"token":"T0k3n"})", R"(["operator.read","operator.write"])");
    ASSERT_TRUE(o.response);
    json::ObjectPtr auth = json::getObject(json::getObject(o.response, "payload"), "auth");
    ASSERT_TRUE(auth) << json::stringify(o.response);
    EXPECT_EQ(json::getString(auth, "deviceToken"), "issued-1");
    EXPECT_EQ(json::stringify(auth->get("scopes")), R"(["operator.read"])");
    EXPECT_EQ(json::getString(auth, "method"), "token");
}

TEST(Admission, ADeviceTokenAloneAdmitsWhenThePluginVouchesForIt) {
    GatewayUnderTest gw(admissionGateway(), {});
    Outcome good = connectAs(gw, "paired-app", R"({"deviceToken":"dev-tok"})");
    ASSERT_TRUE(good.response);
    EXPECT_EQ(json::getBool(good.response, "ok"), true) << json::stringify(good.response);
    EXPECT_EQ(json::getString(json::getObject(json::getObject(good.response, "payload"), "auth"), "method"),
              "device-token");
    // Its request showed the credentials' refusal.
    EXPECT_NE(json::stringify(good.after.frame).find("\"credentials\":{\"ok\":false"), std::string::npos);
    Outcome bad = connectAs(gw, "paired-app", R"({"deviceToken":"wrong"})");
    ASSERT_TRUE(bad.response);
    EXPECT_EQ(json::getBool(bad.response, "ok"), false); // the plugin passed: the credentials' refusal stands
    EXPECT_EQ(bad.after.closeCode, 1008);
}

TEST(Admission, ItRunsInAuthModeNoneToo) {
    GatewayUnderTest gw(admissionGateway("{ mode: 'none' }"), {});
    Outcome o = connectAs(gw, "needs-pairing", "");
    ASSERT_TRUE(o.response);
    EXPECT_EQ(json::getBool(o.response, "ok"), false) << json::stringify(o.response);
    EXPECT_EQ(o.after.closeReason, "pairing required");
}
