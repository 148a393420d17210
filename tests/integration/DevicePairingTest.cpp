// Device pairing and device tokens through the bundled devices plugin, over real gateways with hand-built
// frames (reference/nodes-and-devices.md §2): silent pairing on loopback, pending requests and
// PAIRING_REQUIRED when autoApproveLocal is off, the device.pair.* / device.token.* methods and their events,
// reconnects with a device token alone, sockets closed 4001 on remove/rotate/revoke, the SQLite store across
// a restart, a damaged store, and a flood of fresh keys that leaves the store bounded.
#include "DeviceConnect.h"

#include "client/GatewayClient.h"
#include "client/GatewayError.h"

#include <gtest/gtest.h>

#include <fstream>

#include <sys/stat.h>

using namespace openclaw;
using namespace openclaw::test;

namespace {

const char* kConfig = "{ gateway: { mode: 'local', auth: { token: 'T0k3n' } } }";
const char* kNoSilent = "{ gateway: { mode: 'local', auth: { token: 'T0k3n' }, nodes: { pairing: { "
                        "autoApproveLocal: false } } } }";

/// The error message a call answers (fails the test when it succeeds).
std::string errorOf(client::GatewayClient& c, const std::string& method, const std::string& params) {
    const auto [code, message] = failureOf(c, method, params);
    if (code.empty()) ADD_FAILURE() << method << " succeeded";
    return message;
}

json::ObjectPtr call(client::GatewayClient& c, const std::string& method, const std::string& params = "{}") {
    return json::asObject(c.call(method, json::parse(params)));
}

/// device.pair.list's entry for a device (null when absent).
json::ObjectPtr pairedEntry(client::GatewayClient& c, const std::string& deviceId) {
    const json::ArrayPtr paired = json::getArray(call(c, "device.pair.list"), "paired");
    for (size_t i = 0; paired && i < paired->size(); ++i) {
        json::ObjectPtr d = json::asObject(paired->get(static_cast<unsigned>(i)));
        if (json::getString(d, "deviceId") == deviceId) return d;
    }
    return nullptr;
}

size_t countOf(client::GatewayClient& c, const std::string& list) {
    const json::ArrayPtr a = json::getArray(call(c, "device.pair.list"), list);
    return a ? a->size() : 0;
}

int modeOf(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 ? static_cast<int>(st.st_mode & 0777) : -1;
}

} // namespace

TEST(DevicePairing, ALocalDeviceIsPairedSilentlyAndGetsOneStableDeviceToken) {
    GatewayUnderTest gw(kConfig, {});
    auto watcher = operatorWith(gw, {"operator.pairing"});
    DeviceKey key;
    Answer first = connectWithDevice(gw, key, {});
    ASSERT_TRUE(first.ok()) << json::stringify(first.frame);
    const std::string token = json::getString(first.auth(), "deviceToken").value_or("");
    EXPECT_EQ(token.size(), 43U);
    EXPECT_GT(json::getInt(first.auth(), "issuedAtMs").value_or(0), 0);
    json::ObjectPtr resolved = nextEventNamed(*watcher, "device.pair.resolved", 5000);
    ASSERT_TRUE(resolved);
    EXPECT_EQ(json::getString(json::getObject(resolved, "payload"), "decision"), "approved");
    EXPECT_EQ(json::getString(json::getObject(resolved, "payload"), "deviceId"), key.deviceId());

    Answer again = connectWithDevice(gw, key, {});
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(json::getString(again.auth(), "deviceToken"), token) << "the same token until rotated";

    json::ObjectPtr entry = pairedEntry(*watcher, key.deviceId());
    ASSERT_TRUE(entry);
    EXPECT_EQ(json::getString(entry, "approvedVia"), "silent");
    EXPECT_EQ(json::getBool(entry, "connected"), true);
    EXPECT_EQ(json::stringify(json::getArray(entry, "scopes")), R"(["operator.read"])");
    const json::ArrayPtr tokens = json::getArray(entry, "tokens");
    ASSERT_TRUE(tokens && tokens->size() == 1U) << json::stringify(entry);
    EXPECT_EQ(json::getString(json::asObject(tokens->get(0)), "role"), "operator");
    EXPECT_EQ(json::stringify(entry).find(token), std::string::npos) << "token values are never listed";

    // The store is ours, 0600 in a 0700 folder; the token secret too.
    const std::string native = gw.home() + "/.openclaw/native";
    EXPECT_EQ(modeOf(native), 0700);
    EXPECT_EQ(modeOf(native + "/devices.sqlite"), 0600);
    EXPECT_EQ(modeOf(native + "/device-token.key"), 0600);
}

TEST(DevicePairing, ADeviceTokenAloneReconnectsAndAWrongOneIsRefused) {
    GatewayUnderTest gw(kConfig, {});
    DeviceKey key;
    Answer paired = connectWithDevice(gw, key, {});
    ASSERT_TRUE(paired.ok()) << json::stringify(paired.frame);
    DeviceShape byToken;
    byToken.token.clear();
    byToken.deviceToken = json::getString(paired.auth(), "deviceToken").value_or("");
    Answer a = connectWithDevice(gw, key, byToken);
    ASSERT_TRUE(a.ok()) << json::stringify(a.frame);
    EXPECT_EQ(json::getString(a.auth(), "method"), "device-token");
    EXPECT_EQ(json::stringify(json::getArray(a.auth(), "scopes")), R"(["operator.read"])");

    byToken.scopes = R"(["operator.read","operator.write"])";
    a = connectWithDevice(gw, key, byToken);
    EXPECT_EQ(json::getString(a.details(), "code"), "AUTH_SCOPE_MISMATCH") << json::stringify(a.frame);
    EXPECT_EQ(a.after.closeCode, 1008);

    byToken.scopes = R"(["operator.read"])";
    byToken.deviceToken = "not-the-token-not-the-token-not-the-token00";
    a = connectWithDevice(gw, key, byToken);
    EXPECT_EQ(json::getString(a.error(), "message"),
              "unauthorized: device token mismatch (rotate/reissue device token)");
    EXPECT_EQ(json::getString(a.details(), "code"), "AUTH_DEVICE_TOKEN_MISMATCH");
    EXPECT_EQ(json::getString(a.details(), "recommendedNextStep"), "update_auth_credentials");
    EXPECT_EQ(a.after.closeCode, 1008);

    // Another device's token is not this one's.
    DeviceShape stranger = byToken;
    stranger.deviceToken = json::getString(paired.auth(), "deviceToken").value_or("");
    EXPECT_FALSE(connectWithDevice(gw, DeviceKey(), stranger).ok());
}

TEST(DevicePairing, WithoutSilentApprovalANodeWaitsForAnAdminsApproval) {
    GatewayUnderTest gw(kNoSilent, {});
    auto watcher = operatorWith(gw, {"operator.pairing"});
    DeviceKey key;
    Answer a = connectWithDevice(gw, key, DeviceShape::node());
    EXPECT_EQ(json::getString(a.error(), "code"), "NOT_PAIRED") << json::stringify(a.frame);
    EXPECT_EQ(json::getString(a.error(), "message"), "pairing required: device is not approved yet");
    EXPECT_EQ(json::getString(a.details(), "code"), "PAIRING_REQUIRED");
    EXPECT_EQ(json::getString(a.details(), "reason"), "not-paired");
    EXPECT_EQ(json::getString(a.details(), "requestedRole"), "node");
    const std::string requestId = json::getString(a.details(), "requestId").value_or("");
    ASSERT_EQ(requestId.size(), 36U);
    EXPECT_EQ(a.after.closeCode, 1008);
    EXPECT_EQ(a.after.closeReason,
              ("pairing required: device is not approved yet (requestId: " + requestId + ")").substr(0, 123));
    json::ObjectPtr requested = nextEventNamed(*watcher, "device.pair.requested", 5000);
    ASSERT_TRUE(requested);
    EXPECT_EQ(json::getString(json::getObject(requested, "payload"), "requestId"), requestId);

    // A retry refreshes the same request.
    a = connectWithDevice(gw, key, DeviceShape::node());
    EXPECT_EQ(json::getString(a.details(), "requestId"), requestId);
    EXPECT_EQ(countOf(*watcher, "pending"), 1U);

    EXPECT_EQ(errorOf(*watcher, "device.pair.approve", R"({"requestId":")" + requestId + "\"}"),
              "device pairing approval denied");
    auto admin = operatorWith(gw, {"operator.admin"});
    EXPECT_EQ(errorOf(*admin, "device.pair.approve", R"({"requestId":"nope"})"), "unknown requestId");
    EXPECT_EQ(errorOf(*admin, "device.pair.approve", R"({})"),
              "invalid device.pair.approve params: must have required property 'requestId'");
    json::ObjectPtr approved = call(*admin, "device.pair.approve", R"({"requestId":")" + requestId + "\"}");
    EXPECT_EQ(json::getString(json::getObject(approved, "device"), "approvedVia"), "owner");
    json::ObjectPtr resolved = nextEventNamed(*watcher, "device.pair.resolved", 5000);
    ASSERT_TRUE(resolved);
    EXPECT_EQ(json::getString(json::getObject(resolved, "payload"), "requestId"), requestId);

    a = connectWithDevice(gw, key, DeviceShape::node());
    ASSERT_TRUE(a.ok()) << json::stringify(a.frame);
    EXPECT_EQ(json::getString(a.auth(), "deviceToken").value_or("").size(), 43U);
    EXPECT_EQ(countOf(*watcher, "pending"), 0U);

    // Reject: the request goes, the device stays unpaired.
    DeviceKey other;
    a = connectWithDevice(gw, other, {});
    const std::string second = json::getString(a.details(), "requestId").value_or("");
    json::ObjectPtr rejected = call(*watcher, "device.pair.reject", R"({"requestId":")" + second + "\"}");
    EXPECT_EQ(json::getString(rejected, "deviceId"), other.deviceId());
    EXPECT_EQ(errorOf(*watcher, "device.pair.reject", R"({"requestId":")" + second + "\"}"),
              "unknown requestId");
}

TEST(DevicePairing, RotateRevokeAndRemoveCloseTheDevicesSockets4001) {
    GatewayUnderTest gw(kConfig, {});
    auto admin = operatorWith(gw, {"operator.admin"});
    DeviceKey key;
    Answer node = connectWithDevice(gw, key, DeviceShape::node());
    ASSERT_TRUE(node.ok()) << json::stringify(node.frame);
    const std::string oldToken = json::getString(node.auth(), "deviceToken").value_or("");

    json::ObjectPtr rotated =
        call(*admin, "device.token.rotate", R"({"deviceId":")" + key.deviceId() + R"(","role":"node"})");
    EXPECT_EQ(json::getString(rotated, "tokenDelivery"), "withheld-cross-device");
    EXPECT_FALSE(rotated->has("token"));
    Next closed = closeOf(*node.ws);
    EXPECT_EQ(closed.closeCode, 4001);
    EXPECT_EQ(closed.closeReason, "device removed");
    DeviceShape byOldToken = DeviceShape::node();
    byOldToken.token.clear();
    byOldToken.deviceToken = oldToken;
    EXPECT_EQ(json::getString(connectWithDevice(gw, key, byOldToken).details(), "code"),
              "AUTH_DEVICE_TOKEN_MISMATCH");
    node = connectWithDevice(gw, key, DeviceShape::node());
    ASSERT_TRUE(node.ok());
    EXPECT_NE(json::getString(node.auth(), "deviceToken"), oldToken) << "the shared token hands the new one";

    json::ObjectPtr revoked =
        call(*admin, "device.token.revoke", R"({"deviceId":")" + key.deviceId() + R"(","role":"node"})");
    EXPECT_GT(json::getInt(revoked, "revokedAtMs").value_or(0), 0);
    EXPECT_EQ(closeOf(*node.ws).closeCode, 4001);
    // A revoked node role is a role upgrade, never approved silently, even on loopback.
    Answer again = connectWithDevice(gw, key, DeviceShape::node());
    EXPECT_EQ(json::getString(again.details(), "reason"), "role-upgrade") << json::stringify(again.frame);

    auto pairing = operatorWith(gw, {"operator.pairing"});
    EXPECT_EQ(
        errorOf(*pairing, "device.token.revoke", R"({"deviceId":")" + key.deviceId() + R"(","role":"node"})"),
        "device token revocation denied");
    Answer op = connectWithDevice(gw, key, {});
    ASSERT_TRUE(op.ok()) << json::stringify(op.frame);
    json::ObjectPtr renamed = call(*pairing, "device.pair.rename",
                                   R"({"deviceId":")" + key.deviceId() + R"(","label":"Kitchen Box"})");
    EXPECT_EQ(json::getString(renamed, "label"), "Kitchen Box");
    EXPECT_TRUE(nextEventNamed(*pairing, "device.pair.changed", 5000));
    EXPECT_EQ(json::getString(pairedEntry(*pairing, key.deviceId()), "operatorLabel"), "Kitchen Box");
    call(*pairing, "device.pair.remove", R"({"deviceId":")" + key.deviceId() + "\"}");
    EXPECT_EQ(closeOf(*op.ws).closeCode, 4001);
    EXPECT_EQ(errorOf(*pairing, "device.pair.remove", R"({"deviceId":")" + key.deviceId() + "\"}"),
              "unknown deviceId");
}

TEST(DevicePairing, PairingSurvivesARestartAndADamagedStoreIsNamed) {
    TempDir state; // one state folder for three gateways in turn
    state.write("openclaw.json", kConfig);
    const std::map<std::string, std::string> env = {{"OPENCLAW_STATE_DIR", state.path()}};
    DeviceKey key;
    std::string token;
    {
        GatewayUnderTest gw("", {}, env);
        Answer a = connectWithDevice(gw, key, {});
        ASSERT_TRUE(a.ok()) << json::stringify(a.frame);
        token = json::getString(a.auth(), "deviceToken").value_or("");
    }
    {
        GatewayUnderTest gw("", {}, env);
        DeviceShape byToken;
        byToken.token.clear();
        byToken.deviceToken = token;
        Answer a = connectWithDevice(gw, key, byToken);
        EXPECT_TRUE(a.ok()) << "the same token after a restart: " << json::stringify(a.frame);
    }
    const std::string db = state.path() + "/native/devices.sqlite";
    {
        std::ofstream damaged(db, std::ios::trunc);
        damaged << std::string(4096, 'x');
    }
    GatewayUnderTest gw("", {}, env);
    Answer a = connectWithDevice(gw, key, {});
    EXPECT_EQ(json::getString(a.error(), "code"), "UNAVAILABLE") << json::stringify(a.frame);
    EXPECT_NE(json::getString(a.error(), "message").value_or("").find(db), std::string::npos)
        << "the message names the file: " << json::stringify(a.frame);
    // Shared-secret clients are still served.
    EXPECT_NO_THROW(operatorWith(gw, {"operator.read"}));
}

namespace {

/// 1 000 node connects, each with a fresh key and the same client: what is left in the store.
void flood(const char* config, size_t maxPending, size_t maxPaired) {
    GatewayUnderTest gw(config, {});
    for (int i = 0; i < 1000; ++i) {
        DeviceShape s = DeviceShape::node();
        s.displayName = "flood";
        connectWithDevice(gw, DeviceKey(), s);
    }
    auto admin = operatorWith(gw, {"operator.admin"});
    EXPECT_LE(countOf(*admin, "pending"), maxPending);
    EXPECT_LE(countOf(*admin, "paired"), maxPaired);
}

} // namespace

TEST(DevicePairing, AFloodOfFreshKeysWaitingForApprovalLeavesAtMost16Pending) {
    flood(kNoSilent, 16, 0);
}

// Silent pairings of one client that are not connected give way to the newest, as the reference prunes them.
TEST(DevicePairing, AFloodOfFreshKeysPairedSilentlyLeavesTheNewest) {
    flood(kConfig, 0, 1);
}
