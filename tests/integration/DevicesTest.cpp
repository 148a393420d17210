// The bundled devices plugin over a real gateway, with hand-built frames (reference/nodes-and-devices.md
// §1.3): a connect carrying a device identity signed over this socket's challenge is admitted; each
// DEVICE_AUTH_* refusal answers the reference's message and details and closes 1008 with the message; a node
// without a device identity is refused; a refused shared token stays the answer even with a valid device.
#include "DeviceKey.h"
#include "Process.h"
#include "Wire.h"

#include "client/GatewayClient.h"

#include <gtest/gtest.h>

using namespace openclaw;
using namespace openclaw::test;

namespace {

/// The answer to a connect a test builds from this socket's challenge, and what followed it.
struct Answer {
    json::ObjectPtr frame;
    Next after;
};

/// How a test shapes the device object (all fields correct by default).
struct DeviceShape {
    std::string token = "T0k3n";
    std::string role = "operator";
    std::string scopes = R"(["operator.read"])";
    long long skewMs = 0;      ///< signedAt = challenge ts + this
    std::string nonce;         ///< "" = the challenge's
    bool blankNonce = false;   ///< send "  " as the nonce
    bool otherId = false;      ///< a device id that is not the key's
    bool badSignature = false; ///< sign another payload
    bool withDevice = true;
};

Answer connectWithDevice(const GatewayUnderTest& gw, const DeviceKey& key, const DeviceShape& s) {
    client::WsConnection ws;
    ws.open(gw.url(), 5000);
    Next challenge = nextFrom(ws);
    json::ObjectPtr payload = json::getObject(challenge.frame, "payload");
    const std::string nonce = json::getString(payload, "nonce").value_or("");
    const long long ts = json::getInt(payload, "ts").value_or(0);
    devices::DeviceClaim claim{s.otherId ? std::string(64, 'a') : key.deviceId(), key.publicKey(), "",
                               ts + s.skewMs,
                               s.blankNonce      ? "  "
                               : s.nonce.empty() ? nonce
                                                 : s.nonce};
    devices::SignedContext ctx;
    ctx.challengeNonce = nonce;
    ctx.clientId = s.role == "node" ? "node-host" : "cli";
    ctx.clientMode = s.role == "node" ? "node" : "cli";
    ctx.role = s.role;
    const json::ArrayPtr scopes = json::asArray(json::parse(s.scopes)); // kept: the loop reads through it
    for (const auto& v : *scopes)
        ctx.scopes.push_back(v.toString());
    ctx.token = s.token;
    ctx.platform = "linux";
    ctx.deviceFamily = "Linux";
    claim.signature = key.sign(devices::payloadV3(claim, ctx) + (s.badSignature ? "x" : ""));
    const std::string device = R"(,"device":{"id":")" + claim.id + R"(","publicKey":")" + claim.publicKey +
                               R"(","signature":")" + claim.signature + R"(","signedAt":)" +
                               std::to_string(claim.signedAt) + R"(,"nonce":")" + claim.nonce + "\"}";
    ws.send(
        protocol::WsOpcode::Text,
        R"({"type":"req","id":"c1","method":"connect","params":{"minProtocol":4,"maxProtocol":4,"client":{"id":")" +
            ctx.clientId + R"(","version":"1.0.0","platform":"linux","deviceFamily":"Linux","mode":")" +
            ctx.clientMode + R"("},"role":")" + s.role + R"(","scopes":)" + s.scopes +
            R"(,"auth":{"token":")" + s.token + "\"}" + (s.withDevice ? device : "") + "}}");
    Answer a;
    a.frame = nextFrom(ws).frame;
    if (a.frame && !json::getBool(a.frame, "ok").value_or(false)) a.after = nextFrom(ws);
    return a;
}

/// Checks a refusal: the error's code and message, details.code and (when given) details.reason, close 1008.
void expectRefused(const Answer& a, const std::string& code, const std::string& message,
                   const std::string& detailsCode, const std::string& reason = "") {
    ASSERT_TRUE(a.frame);
    EXPECT_EQ(json::getBool(a.frame, "ok"), false) << json::stringify(a.frame);
    json::ObjectPtr error = json::getObject(a.frame, "error");
    EXPECT_EQ(json::getString(error, "code"), code) << json::stringify(a.frame);
    EXPECT_EQ(json::getString(error, "message"), message);
    json::ObjectPtr details = json::getObject(error, "details");
    EXPECT_EQ(json::getString(details, "code"), detailsCode) << json::stringify(a.frame);
    if (!reason.empty()) {
        EXPECT_EQ(json::getString(details, "reason"), reason);
    }
    EXPECT_EQ(a.after.closeCode, 1008);
    EXPECT_EQ(a.after.closeReason, message);
}

class Devices : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        shared_.start("{ gateway: { mode: 'local', auth: { token: 'T0k3n' } } }");
    }
    static void TearDownTestSuite() { shared_.stop(); }
    void SetUp() override { ASSERT_TRUE(shared_.require()); }
    const GatewayUnderTest& gw() const { return *shared_.operator->(); }
    static SharedGateway shared_;
    DeviceKey key_;
};
SharedGateway Devices::shared_;

} // namespace

TEST_F(Devices, ASignedDeviceIdentityIsAdmitted) {
    Answer a = connectWithDevice(gw(), key_, {});
    ASSERT_TRUE(a.frame);
    EXPECT_EQ(json::getBool(a.frame, "ok"), true) << json::stringify(a.frame);
    DeviceShape node;
    node.role = "node";
    node.scopes = "[]";
    a = connectWithDevice(gw(), key_, node);
    EXPECT_EQ(json::getBool(a.frame, "ok"), true) << json::stringify(a.frame);
    DeviceShape earlier; // signed 60 s before the challenge: within the skew
    earlier.skewMs = -60000;
    EXPECT_EQ(json::getBool(connectWithDevice(gw(), key_, earlier).frame, "ok"), true);
}

TEST_F(Devices, EachProofFailureAnswersTheReferencesErrorAndCloses1008) {
    DeviceShape s;
    s.otherId = true;
    expectRefused(connectWithDevice(gw(), key_, s), "INVALID_REQUEST", "device identity mismatch",
                  "DEVICE_AUTH_DEVICE_ID_MISMATCH", "device-id-mismatch");
    s = {};
    s.skewMs = -121000;
    expectRefused(connectWithDevice(gw(), key_, s), "INVALID_REQUEST", "device signature expired",
                  "DEVICE_AUTH_SIGNATURE_EXPIRED", "device-signature-stale");
    s = {};
    s.blankNonce = true;
    expectRefused(connectWithDevice(gw(), key_, s), "INVALID_REQUEST", "device nonce required",
                  "DEVICE_AUTH_NONCE_REQUIRED", "device-nonce-missing");
    s = {};
    s.nonce = "the nonce of another socket";
    expectRefused(connectWithDevice(gw(), key_, s), "INVALID_REQUEST", "device nonce mismatch",
                  "DEVICE_AUTH_NONCE_MISMATCH", "device-nonce-mismatch");
    s = {};
    s.badSignature = true;
    expectRefused(connectWithDevice(gw(), key_, s), "INVALID_REQUEST", "device signature invalid",
                  "DEVICE_AUTH_SIGNATURE_INVALID", "device-signature");
}

TEST_F(Devices, ANodeWithoutADeviceIdentityIsRefused) {
    DeviceShape s;
    s.role = "node";
    s.scopes = "[]";
    s.withDevice = false;
    expectRefused(connectWithDevice(gw(), key_, s), "NOT_PAIRED", "device identity required",
                  "DEVICE_IDENTITY_REQUIRED");
}

TEST_F(Devices, AWrongSharedTokenIsReportedBeforeTheDevice) {
    DeviceShape s;
    s.token = "wrong";
    Answer a = connectWithDevice(gw(), key_, s);
    ASSERT_TRUE(a.frame);
    EXPECT_EQ(json::getString(json::getObject(json::getObject(a.frame, "error"), "details"), "code"),
              "AUTH_TOKEN_MISMATCH")
        << json::stringify(a.frame);
}

namespace {

bool mapsLibcrypto(int pid) {
    return readFile("/proc/" + std::to_string(pid) + "/maps").find("libcrypto") != std::string::npos;
}

} // namespace

// libcrypto comes with devices-proof.so at the first connect that carries a device (#27's rule: what a plugin
// needs costs memory only when it serves): a gateway nobody connects a device to never maps it.
TEST(DevicesMemory, TheProofCodeIsLoadedAtTheFirstDeviceConnectOnly) {
    GatewayUnderTest gw("{ gateway: { mode: 'local', auth: { token: 'T0k3n' } } }", {});
    client::GatewayClient plain({gw.url(), std::string("T0k3n")});
    plain.connect();
    EXPECT_FALSE(mapsLibcrypto(gw.process().pid())) << "libcrypto was mapped before any device connected";
    DeviceKey key;
    Answer a = connectWithDevice(gw, key, {});
    EXPECT_EQ(json::getBool(a.frame, "ok"), true) << json::stringify(a.frame);
    EXPECT_TRUE(mapsLibcrypto(gw.process().pid()));
}
