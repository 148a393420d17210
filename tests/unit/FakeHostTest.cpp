// The SDK's fake host (openclaw/testing/FakeHost.hpp) against real plugin binaries: what a plugin author's
// unit test does without a gateway. Config in, methods called, timers fired by the test, events and log
// lines recorded, child processes answered from a script.
#include "openclaw/testing/FakeHost.hpp"

#include "Process.h"

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
        EXPECT_STREQ(e.what(), "the plugin needs ABI 1.9; this fake host speaks 1.3");
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

// ABI 1.2 on the fake host: each addition can be driven without a gateway.
TEST(FakeHost12, AMethodSeesTheCallerItIsGivenAndTheScopeIsCheckedFirst) {
    openclaw::testing::FakeHost host(kFixtures + "/test-sessions/test-sessions.so");
    host.create();
    openclaw::testing::FakeHost::Caller admin;
    admin.sessionId = 42;
    admin.scopes = OC_SCOPE_ADMIN;
    admin.remoteAddress = "10.0.0.7";
    admin.loopback = false;
    const std::string who = host.callAs(admin, "sessions.whoami");
    EXPECT_NE(who.find("\"sessionId\":42"), std::string::npos) << who;
    EXPECT_NE(who.find("\"admin\":true"), std::string::npos) << who;
    EXPECT_NE(who.find("\"remote\":\"10.0.0.7\",\"loopback\":false"), std::string::npos) << who;
    openclaw::testing::FakeHost::Caller none;
    none.scopes = 0;
    EXPECT_THROW(host.callAs(none, "sessions.whoami"), std::runtime_error); // needs operator.read
}

TEST(FakeHost12, SessionEventsClosesAndDeadlinesAreRecorded) {
    openclaw::testing::FakeHost host(kFixtures + "/test-sessions/test-sessions.so");
    host.create();
    host.setSessions(R"([{"sessionId":7}])", {7});
    openclaw::testing::FakeHost::Caller c;
    EXPECT_EQ(host.callAs(c, "sessions.send", R"({"sessionId":7})"), R"({"sent":true})");
    EXPECT_EQ(host.callAs(c, "sessions.send", R"({"sessionId":8})"), R"({"sent":false})");
    ASSERT_EQ(host.sessionEvents().size(), 1u);
    EXPECT_EQ(host.sessionEvents()[0].event, "sessions.ping");
    EXPECT_FALSE(host.sessionEvents()[0].withSeq);
    EXPECT_EQ(host.callAs(c, "sessions.list"), R"([{"sessionId":7}])");
    EXPECT_EQ(host.callAs(c, "sessions.close", R"({"sessionId":7})"), R"({"closed":true})");
    ASSERT_EQ(host.closedSessions().size(), 1u);
    EXPECT_EQ(host.closedSessions()[0].second, 4001);
    EXPECT_EQ(host.callAs(c, "sessions.never", R"({"timeoutMs":60000})"), ""); // answered later
    const uint64_t call = host.lastDeferred();
    ASSERT_TRUE(host.deadline(call));
    EXPECT_EQ(host.deadline(call)->first, 60000u);
    EXPECT_NE(host.deadline(call)->second.find("NODE_TIMEOUT"), std::string::npos);
    // complete() with a handle the host never gave out is refused.
    EXPECT_EQ(host.callAs(c, "sessions.completeFor", R"({"call":999})").find("\"accepted\":false"), 1u);
}

TEST(FakeHost12, OnlyTheHooksAPluginOverridesAreRegistered) {
    openclaw::testing::FakeHost metrics(std::string(OPENCLAW_BUNDLED_PLUGIN_DIR) + "/metrics/metrics.so");
    metrics.create();
    EXPECT_TRUE(metrics.hookSessionOpen(R"({"role":"operator"})"));
    EXPECT_TRUE(metrics.hookRequest(R"({"method":"health","ok":true,"code":"","durationUs":12})"));
    EXPECT_TRUE(metrics.hookAuthResult(R"({"ok":false,"reason":"AUTH_TOKEN_MISMATCH"})"));
    EXPECT_FALSE(metrics.hookConfigReload("{}")); // metrics does not override onConfigReload
    const std::string answer = metrics.http(R"({"method":"GET","path":"/metrics"})", "/metrics");
    EXPECT_NE(answer.find("openclaw_requests_total{method=\\\"health\\\",code=\\\"OK\\\"} 1"),
              std::string::npos)
        << answer;
    EXPECT_NE(answer.find("openclaw_auth_failures_total{reason=\\\"AUTH_TOKEN_MISMATCH\\\"} 1"),
              std::string::npos)
        << answer;
    EXPECT_THROW(metrics.http(R"({"method":"GET","path":"/other"})", "/other"), std::runtime_error);
}

TEST(FakeHost12, TimersAndWorkReleaseTheirUserDataWhenTheyAreDone) {
    openclaw::testing::FakeHost host(kFixtures + "/test-good/test-good.so");
    host.create();
    const oc_host_api* api = nullptr;
    // The fake host's API as a plugin sees it: drive add_timer_ex/post_work_ex directly.
    struct Counts {
        int ran = 0, released = 0;
    } counts;
    auto run = [](void* u) { ++static_cast<Counts*>(u)->ran; };
    auto release = [](void* u) { ++static_cast<Counts*>(u)->released; };
    api = host.api();
    const uint64_t once = api->add_timer_ex(api->host_ctx, 10, 0, run, release, &counts);
    const uint64_t repeating = api->add_timer_ex(api->host_ctx, 10, 1, run, release, &counts);
    ASSERT_NE(once, 0u);
    api->post_work_ex(api->host_ctx, run, release, &counts);
    api->post_work_ex(api->host_ctx, run, release, &counts); // never run: released at destroy
    host.fireTimers();
    EXPECT_EQ(counts.released, 1); // the one-shot, after its run
    api->cancel_timer(api->host_ctx, repeating);
    EXPECT_EQ(counts.released, 2);
    host.destroy();
    EXPECT_EQ(counts.released, 4);
    EXPECT_EQ(counts.ran, 2);
}

namespace {

// The fake host is as strict as the gateway: create() has `openclaw plugins check` judge the plugin's folder,
// so each refusal below is the gateway's own message.
std::string createRefusal(const std::string& sharedObject, const std::string& configJson = "{}") {
    openclaw::testing::FakeHost host(sharedObject);
    try {
        host.create(configJson);
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "";
}

/// A copy of test-good's binary beside a manifest the test writes.
std::string withManifest(const openclaw::test::TempDir& dir, const std::string& manifest) {
    std::ifstream in(kFixtures + "/test-good/test-good.so", std::ios::binary);
    dir.write("p/test-good.so", std::string(std::istreambuf_iterator<char>(in), {}));
    dir.write("p/openclaw.plugin.json", manifest);
    return dir.path() + "/p/test-good.so";
}

TEST(FakeHostStrict, AConfigTheSchemaRefusesFailsCreateWithTheGatewaysMessage) {
    EXPECT_EQ(createRefusal(kFixtures + "/test-good/test-good.so", R"({"level":9})"),
              "invalid config: plugins.entries.test-good.config.level must be <= 5");
    EXPECT_EQ(createRefusal(kFixtures + "/test-good/test-good.so", R"({"level":3})"), "");
}

TEST(FakeHostStrict, ABuiltInMethodNameIsRefused) {
    EXPECT_EQ(createRefusal(kFixtures + "/test-clash/test-clash.so"),
              "it declares the method health, which the gateway or an earlier plugin already serves (rename "
              "it in the plugin)");
}

TEST(FakeHostStrict, AManifestWhoseIdOrAbiDisagreesWithTheBinaryIsRefused) {
    openclaw::test::TempDir dir;
    const std::string schema = R"("configSchema": {"type": "object"})";
    const std::string so = withManifest(
        dir,
        R"({"id":"other","version":"1.0.0","abi":"1.0","capabilities":["methods"],"library":"test-good.so",)" +
            schema + "}");
    EXPECT_NE(createRefusal(so).find("manifest id \"other\" disagrees with the binary's id \"test-good\""),
              std::string::npos)
        << createRefusal(so);
    openclaw::test::TempDir dir2;
    const std::string so2 = withManifest(
        dir2,
        R"({"id":"test-good","version":"1.0.0","abi":"1.1","capabilities":["methods"],"library":"test-good.so",)" +
            schema + "}");
    EXPECT_NE(createRefusal(so2).find("manifest says ABI 1.1 but the binary needs ABI 1.0"),
              std::string::npos)
        << createRefusal(so2);
    openclaw::test::TempDir dir3;
    const std::string so3 = withManifest(dir3, R"({"id":"test-good"})");
    EXPECT_NE(createRefusal(so3).find("openclaw.plugin.json"), std::string::npos) << createRefusal(so3);
}

} // namespace

namespace {

TEST(FakeHost, TheSharedSecretPluginsNeverBlockAndCheckTheSecret) {
    for (const char* id : {"auth-token", "auth-password"}) {
        openclaw::testing::FakeHost host(std::string(OPENCLAW_BUNDLED_PLUGIN_DIR) + "/" + id + "/" + id +
                                         ".so");
        const std::string field = std::string(id) == "auth-token" ? "token" : "password";
        host.setConfig("gateway", R"({"auth":{"mode":")" + field + R"(",")" + field + R"(":"s3cret"}})");
        host.create("{}");
        // So the gateway asks them on the connection's own thread and takes the answer at once.
        EXPECT_EQ(host.authFlags() & OC_AUTH_NEVER_BLOCKS, OC_AUTH_NEVER_BLOCKS) << id;
        EXPECT_TRUE(host.authCanDecide()) << id;
        EXPECT_EQ(host.verify(R"({"auth":{")" + field + R"(":"s3cret"}})"), R"({"ok":true})") << id;
        EXPECT_NE(host.verify(R"({"auth":{")" + field + R"(":"other"}})").find(R"("ok":false)"),
                  std::string::npos)
            << id;
    }
}

} // namespace
