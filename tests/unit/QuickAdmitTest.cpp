// The devices plugin's tree-free answer for connects without a device (plugins/devices/QuickAdmit.hpp): it
// passes exactly those Devices::admit passes without reading a device, and leaves every other one to it.
#include "QuickAdmit.hpp"

#include <gtest/gtest.h>

namespace {

using openclaw::devices::passWithoutDevice;

std::string request(const std::string& connect, bool credentialsOk) {
    return R"({"quick":true,"connect":)" + connect +
           R"(,"challenge":{"nonce":"n","ts":1},"authMethod":"token",)" +
           (credentialsOk
                ? R"("credentials":{"ok":true})"
                : R"("credentials":{"ok":false,"code":"INVALID_REQUEST","message":"m","details":{}})") +
           R"(,"remoteAddress":"127.0.0.1","isLoopback":true,"origin":""})";
}

TEST(QuickAdmit, PassesAConnectWithoutADeviceThatNeedsNone) {
    const std::string operatorConnect = R"({"minProtocol":4,"role":"operator","auth":{"token":"t"}})";
    EXPECT_EQ(passWithoutDevice(request(operatorConnect, true)), R"({"pass":true})");
    EXPECT_EQ(passWithoutDevice(request(R"({"minProtocol":4})", true)), R"({"pass":true})")
        << "role defaults";
    // A node whose shared secret was refused: that refusal stands, the plugin has no opinion.
    EXPECT_EQ(passWithoutDevice(request(R"({"role":"node"})", false)), R"({"pass":true})");
    EXPECT_EQ(passWithoutDevice(request(R"({"role":"node","device":null})", false)), R"({"pass":true})");
    EXPECT_EQ(passWithoutDevice(request("[]", true)), R"({"pass":true})") << "connect not an object";
    EXPECT_EQ(passWithoutDevice(request(R"({"device":{"id":"d"},"device":null})", true)), R"({"pass":true})")
        << "the last device member decides, as in a tree";
}

TEST(QuickAdmit, LeavesDevicesNodesAndAnythingUnexpectedToTheFullReading) {
    EXPECT_FALSE(passWithoutDevice(request(R"({"device":{"id":"d","publicKey":"k"}})", true)));
    EXPECT_FALSE(passWithoutDevice(request(R"({"device":{}})", false)));
    EXPECT_FALSE(passWithoutDevice(request(R"({"device":null,"device":{}})", true)));
    EXPECT_FALSE(passWithoutDevice(request(R"({"role":"node"})", true)))
        << "a node needs a device: refused there";
    EXPECT_FALSE(passWithoutDevice(request(R"({"role":7})", true)));
    EXPECT_FALSE(passWithoutDevice(R"({"connect":{},"credentials":{"ok":"yes"}})"));
    EXPECT_FALSE(passWithoutDevice("[]"));
    EXPECT_FALSE(passWithoutDevice(R"({"connect":{"role":"operator)"));
}

} // namespace
