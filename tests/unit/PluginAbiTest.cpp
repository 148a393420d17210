// ABI 1.x compatibility and the 1.1 host services, against real shared objects in-process: a plugin built
// against the frozen 1.0 headers, plugins that need a newer minor or another major, a C plugin with a
// larger descriptor, C plugins declaring capabilities without their vtables, child processes, descriptor
// watching, posted work, state_changed, and a create() that wakes up after the host gave up on it.
#include "Process.h"

#include "config/ConfigLoader.h"
#include "config/Json5Parser.h"
#include "plugins/PluginHost.h"

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <thread>

using namespace openclaw;

namespace {

const std::string kFixtures = OPENCLAW_TEST_PLUGIN_DIR;

config::GatewayConfigPtr configWith(const std::string& text) {
    config::Document d = config::parseJson5(text, "test.json");
    config::Paths p;
    p.home = "/nonexistent-home";
    p.stateDir = "/nonexistent-state";
    p.configPath = "/nonexistent-state/openclaw.json";
    return std::make_shared<const config::GatewayConfig>(
        config::buildConfig(&d, p, config::Environment(), {}));
}

std::string loading(const std::vector<std::string>& ids, const std::string& extra = "") {
    std::string paths;
    for (const auto& id : ids)
        paths += (paths.empty() ? "'" : ", '") + kFixtures + "/" + id + "'";
    return "{ plugins: { load: { paths: [" + paths + "] }" + extra + " } }";
}

/// Records what plugins ask of the host.
class FakeServices : public plugins::PluginServices {
  public:
    bool emitEvent(const std::string& event, const std::string& payload) override {
        std::lock_guard<std::mutex> lock(mu);
        events.push_back(event + " " + payload);
        return true;
    }
    std::string runtimeJson() const override { return "{\"port\":1}"; }
    void pluginStateChanged(const std::string& id) override {
        std::lock_guard<std::mutex> lock(mu);
        changed.push_back(id);
    }
    std::mutex mu;
    std::vector<std::string> events;
    std::vector<std::string> changed;
};

const plugins::PluginRecord& record(const plugins::PluginHost& h, const std::string& id) {
    const plugins::PluginRecord* r = h.find(id);
    if (!r) throw std::runtime_error("plugin not discovered: " + id);
    return *r;
}

/// Calls a plugin method by name.
plugins::LoadedPlugin::CallResult call(plugins::PluginHost& h, const std::string& method,
                                       const std::string& params = "{}") {
    for (plugins::LoadedPlugin* p : h.loaded())
        for (const oc_method_def& def : p->methods())
            if (method == def.name) return p->callMethod(def, params);
    throw std::runtime_error("no plugin serves " + method);
}

json::ObjectPtr object(const plugins::LoadedPlugin::CallResult& r) {
    EXPECT_EQ(r.status, OC_OK) << r.error;
    return json::asObject(json::parse(r.status == OC_OK ? r.result : "{}"));
}

bool processGone(int pid) {
    return ::kill(pid, 0) != 0 && errno == ESRCH;
}

TEST(PluginAbi, APluginBuiltAgainstTheFrozen10HeadersLoadsAndAnswers) {
    plugins::PluginHost host(
        configWith(loading({"test-v10"}, ", entries: { 'test-v10': { config: { word: 'hi' } } }")), {});
    host.discover();
    FakeServices services;
    host.load(&services);
    const auto& r = record(host, "test-v10");
    ASSERT_EQ(r.state, plugins::PluginState::Loaded) << r.error;
    EXPECT_EQ(r.binaryAbi.value_or(plugins::AbiVersion{}).text(), "1.0");
    EXPECT_EQ(call(host, "v10.echo", "{\"a\":1}").result, "{\"a\":1}");
    EXPECT_EQ(call(host, "v10.config").result, "{\"word\":\"hi\"}");
    EXPECT_EQ(host.loaded().at(0)->events(), std::vector<std::string>{"v10.event"});
}

TEST(PluginAbi, ABinaryThatNeedsANewerMinorIsRefusedNamingBothVersions) {
    plugins::PluginHost host(configWith(loading({"test-future"})), {});
    host.discover();
    host.load(nullptr);
    const auto& r = record(host, "test-future");
    EXPECT_EQ(r.state, plugins::PluginState::Error);
    EXPECT_EQ(r.binaryAbi.value_or(plugins::AbiVersion{}).text(), "1.9");
    EXPECT_NE(r.error.find("the binary needs plugin ABI 1.9; this gateway offers ABI 1.3"), std::string::npos)
        << r.error;
    EXPECT_NE(r.error.find("update the gateway"), std::string::npos) << r.error;
    EXPECT_TRUE(host.loaded().empty());
}

TEST(PluginAbi, AManifestThatNeedsANewerMinorIsRefusedBeforeLoadingCode) {
    test::TempDir dir;
    std::filesystem::copy(kFixtures + "/test-good", dir.path() + "/future",
                          std::filesystem::copy_options::recursive);
    std::string manifest = test::readFile(dir.path() + "/future/openclaw.plugin.json");
    manifest.replace(manifest.find("\"abi\": 1"), 8, "\"abi\": \"1.9\"");
    dir.write("future/openclaw.plugin.json", manifest);
    plugins::PluginHost host(configWith("{ plugins: { load: { paths: ['" + dir.path() + "/future'] } } }"),
                             {});
    host.discover();
    host.check();
    const auto& r = record(host, "test-good");
    EXPECT_EQ(r.state, plugins::PluginState::Error);
    EXPECT_FALSE(r.binaryAbi.has_value()) << "the binary was opened";
    EXPECT_NE(r.error.find("needs plugin ABI 1.9; this gateway offers ABI 1.3"), std::string::npos)
        << r.error;
}

TEST(PluginAbi, ADescriptorLargerThanTheHostsLoadsAndItsUnknownFieldsAreIgnored) {
    plugins::PluginHost host(configWith(loading({"test-c-bigger"})), {});
    host.discover();
    FakeServices services;
    host.load(&services);
    const auto& r = record(host, "test-c-bigger");
    ASSERT_EQ(r.state, plugins::PluginState::Loaded) << r.error;
    EXPECT_EQ(call(host, "c.hello").result, "{\"from\":\"c\"}");
}

TEST(PluginAbi, ACPluginDeclaringACapabilityWithoutItsVtableIsRefusedWithoutACrash) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"test-c-no-auth", "auth"},           {"test-c-no-exposure", "exposure"},
        {"test-c-no-discovery", "discovery"}, {"test-c-no-tunnel", "tunnel"},
        {"test-c-no-methods", "methods"},     {"test-c-no-hooks", "hooks"}};
    std::vector<std::string> ids;
    for (const auto& c : cases)
        ids.push_back(c.first);
    plugins::PluginHost host(configWith(loading(ids)), {});
    host.discover();
    FakeServices services;
    host.load(&services);
    EXPECT_TRUE(host.loaded().empty());
    for (const auto& [id, capability] : cases) {
        const auto& r = record(host, id);
        EXPECT_EQ(r.state, plugins::PluginState::Error) << id;
        EXPECT_NE(r.error.find("declares " + capability + " but its " + capability + " vtable is missing"),
                  std::string::npos)
            << id << ": " << r.error;
        EXPECT_NE(r.error.find(id + ".so"), std::string::npos) << r.error;
    }
}

class HostServices11 : public ::testing::Test {
  protected:
    void SetUp() override {
        host_ = std::make_unique<plugins::PluginHost>(configWith(loading({"test-services"})),
                                                      std::vector<std::string>{});
        host_->discover();
        host_->load(&services_);
        const auto& r = record(*host_, "test-services");
        ASSERT_EQ(r.state, plugins::PluginState::Loaded) << r.error;
        EXPECT_EQ(r.binaryAbi.value_or(plugins::AbiVersion{}).text(), "1.1");
    }
    FakeServices services_;
    std::unique_ptr<plugins::PluginHost> host_;
};

TEST_F(HostServices11, RunProcessCapturesOutputAndTheExitStatus) {
    json::ObjectPtr r = object(call(*host_, "svc.run"));
    EXPECT_EQ(json::getInt(r, "exit"), 3);
    EXPECT_EQ(json::getString(r, "out"), "out\n");
    EXPECT_EQ(json::getString(r, "err"), "err\n");
    EXPECT_EQ(json::getBool(r, "timedOut"), false);
}

TEST_F(HostServices11, RunProcessStopsAChildAtItsTimeoutWithSigterm) {
    const auto started = std::chrono::steady_clock::now();
    json::ObjectPtr r = object(call(*host_, "svc.timeout"));
    EXPECT_EQ(json::getBool(r, "timedOut"), true);
    EXPECT_EQ(json::getInt(r, "signal"), SIGTERM);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10)) << "a 30 s sleep ran out";
}

TEST_F(HostServices11, AProgramThatIsNotThereIsAnErrorNamingIt) {
    auto r = call(*host_, "svc.missing");
    EXPECT_EQ(r.status, OC_ERR);
    EXPECT_NE(r.error.find("no-such-program-here: not found on PATH"), std::string::npos) << r.error;
}

TEST_F(HostServices11, StopProcessReturnsOnceTheExitCallbackHasRun) {
    json::ObjectPtr started = object(call(*host_, "svc.start"));
    const int pid = static_cast<int>(json::getInt(started, "pid").value_or(0));
    ASSERT_GT(pid, 0);
    EXPECT_FALSE(processGone(pid));
    json::ObjectPtr stopped = object(
        call(*host_, "svc.stop", "{\"id\":" + std::to_string(json::getInt(started, "id").value_or(0)) + "}"));
    EXPECT_EQ(json::getBool(stopped, "exitedBeforeStopReturned"), true);
    EXPECT_EQ(json::getInt(stopped, "signal"), SIGTERM);
    EXPECT_TRUE(processGone(pid)) << "the child was not reaped";
}

TEST_F(HostServices11, ChildrenAPluginLeavesRunningAreStoppedWhenItIsDestroyed) {
    const int pid = static_cast<int>(json::getInt(object(call(*host_, "svc.orphan")), "pid").value_or(0));
    ASSERT_GT(pid, 0);
    EXPECT_FALSE(processGone(pid));
    host_->unload();
    EXPECT_TRUE(processGone(pid)) << "a plugin's child outlived the plugin";
}

TEST_F(HostServices11, AWatchedDescriptorCallsBackOnThePluginIoThread) {
    json::ObjectPtr r = object(call(*host_, "svc.watch"));
    EXPECT_EQ(json::getBool(r, "readable"), true);
    EXPECT_EQ(json::getString(r, "byte"), "x");
}

TEST_F(HostServices11, PostedWorkRunsOnAnotherThread) {
    json::ObjectPtr r = object(call(*host_, "svc.work"));
    EXPECT_EQ(json::getBool(r, "ran"), true);
    EXPECT_EQ(json::getBool(r, "otherThread"), true);
}

TEST_F(HostServices11, StateChangedReachesTheGateway) {
    call(*host_, "svc.state");
    std::lock_guard<std::mutex> lock(services_.mu);
    EXPECT_EQ(services_.changed, std::vector<std::string>{"test-services"});
}

TEST(PluginAbi, ACreateThatWakesAfterTheHostGaveUpFindsHarmlessServicesAndIsDestroyed) {
    test::TempDir dir;
    const std::string report = dir.path() + "/report.txt";
    {
        FakeServices services;
        plugins::PluginHost host(
            configWith(loading({"test-inithangs"}, ", initTimeoutMs: 100, entries: { "
                                                   "'test-inithangs': { config: { wakeAfterMs: "
                                                   "400, reportPath: '" +
                                                       report + "' } } }")),
            {});
        host.discover();
        host.load(&services);
        EXPECT_EQ(record(host, "test-inithangs").state, plugins::PluginState::Error);
        host.unload();
    } // the host and the gateway's services are gone (as after a restart) when the plugin wakes up
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (test::readFile(report).find("destroyed") == std::string::npos &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const std::string text = test::readFile(report);
    EXPECT_NE(text.find("add_timer=0 emit_event=1 post_work=1 watch_fd=0"), std::string::npos) << text;
    EXPECT_NE(text.find("destroyed"), std::string::npos) << "the late instance was never destroyed: " << text;
}

} // namespace
