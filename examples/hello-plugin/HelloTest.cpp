// The example plugin's unit test on the SDK's fake host (openclaw/testing/FakeHost.hpp): config in, method
// called, event and log line recorded, no gateway running.
#include "openclaw/testing/FakeHost.hpp"

#include <gtest/gtest.h>

TEST(Hello, GreetsWithItsConfiguredGreetingAndEmitsAnEvent) {
    openclaw::testing::FakeHost host(HELLO_PLUGIN);
    host.create(R"({"greeting":"Hi"})");
    EXPECT_EQ(host.call("hello.greet", R"({"name":"Ada"})"), R"({"text":"Hi, Ada"})");
    ASSERT_EQ(host.events().size(), 1u);
    EXPECT_EQ(host.events()[0].name, "hello.greeted");
    EXPECT_EQ(host.events()[0].payloadJson, R"({"text":"Hi, Ada"})");
    ASSERT_FALSE(host.logs().empty());
    EXPECT_EQ(host.logs()[0].message, "ready; hello.greet says \"Hi\"");
}

TEST(Hello, SaysHelloWithoutConfig) {
    openclaw::testing::FakeHost host(HELLO_PLUGIN);
    host.create();
    EXPECT_EQ(host.call("hello.greet"), R"({"text":"Hello, world"})");
}

// create() has the installed gateway check the plugin's folder: a config its schema refuses fails here with
// the gateway's own words, as it would at the gateway's start.
TEST(Hello, AConfigTheSchemaRefusesFailsAsInTheGateway) {
    openclaw::testing::FakeHost host(HELLO_PLUGIN);
    try {
        host.create(R"({"greeting":""})");
        FAIL() << "an empty greeting was accepted";
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(),
                     "invalid config: plugins.entries.hello.config.greeting must be at least 1 characters");
    }
}
