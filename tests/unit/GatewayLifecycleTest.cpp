// The gateway's phases (server/GatewayLifecycle) driven one at a time, in-process, on real sockets:
// what each phase brings up, what a refusal leaves behind (nothing), reload and stop.
#include "Process.h"

#include "plugins/PluginHost.h"
#include "server/GatewayLifecycle.h"
#include "server/GatewayServer.h"

#include <gtest/gtest.h>

#include <csignal>
#include <thread>

using namespace openclaw;

namespace {

class Lifecycle : public ::testing::Test {
  protected:
    /// Writes <home>/.openclaw/openclaw.json.
    void writeConfig(const std::string& json5) { home_.write(".openclaw/openclaw.json", json5); }

    std::string tokenConfig(int port) const {
        return "{ gateway: { mode: 'local', port: " + std::to_string(port) +
               ", auth: { mode: 'token', token: 'secret-T' } } }";
    }

    std::unique_ptr<server::GatewayLifecycle> make(server::LifecycleOptions options = {}) {
        options.bundledPluginDirs = {OPENCLAW_BUNDLED_PLUGIN_DIR};
        config::Environment env({{"HOME", home_.path()}});
        auto lc = std::make_unique<server::GatewayLifecycle>(env, config::ProfileOptions{},
                                                             config::Overrides{}, options);
        lc->useConfig(lc->loadConfig());
        return lc;
    }

    test::TempDir home_;
};

TEST_F(Lifecycle, EachPhaseBringsUpItsPartAndStopTakesEverythingDown) {
    const int port = test::freePort();
    writeConfig(tokenConfig(port));
    auto lc = make();

    ASSERT_EQ(lc->resolveAuth(), 0);
    ASSERT_NE(lc->plugins(), nullptr);
    EXPECT_EQ(lc->server(), nullptr);
    EXPECT_TRUE(lc->plugins()->loaded().empty()) << "discovery loads no code";

    ASSERT_EQ(lc->loadPlugins(), 0);
    ASSERT_NE(lc->server(), nullptr);
    EXPECT_NE(lc->plugins()->authPlugin(config::AuthMode::Token), nullptr);
    EXPECT_EQ(test::httpGet(port, "/readyz").first, 0) << "nothing listens before bind()";

    ASSERT_EQ(lc->bind(), 0);
    EXPECT_EQ(lc->hosts().front(), "127.0.0.1");
    EXPECT_EQ(test::httpGet(port, "/readyz").first, 200);
    lc->startExposure(); // tailscale off: nothing to start
    lc->advertise();     // no discovery plugin enabled: nothing to hand a beacon to
    lc->ready();

    lc->stop("test");
    EXPECT_EQ(lc->server(), nullptr);
    EXPECT_EQ(lc->plugins(), nullptr);
    EXPECT_EQ(test::httpGet(port, "/readyz").first, 0) << "stop() closes the listeners";
}

TEST_F(Lifecycle, AGuardRefusalLoadsNoPluginAndBindsNothing) {
    const int port = test::freePort();
    writeConfig("{ gateway: { mode: 'local', bind: 'lan', port: " + std::to_string(port) +
                ", auth: { mode: 'none' } } }");
    auto lc = make();
    EXPECT_EQ(lc->resolveAuth(), server::kExitConfig);
    EXPECT_EQ(lc->plugins(), nullptr);
    EXPECT_EQ(lc->server(), nullptr);
}

TEST_F(Lifecycle, AnAuthModeNoEnabledPluginServesIsRefusedAtLoadPlugins) {
    const int port = test::freePort();
    writeConfig("{ gateway: { mode: 'local', port: " + std::to_string(port) +
                ", auth: { mode: 'password', password: 'pw' } },"
                " plugins: { entries: { 'auth-password': { enabled: false } } } }");
    auto lc = make();
    ASSERT_EQ(lc->resolveAuth(), 0);
    EXPECT_EQ(lc->loadPlugins(), server::kExitConfig);
    lc->stop("refused");
    EXPECT_EQ(test::httpGet(port, "/readyz").first, 0);
}

TEST_F(Lifecycle, ABusyPortFailsBindWithExitOne) {
    const int port = test::freePort();
    writeConfig(tokenConfig(port));
    auto first = make();
    ASSERT_EQ(first->start(), 0);
    auto second = make();
    ASSERT_EQ(second->resolveAuth(), 0);
    ASSERT_EQ(second->loadPlugins(), 0);
    EXPECT_EQ(second->bind(), 1);
    second->stop("startup failed");
    EXPECT_EQ(test::httpGet(port, "/readyz").first, 200) << "the first gateway is untouched";
}

TEST_F(Lifecycle, ReloadMovesToTheNewPort) {
    const int before = test::freePort();
    const int after = test::freePort();
    writeConfig(tokenConfig(before));
    auto lc = make();
    ASSERT_EQ(lc->start(), 0);
    writeConfig(tokenConfig(after));
    ASSERT_EQ(lc->reload(), 0);
    EXPECT_EQ(lc->config()->port, after);
    EXPECT_EQ(test::httpGet(after, "/readyz").first, 200);
    EXPECT_EQ(test::httpGet(before, "/readyz").first, 0);
}

TEST_F(Lifecycle, ReloadWithAnInvalidConfigKeepsTheRunningGateway) {
    const int port = test::freePort();
    writeConfig(tokenConfig(port));
    auto lc = make();
    ASSERT_EQ(lc->start(), 0);
    server::GatewayServer* running = lc->server();
    writeConfig("{ gateway: { mode: 'local', port: 'not a port' } }");
    EXPECT_EQ(lc->reload(), 0);
    EXPECT_EQ(lc->server(), running);
    EXPECT_EQ(lc->config()->port, port);
    EXPECT_EQ(test::httpGet(port, "/readyz").first, 200);
}

TEST_F(Lifecycle, ReloadIsIgnoredWhenRestartIsDisabled) {
    const int port = test::freePort();
    writeConfig("{ gateway: { mode: 'local', port: " + std::to_string(port) +
                ", auth: { mode: 'token', token: 'T' } }, commands: { restart: false } }");
    auto lc = make();
    ASSERT_EQ(lc->start(), 0);
    server::GatewayServer* running = lc->server();
    EXPECT_EQ(lc->reload(), 0);
    EXPECT_EQ(lc->server(), running);
}

TEST_F(Lifecycle, AStopRequestEndsStartBeforeBinding) {
    const int port = test::freePort();
    writeConfig(tokenConfig(port));
    auto lc = make();
    std::atomic<int> stopRequested{SIGTERM};
    EXPECT_EQ(lc->start(&stopRequested), server::GatewayLifecycle::kInterrupted);
    EXPECT_EQ(test::httpGet(port, "/readyz").first, 0);
    lc->stop("SIGTERM");
}

} // namespace

namespace {

/// Waits (bounded) until `path` holds `needle`; returns the file.
std::string waitForText(const std::string& path, const std::string& needle) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    std::string text = test::readFile(path);
    while (text.find(needle) == std::string::npos && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        text = test::readFile(path);
    }
    return text;
}

TEST_F(Lifecycle, TheHostPutsTheExposuresFactsInTheBeaconAndReAdvertisesWhenAPluginSaysItChanged) {
    const int port = test::freePort();
    const std::string report = home_.path() + "/orchestra.txt";
    writeConfig("{ gateway: { mode: 'local', port: " + std::to_string(port) +
                ", auth: { mode: 'token', token: 'T' }, tailscale: { mode: 'serve' } }, plugins: { deny: "
                "['tailscale'],"
                " load: { paths: ['" +
                std::string(OPENCLAW_TEST_PLUGIN_DIR) +
                "/test-orchestra'] }, entries: {"
                " 'test-orchestra': { config: { reportPath: '" +
                report + "' } }, tailscale: { config: { resetOnExit: true } } } } }");
    auto lc = make();
    ASSERT_EQ(lc->start(), 0);
    std::string text = test::readFile(report);
    EXPECT_NE(text.find("start {\"port\":" + std::to_string(port) +
                        ",\"mode\":\"serve\",\"resetOnExit\":true}\n"
                        "advertise {\"gatewayPort\":" +
                        std::to_string(port) +
                        ",\"gatewayTls\":false,\"tailnetDns\":\"gw.tailnet-a.ts.net\","),
              std::string::npos)
        << text;
    plugins::LoadedPlugin* p = lc->plugins()->loaded().front();
    ASSERT_EQ(p->callMethod(p->methods().front(), "{\"name\":\"gw.tailnet-b.ts.net\"}").status, OC_OK);
    text = waitForText(report, "gw.tailnet-b.ts.net");
    EXPECT_NE(text.find("\"tailnetDns\":\"gw.tailnet-b.ts.net\","), std::string::npos) << text;
    lc->stop("SIGTERM");
    text = test::readFile(report);
    EXPECT_NE(text.find("withdraw\nstop\n"), std::string::npos)
        << "withdraw, then the exposure reset: " << text;
}

/// The orchestra fixture on `port` in serve mode, with `label` in its config and `token` for auth.
std::string orchestraConfig(int port, const std::string& report, const std::string& label,
                            const std::string& token = "T", const std::string& extraDeny = "") {
    return "{ gateway: { mode: 'local', port: " + std::to_string(port) + ", auth: { mode: 'token', token: '" +
           token + "' }, tailscale: { mode: 'serve' } }, plugins: { deny: ['tailscale'" + extraDeny +
           "], load: { paths: ['" + std::string(OPENCLAW_TEST_PLUGIN_DIR) +
           "/test-orchestra'] }, entries: { 'test-orchestra': { config: { reportPath: '" + report +
           "', label: '" + label + "' } } } } }";
}

/// The start of the first beacon the orchestra fixture records.
const std::string kFirstBeacon = "advertise ";

/// What was recorded after the line holding the first `mark`.
std::string after(const std::string& text, const std::string& mark) {
    const size_t at = text.find(mark);
    const size_t eol = at == std::string::npos ? std::string::npos : text.find('\n', at);
    return eol == std::string::npos ? "" : text.substr(eol + 1);
}

TEST_F(Lifecycle, ReloadKeepsThePluginsReconfiguresThemAndReplacesTheBeaconWithoutWithdrawing) {
    const int port = test::freePort();
    const std::string report = home_.path() + "/orchestra.txt";
    writeConfig(orchestraConfig(port, report, "one"));
    auto lc = make();
    ASSERT_EQ(lc->start(), 0);
    plugins::LoadedPlugin* before = lc->plugins()->loaded().front();

    // Same port and mode, another token and label: the plugin and its route stay, the beacon is replaced.
    writeConfig(orchestraConfig(port, report, "two", "T2"));
    ASSERT_EQ(lc->reload(), 0);
    EXPECT_EQ(lc->plugins()->loaded().front(), before) << "the same instance serves on";
    std::string since = after(test::readFile(report), kFirstBeacon);
    EXPECT_EQ(since.find("reconfigure two\nadvertise {\"gatewayPort\":" + std::to_string(port)), 0u)
        << "reconfigured in place, then a new beacon, nothing else: " << since;
    EXPECT_EQ(since.find("withdraw"), std::string::npos) << since;
    EXPECT_EQ(since.find("stop"), std::string::npos) << "the route is kept: " << since;
    EXPECT_EQ(since.find("destroyed"), std::string::npos) << since;
    EXPECT_EQ(lc->plugins()->find("test-orchestra")->configJson.find("two") != std::string::npos, true);
    EXPECT_EQ(test::httpGet(port, "/readyz").first, 200);

    // Another port: the route is re-applied for it; still no withdraw.
    const int moved = test::freePort();
    writeConfig(orchestraConfig(moved, report, "three"));
    ASSERT_EQ(lc->reload(), 0);
    since = after(test::readFile(report), "reconfigure two\n");
    EXPECT_NE(since.find("stop\nreconfigure three\nstart {\"port\":" + std::to_string(moved)),
              std::string::npos)
        << since;
    EXPECT_EQ(since.find("withdraw"), std::string::npos) << since;
    EXPECT_EQ(test::httpGet(moved, "/readyz").first, 200);
    lc->stop("SIGTERM");
}

TEST_F(Lifecycle, APluginWhoseReconfigureFailsIsCreatedAgainAndAChangedLineupRestartsEverything) {
    const int port = test::freePort();
    const std::string report = home_.path() + "/orchestra.txt";
    writeConfig(orchestraConfig(port, report, "one"));
    auto lc = make();
    ASSERT_EQ(lc->start(), 0);

    writeConfig(orchestraConfig(port, report, "refuse"));
    ASSERT_EQ(lc->reload(), 0);
    std::string since = after(test::readFile(report), kFirstBeacon);
    EXPECT_EQ(since.find("reconfigure refuse\ndestroyed\ncreated refuse\n"), 0u) << since;
    ASSERT_FALSE(lc->plugins()->loaded().empty());
    EXPECT_EQ(lc->plugins()->loaded().front()->record().manifest.id, "test-orchestra");
    EXPECT_EQ(lc->plugins()->find("test-orchestra")->state, plugins::PluginState::Loaded);

    // Another plugin denied: the lineup changed, so everything is stopped (withdraw) and loaded again.
    writeConfig(orchestraConfig(port, report, "four", "T", ", 'ssh-tunnel'"));
    ASSERT_EQ(lc->reload(), 0);
    since = after(test::readFile(report), "created refuse\n");
    EXPECT_NE(since.find("withdraw\n"), std::string::npos) << since;
    EXPECT_NE(since.find("destroyed\ncreated four\n"), std::string::npos) << since;
    lc->stop("SIGTERM");
}

} // namespace
