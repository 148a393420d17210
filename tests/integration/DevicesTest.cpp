// The bundled devices plugin over a real gateway, with hand-built frames (reference/nodes-and-devices.md
// §1.3): a connect carrying a device identity signed over this socket's challenge is admitted; each
// DEVICE_AUTH_* refusal answers the reference's message and details and closes 1008 with the message; a node
// without a device identity is refused; a refused shared token stays the answer even with a valid device.
#include "DeviceConnect.h"

#include "client/GatewayClient.h"

#include <gtest/gtest.h>

using namespace openclaw;
using namespace openclaw::test;

namespace {

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
    // Another key: a device paired as an operator asking for the node role is never approved silently.
    a = connectWithDevice(gw(), DeviceKey(), DeviceShape::node());
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

bool maps(int pid, const std::string& library) {
    return readFile("/proc/" + std::to_string(pid) + "/maps").find(library) != std::string::npos;
}

} // namespace

// libcrypto and SQLite come with devices-core.so at the first connect that carries a device (#27's rule: what
// a plugin needs costs memory only when it serves): a gateway nobody connects a device to never maps it.
TEST(DevicesMemory, TheProofAndStoreCodeIsLoadedAtTheFirstDeviceConnectOnly) {
    GatewayUnderTest gw("{ gateway: { mode: 'local', auth: { token: 'T0k3n' } } }", {});
    client::GatewayClient plain({gw.url(), std::string("T0k3n")});
    plain.connect();
    for (const char* library : {"libcrypto", "libsqlite3", "libPocoData"})
        EXPECT_FALSE(maps(gw.process().pid(), library))
            << library << " was mapped before any device connected";
    DeviceKey key;
    Answer a = connectWithDevice(gw, key, {});
    EXPECT_EQ(json::getBool(a.frame, "ok"), true) << json::stringify(a.frame);
    EXPECT_TRUE(maps(gw.process().pid(), "libcrypto"));
    EXPECT_TRUE(maps(gw.process().pid(), "libsqlite3"));
}
