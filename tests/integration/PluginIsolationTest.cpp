// A plugin that fails or hangs in init is disabled with a clear log; the gateway serves without it.
#include "Process.h"

#include "client/GatewayClient.h"

#include <gtest/gtest.h>

using namespace openclaw;
using namespace openclaw::test;

TEST(PluginIsolation, AHangingInitIsBoundedAndTheGatewayServesWithoutIt) {
    std::string config = std::string(R"({ gateway: { mode: 'local', auth: { token: 'T0k3n' } },
        plugins: { initTimeoutMs: 300, load: { paths: [')") +
                         OPENCLAW_TEST_PLUGIN_DIR + "/test-inithangs', '" + OPENCLAW_TEST_PLUGIN_DIR +
                         "/test-initfails', '" + OPENCLAW_TEST_PLUGIN_DIR + "/test-good'] } } }";
    GatewayUnderTest gw(config, {});
    ASSERT_TRUE(gw.waitReady());
    const std::string err = gw.process().err();
    EXPECT_NE(err.find("test-inithangs: "), std::string::npos) << err;
    EXPECT_NE(err.find("init did not finish within 300 ms (plugins.initTimeoutMs)"), std::string::npos)
        << err;
    EXPECT_NE(err.find("cannot start: no widget"), std::string::npos) << err;
    client::GatewayClient c({gw.url(), std::string("T0k3n")});
    c.connect();
    EXPECT_EQ(json::stringify(c.call("test.echo", json::parse(R"({"x":1})"))), R"({"x":1})");
    json::ObjectPtr health = json::asObject(c.call("health", json::parse(R"({"probe":true})")));
    std::string plugins = json::stringify(health->get("plugins"));
    EXPECT_NE(plugins.find("test-inithangs"), std::string::npos) << plugins; // listed among the errors
    EXPECT_NE(plugins.find("\"loaded\":["), std::string::npos);
    // It stops cleanly even with the stuck thread inside the plugin.
    EXPECT_EQ(gw.stop(), 0);
}
