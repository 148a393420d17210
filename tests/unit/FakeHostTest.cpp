// The SDK's fake host (openclaw/testing/FakeHost.hpp) against real plugin binaries: what a plugin author's
// unit test does without a gateway. Config in, methods called, timers fired by the test, events and log
// lines recorded, child processes answered from a script.
#include "openclaw/testing/FakeHost.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <thread>

namespace {

const std::string kFixtures = OPENCLAW_TEST_PLUGIN_DIR;

TEST(FakeHost, CallsMethodsWithTheConfigItGaveAndRecordsLogLinesAndEvents) {
    openclaw::testing::FakeHost host(kFixtures + "/test-good/test-good.so");
    host.create(R"({"greeting":"hi"})");
    EXPECT_EQ(host.call("test.config"), R"({"greeting":"hi"})");
    EXPECT_EQ(host.call("test.echo", R"({"x":1})"), R"({"x":1})");
    ASSERT_FALSE(host.logs().empty());
    EXPECT_EQ(host.logs().front().message, R"(created with config {"greeting":"hi"})");
    host.call("test.emit", R"({"n":2})");
    ASSERT_EQ(host.events().size(), 1u);
    EXPECT_EQ(host.events()[0].name, "test.event");
    EXPECT_EQ(host.events()[0].payloadJson, R"({"n":2})");
    try {
        host.call("test.refuse");
        FAIL() << "a refusal must throw";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("\"code\":\"FORBIDDEN\""), std::string::npos) << e.what();
    }
}

TEST(FakeHost, TimersRunWhenTheTestFiresThem) {
    openclaw::testing::FakeHost host(kFixtures + "/test-good/test-good.so");
    host.create();
    const std::string started = host.call("test.timer", R"({"ms":1000,"repeat":1,"tag":7})");
    EXPECT_EQ(host.pendingTimers(), 1u);
    EXPECT_TRUE(host.events().empty()) << "nothing runs until the test says so";
    host.fireTimers();
    host.fireTimers();
    ASSERT_EQ(host.events().size(), 2u);
    EXPECT_EQ(host.events()[1].payloadJson, R"({"tag":7,"n":2})");
    const std::string id = started.substr(started.find(':') + 1, started.find('}') - started.find(':') - 1);
    EXPECT_EQ(host.call("test.cancel", "{\"timer\":" + id + "}"), R"({"fired":2})");
    EXPECT_EQ(host.pendingTimers(), 0u);
}

TEST(FakeHost, ChildProcessesAreAnsweredFromTheScriptAndRecorded) {
    openclaw::testing::FakeHost host(kFixtures + "/test-services/test-services.so");
    host.create();
    host.scriptProcess("sh", {3, 0, false, "scripted out\n", "scripted err\n", false});
    EXPECT_EQ(host.call("svc.run"),
              R"({"exit":3,"signal":0,"timedOut":false,"out":"scripted out\n","err":"scripted err\n"})");
    ASSERT_EQ(host.processRequests().size(), 1u);
    EXPECT_EQ(host.processRequests()[0].argv,
              (std::vector<std::string>{"sh", "-c", "echo out; echo err >&2; exit 3"}));
    host.scriptProcess("no-such-program-here", {0, 0, false, "", "", true});
    EXPECT_THROW(host.call("svc.missing"), std::runtime_error);
    const std::string started = host.call("svc.start");
    EXPECT_EQ(host.runningProcesses(), 1u);
    const std::string id = started.substr(started.find(':') + 1, started.find(',') - started.find(':') - 1);
    EXPECT_EQ(host.call("svc.stop", "{\"id\":" + id + "}"),
              R"({"exitedBeforeStopReturned":true,"signal":15})");
    EXPECT_EQ(host.runningProcesses(), 0u);
    host.call("svc.state");
    EXPECT_EQ(host.stateChanges(), 1);
}

TEST(FakeHost, APluginThatNeedsANewerAbiIsRefusedWithBothVersions) {
    try {
        openclaw::testing::FakeHost host(kFixtures + "/test-future/test-future.so");
        FAIL() << "a plugin needing ABI 1.9 was accepted";
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(), "the plugin needs ABI 1.9; this fake host speaks 1.2");
    }
}

} // namespace

namespace {

TEST(FakeHost, ADeferredCallIsCompletedFromThePluginsThread) {
    openclaw::testing::FakeHost host(kFixtures + "/test-services/test-services.so");
    host.create();
    EXPECT_EQ(host.call("svc.later", R"({"ms":1})"), "") << "pending: no answer yet";
    const uint64_t call = host.lastDeferred();
    ASSERT_NE(call, 0u);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!host.completion(call) && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    ASSERT_TRUE(host.completion(call));
    EXPECT_EQ(host.completion(call)->first, OC_OK);
    EXPECT_EQ(host.completion(call)->second, R"({"late":true,"ms":1})");
}

} // namespace

namespace {

TEST(FakeHost, AReloadReconfiguresAPluginThatOffersItAndRecreatesOneThatRefuses) {
    const std::string report = ::testing::TempDir() + "fakehost-orchestra.txt";
    std::remove(report.c_str());
    openclaw::testing::FakeHost host(kFixtures + "/test-orchestra/test-orchestra.so");
    host.create(R"({"reportPath":")" + report + R"(","label":"one"})");
    EXPECT_TRUE(host.reload(R"({"reportPath":")" + report + R"(","label":"two"})"));
    EXPECT_FALSE(host.reload(R"({"reportPath":")" + report + R"(","label":"refuse"})"));
    host.destroy();
    std::ifstream in(report);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(text,
              "created one\nreconfigure two\nreconfigure refuse\ndestroyed\ncreated refuse\ndestroyed\n");
    ASSERT_FALSE(host.logs().empty());
    EXPECT_NE(host.logs().back().message.find("label refuse"), std::string::npos);
}

TEST(FakeHost, APluginWithoutReconfigureIsCreatedAgainOnReload) {
    openclaw::testing::FakeHost host(kFixtures + "/test-good/test-good.so");
    host.create(R"({"greeting":"hi"})");
    EXPECT_EQ(host.descriptor().reconfigure, nullptr) << "test-good does not override reconfigure";
    EXPECT_FALSE(host.reload(R"({"greeting":"again"})"));
    EXPECT_EQ(host.call("test.config"), R"({"greeting":"again"})");
}

} // namespace
