// The tailscale plugin end to end through a real gateway process, with a STAND-IN `tailscale` (and a
// stand-in `sudo`) first on PATH: Tailscale cannot be installed on this machine or in CI. The stand-ins
// (tests/standins) accept only the exact command lines the plugin should run (anything else is logged as
// UNEXPECTED and exits 99), record each call, and answer with tailscale 1.102's real output formats,
// texts and exit codes. What is checked here is the process-level behaviour: the command lines, reset on
// each kind of exit, no pile-up of routes, the sudo fallback, a hanging CLI, reload, the tailnet name in
// `gateway status`, and the Tailscale Serve identity check against real sockets.
#include "Process.h"

#include "json/Json.h"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <thread>
#include <unistd.h>

using namespace openclaw;
using namespace openclaw::test;

namespace {

const std::string kStandIns = std::string(OPENCLAW_SOURCE_DIR) + "/tests/standins";
const std::string kName = "gw-host.tail4e2a7c.ts.net";

class TailscaleStandIn : public ::testing::Test {
  protected:
    void SetUp() override {
        port_ = freePort();
        home_.write("standin/calls", "");
    }
    std::string dir() const { return home_.path() + "/standin"; }
    /// A file of the stand-in's world (see tests/standins/tailscale).
    void world(const std::string& file, const std::string& content = "") const {
        home_.write("standin/" + file, content);
    }
    void writeConfig(const std::string& gatewayExtra, const std::string& pluginConfig = "{}") const {
        home_.write(".openclaw/openclaw.json",
                    "{ gateway: { mode: 'local', port: " + std::to_string(port_) + ", " + gatewayExtra +
                        " }, plugins: { entries: { tailscale: { config: " + pluginConfig + " } } } }");
    }
    std::map<std::string, std::string> env() const {
        const char* path = std::getenv("PATH");
        std::map<std::string, std::string> e = {{"HOME", home_.path()},
                                                {"PATH", kStandIns + ":" + (path ? path : "/usr/bin:/bin")},
                                                {"STANDIN_DIR", dir()}};
        for (const char* k : {"OPENCLAW_GATEWAY_TOKEN", "OPENCLAW_GATEWAY_PASSWORD", "OPENCLAW_STATE_DIR",
                              "OPENCLAW_CONFIG_PATH", "OPENCLAW_HOME", "OPENCLAW_GATEWAY_PORT",
                              "OPENCLAW_PROFILE", "OPENCLAW_NATIVE_CONFIG"})
            e[k] = "";
        return e;
    }
    std::unique_ptr<ChildProcess> start(const std::vector<std::string>& extra = {}) {
        std::vector<std::string> argv = {openclawBin(), "gateway", "run"};
        argv.insert(argv.end(), extra.begin(), extra.end());
        auto p = std::make_unique<ChildProcess>(argv, env());
        // /readyz answers once the gateway listens; the exposure is started after that, before "ready".
        EXPECT_TRUE(waitForOutput(*p, "[gateway] ready")) << p->out() << p->err();
        return p;
    }
    /// The stand-ins' calls since the last take.
    std::string takeCalls() {
        const std::string all = readFile(dir() + "/calls");
        std::string fresh = all.substr(std::min(seen_, all.size()));
        seen_ = all.size();
        return fresh;
    }
    /// Waits (bounded) until the gateway's output holds `text` `times` times.
    static bool waitForOutput(ChildProcess& p, const std::string& text, int times = 1,
                              int timeoutMs = 30000) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
        while (std::chrono::steady_clock::now() < deadline) {
            const std::string all = p.out() + p.err();
            int seen = 0;
            for (size_t at = all.find(text); at != std::string::npos; at = all.find(text, at + 1))
                ++seen;
            if (seen >= times) return true;
            if (!p.running()) return false;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return false;
    }
    std::string serveStart() const {
        return "tailscale version\ntailscale serve status --json\ntailscale serve --bg --yes " +
               std::to_string(port_) + "\ntailscale status --json\n";
    }

    TempDir home_;
    int port_ = 0;
    size_t seen_ = 0;
};

TEST_F(TailscaleStandIn, ServeRunsTheExactCommandsLogsTheNameAndResetsOnSigterm) {
    writeConfig("auth: { mode: 'token', token: 'T' }, tailscale: { mode: 'serve' }");
    auto gw = start({"--tailscale-reset-on-exit"});
    EXPECT_EQ(takeCalls(), serveStart());
    EXPECT_NE(
        gw->out().find("[tailscale] serve enabled: https://" + kName + "/ (WS via wss://" + kName + ")"),
        std::string::npos)
        << gw->out();
    EXPECT_EQ(gw->stop(SIGTERM), 0) << gw->out() << gw->err();
    EXPECT_EQ(takeCalls(), "tailscale serve reset\n");
    EXPECT_EQ(readFile(dir() + "/routes"), "");
}

// #27's rule (what a plugin needs costs memory only when it serves): the route, the identity overlay and the
// tailscale CLI's driver live in tailscale-core.so, mapped at the first call that needs Tailscale. A gateway
// with gateway.tailscale.mode off and allowTailscale off runs no tailscale command and never maps it.
TEST_F(TailscaleStandIn, TheCoreIsMappedOnlyWhenTheGatewayUsesTailscale) {
    auto maps = [](ChildProcess& p) { return readFile("/proc/" + std::to_string(p.pid()) + "/maps"); };
    writeConfig("auth: { mode: 'token', token: 'T' }");
    auto off = start();
    const std::string offMaps = maps(*off);
    EXPECT_NE(offMaps.find("/tailscale.so"), std::string::npos) << "the plugin's face is loaded";
    EXPECT_EQ(offMaps.find("tailscale-core.so"), std::string::npos) << "mapped with Tailscale off";
    EXPECT_EQ(off->stop(SIGTERM), 0) << off->out() << off->err();
    EXPECT_EQ(takeCalls(), "");

    writeConfig("auth: { mode: 'token', token: 'T' }, tailscale: { mode: 'serve' }");
    auto on = start();
    EXPECT_EQ(takeCalls(), serveStart());
    EXPECT_NE(maps(*on).find("tailscale-core.so"), std::string::npos) << "not mapped with serve on";
    EXPECT_EQ(on->stop(SIGTERM), 0) << on->out() << on->err();
}

TEST_F(TailscaleStandIn, FunnelIsResetOnSigint) {
    writeConfig("auth: { mode: 'password', password: 'P' }, tailscale: { mode: 'funnel' }",
                "{ resetOnExit: true }");
    home_.write(".openclaw/native.json5",
                "{ plugins: { entries: { tailscale: { config: { resetOnExit: true } } } } }");
    writeConfig("auth: { mode: 'password', password: 'P' }, tailscale: { mode: 'funnel' }");
    auto gw = start();
    EXPECT_NE(takeCalls().find("tailscale funnel --bg --yes " + std::to_string(port_) + "\n"),
              std::string::npos);
    EXPECT_NE(gw->out().find("[tailscale] funnel enabled: https://" + kName + "/"), std::string::npos)
        << gw->out();
    EXPECT_EQ(gw->stop(SIGINT), 0) << gw->out() << gw->err();
    EXPECT_EQ(takeCalls(), "tailscale funnel reset\n");
}

TEST_F(TailscaleStandIn, AFailedStartWarnsKeepsServingAndIsStillResetOnExit) {
    world("state", "NeedsLogin");
    writeConfig("auth: { mode: 'token', token: 'T' }, tailscale: { mode: 'serve' }");
    auto gw = start({"--tailscale-reset-on-exit"});
    EXPECT_TRUE(waitForOutput(*gw, "tailscale serve failed: Logged out."));
    EXPECT_EQ(httpGet(port_, "/readyz").first, 200) << "the gateway keeps serving";
    takeCalls();
    EXPECT_EQ(gw->stop(SIGTERM), 0);
    EXPECT_EQ(takeCalls(), "tailscale serve reset\n");
}

TEST_F(TailscaleStandIn, ThreeRestartsLeaveOneRoute) {
    writeConfig("auth: { mode: 'token', token: 'T' }, tailscale: { mode: 'serve' }");
    for (int run = 0; run < 3; ++run) {
        auto gw = start();
        const std::string calls = takeCalls();
        EXPECT_EQ(calls.find("tailscale serve --yes --https=443 --set-path=/ off\n") != std::string::npos,
                  run > 0)
            << "run " << run << ": " << calls;
        EXPECT_EQ(gw->stop(SIGTERM), 0);
        EXPECT_EQ(takeCalls(), "") << "no reset without reset-on-exit";
    }
    EXPECT_EQ(readFile(dir() + "/routes"), "serve " + std::to_string(port_) + "\n");
}

TEST_F(TailscaleStandIn, APermissionErrorIsRetriedWithSudo) {
    world("needs-root");
    writeConfig("auth: { mode: 'token', token: 'T' }, tailscale: { mode: 'serve' }");
    auto gw = start();
    const std::string p = std::to_string(port_);
    EXPECT_NE(takeCalls().find("tailscale serve --bg --yes " + p + "\nsudo -n " + kStandIns +
                               "/tailscale serve --bg --yes " + p + "\n[sudo] tailscale serve --bg --yes " +
                               p + "\n"),
              std::string::npos);
    EXPECT_TRUE(waitForOutput(*gw, "serve enabled: https://" + kName));
    EXPECT_EQ(gw->stop(SIGTERM), 0);
}

TEST_F(TailscaleStandIn, ASudoThatWantsAPasswordIsExplainedAndTheGatewayServes) {
    world("needs-root");
    world("sudo-password");
    writeConfig("auth: { mode: 'token', token: 'T' }, tailscale: { mode: 'serve' }");
    auto gw = start();
    EXPECT_TRUE(waitForOutput(
        *gw, "Tailscale serve needs elevated access and non-interactive sudo failed: sudo: a password is "
             "required. "
             "Run `sudo tailscale set --operator=$USER` once so the unprivileged path succeeds."))
        << gw->out() << gw->err();
    EXPECT_EQ(httpGet(port_, "/readyz").first, 200);
    EXPECT_EQ(gw->stop(SIGTERM), 0);
}

TEST_F(TailscaleStandIn, AHangingTailscaleIsBoundedAndTheGatewayServesMeanwhile) {
    world("hang-serve");
    writeConfig("auth: { mode: 'token', token: 'T' }, tailscale: { mode: 'serve' }", "{ timeoutMs: 1000 }");
    auto gw = start();
    EXPECT_TRUE(waitForOutput(*gw, "tailscale serve failed: timed out")) << gw->out() << gw->err();
    EXPECT_EQ(httpGet(port_, "/readyz").first, 200);
    EXPECT_EQ(gw->stop(SIGTERM), 0);
}

TEST_F(TailscaleStandIn, AReloadKeepsTheRouteUnlessThePortChanges) {
    writeConfig("auth: { mode: 'token', token: 'T' }, tailscale: { mode: 'serve' }");
    auto gw = start();
    takeCalls();
    writeConfig("auth: { mode: 'token', token: 'T2' }, tailscale: { mode: 'serve' }");
    gw->signal(SIGUSR1);
    ASSERT_TRUE(waitForOutput(*gw, "keeping the plugins"));
    ASSERT_TRUE(waitForOutput(*gw, "[gateway] ready", 2)) << gw->out();
    EXPECT_EQ(takeCalls(), "") << "same port and mode: the route stays, nothing is run";

    const int before = port_;
    port_ = freePort();
    writeConfig("auth: { mode: 'token', token: 'T2' }, tailscale: { mode: 'serve' }");
    gw->signal(SIGUSR1);
    ASSERT_TRUE(waitForOutput(*gw, "[gateway] ready", 3)) << gw->out();
    const std::string calls = takeCalls();
    EXPECT_NE(calls.find("tailscale serve --yes --https=443 --set-path=/ off\n"), std::string::npos) << calls;
    EXPECT_NE(calls.find("tailscale serve --bg --yes " + std::to_string(port_)), std::string::npos) << calls;
    EXPECT_EQ(readFile(dir() + "/routes"), "serve " + std::to_string(port_) + "\n")
        << "moved from " << before;
    EXPECT_EQ(gw->stop(SIGTERM), 0);
}

TEST_F(TailscaleStandIn, GatewayStatusAndProbeShowTheTailnetName) {
    writeConfig("auth: { mode: 'token', token: 'T' }, tailscale: { mode: 'serve' }");
    RunResult human = run({openclawBin(), "gateway", "status", "--no-probe"}, env());
    EXPECT_NE(human.out.find("Tailscale: serve https://" + kName + "/ (WS via wss://" + kName + ")"),
              std::string::npos)
        << human.out << human.err;
    RunResult js = run({openclawBin(), "gateway", "status", "--no-probe", "--json"}, env());
    json::ObjectPtr ts =
        json::getObject(json::getObject(json::asObject(json::parse(js.out)), "gateway"), "tailscale");
    ASSERT_TRUE(ts) << js.out;
    EXPECT_EQ(json::getString(ts, "dnsName"), kName);
    EXPECT_EQ(json::getString(ts, "address"), "100.101.42.7");
    EXPECT_EQ(json::getString(ts, "url"), "https://" + kName + "/");
    RunResult probe = run({openclawBin(), "gateway", "probe", "--json"}, env());
    json::ObjectPtr net = json::getObject(json::asObject(json::parse(probe.out)), "network");
    ASSERT_TRUE(net) << probe.out;
    EXPECT_EQ(json::getString(json::getObject(net, "tailscale"), "dnsName"), kName) << probe.out;
    RunResult info = run({openclawBin(), "plugins", "info", "tailscale"}, env());
    EXPECT_NE(info.out.find("  binary: " + kStandIns + "/tailscale\n"), std::string::npos) << info.out;
    EXPECT_NE(info.out.find("  backendState: Running\n"), std::string::npos) << info.out;
    EXPECT_EQ(readFile(dir() + "/calls").find("UNEXPECTED"), std::string::npos);
}

// ---- Tailscale Serve identity (gateway.auth.allowTailscale) ----

class TailscaleStandInIdentity : public TailscaleStandIn {
  protected:
    void SetUp() override {
        TailscaleStandIn::SetUp();
        world("whois-100.88.14.93", "alice@example.com");
        // The test process plays tailscaled's serve proxy: its sockets' owner is the one to trust.
        writeConfig("auth: { mode: 'token', token: 'T', allowTailscale: true }",
                    "{ tailscaledUser: '" + std::to_string(::getuid()) + "' }");
        gw_ = start();
    }
    void TearDown() override { EXPECT_EQ(gw_->stop(SIGTERM), 0) << gw_->out() << gw_->err(); }
    /// The gateway's answer to a connect carrying the serve proxy's headers for `login` from `ip`.
    RunResult connect(const std::string& login, const std::string& ip = "100.88.14.93",
                      const std::string& auth = "-", const std::vector<std::string>& runAs = {}) {
        std::vector<std::string> argv = runAs;
        argv.insert(argv.end(), {OPENCLAW_TEST_WS_CONNECT, "ws://127.0.0.1:" + std::to_string(port_), auth,
                                 "Tailscale-User-Login=" + login, "X-Forwarded-For=" + ip,
                                 "X-Forwarded-Proto=https", "X-Forwarded-Host=" + kName});
        return run(argv, {}, 30000);
    }
    std::unique_ptr<ChildProcess> gw_;
};

TEST_F(TailscaleStandInIdentity, AVouchedIdentityIsAcceptedWithoutAToken) {
    RunResult r = connect("Alice@Example.com");
    EXPECT_NE(r.out.find("\"ok\":true"), std::string::npos) << r.out << r.err;
    EXPECT_NE(r.out.find("\"hello-ok\""), std::string::npos) << r.out;
    EXPECT_NE(takeCalls().find("tailscale whois --json 100.88.14.93\n"), std::string::npos);
    connect("alice@example.com");
    EXPECT_EQ(takeCalls().find("whois"), std::string::npos) << "answered from the cache";
}

TEST_F(TailscaleStandInIdentity, AMismatchAndAFailingWhoisAreRefusedWithTheirCodes) {
    RunResult mismatch = connect("mallory@example.com");
    EXPECT_NE(mismatch.out.find("AUTH_TAILSCALE_IDENTITY_MISMATCH"), std::string::npos) << mismatch.out;
    RunResult unknown = connect("alice@example.com", "100.88.14.200");
    EXPECT_NE(unknown.out.find("AUTH_TAILSCALE_WHOIS_FAILED"), std::string::npos) << unknown.out;
    RunResult withToken = connect("mallory@example.com", "100.88.14.93", R"({"token":"T"})");
    EXPECT_NE(withToken.out.find("\"hello-ok\""), std::string::npos)
        << "the token still lets it in: " << withToken.out;
}

TEST_F(TailscaleStandInIdentity, HeadersForgedByAnotherUsersProcessAreIgnored) {
    if (::getuid() != 0 || ::access("/usr/bin/setpriv", X_OK) != 0)
        GTEST_SKIP() << "needs root and /usr/bin/setpriv to run the forging client as another user";
    RunResult r = connect("alice@example.com", "100.88.14.93", "-",
                          {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"});
    EXPECT_EQ(r.out.find("\"hello-ok\""), std::string::npos)
        << "forged headers must not let it in: " << r.out;
    EXPECT_NE(r.out.find("\"ok\":false"), std::string::npos) << r.out << r.err << r.code;
    EXPECT_EQ(takeCalls().find("whois"), std::string::npos) << "no whois for a forged claim";
    EXPECT_TRUE(waitForOutput(*gw_, "ignored tailscale identity headers from a local process of uid 65534"));
}

} // namespace

namespace {

// ---- bind=tailnet, in a network namespace of the test's own that has the stand-in's tailnet address ----

class TailscaleStandInTailnetBind : public TailscaleStandIn {
  protected:
    void SetUp() override {
        TailscaleStandIn::SetUp();
        if (::getuid() != 0 || ::access("/usr/bin/unshare", X_OK) != 0 ||
            ::access("/usr/bin/nsenter", X_OK) != 0)
            GTEST_SKIP() << "needs root, unshare and nsenter for a network namespace with a tailnet address";
        RunResult probe = run({"/usr/bin/unshare", "--net", "/bin/sh", "-c", "ip link set lo up"}, {}, 10000);
        if (probe.code != 0) GTEST_SKIP() << "cannot create a network namespace here: " << probe.err;
    }
    /// The gateway in a new network namespace whose loopback also carries the tailnet address (unshare and
    /// sh exec into the gateway: the child's pid is the gateway's).
    std::unique_ptr<ChildProcess> startInNamespace() {
        const std::string script = "ip link set lo up && ip addr add 100.101.42.7/32 dev lo && exec " +
                                   openclawBin() + " gateway run";
        return std::make_unique<ChildProcess>(
            std::vector<std::string>{"/usr/bin/unshare", "--net", "/bin/sh", "-c", script}, env());
    }
    /// `gateway health` against the tailnet address, from inside the gateway's namespace.
    RunResult healthOnTailnet(int pid) const {
        return run({"/usr/bin/nsenter", "--net=/proc/" + std::to_string(pid) + "/ns/net", openclawBin(),
                    "gateway", "health", "--url", "ws://100.101.42.7:" + std::to_string(port_), "--token",
                    "T"},
                   env(), 30000);
    }
};

TEST_F(TailscaleStandInTailnetBind, ListensOnTheTailnetAddressAndOnLoopback) {
    writeConfig("bind: 'tailnet', auth: { mode: 'token', token: 'T' }");
    auto gw = startInNamespace();
    ASSERT_TRUE(waitForOutput(*gw, "[gateway] ready")) << gw->out() << gw->err();
    const std::string p = std::to_string(port_);
    EXPECT_NE(gw->out().find("listening on ws://100.101.42.7:" + p + ", ws://127.0.0.1:" + p),
              std::string::npos)
        << gw->out();
    RunResult health = healthOnTailnet(gw->pid());
    EXPECT_EQ(health.code, 0) << health.out << health.err;
    EXPECT_EQ(gw->stop(SIGTERM), 0) << gw->out() << gw->err();
}

TEST_F(TailscaleStandInTailnetBind, AnAddressThatAppearsLaterGetsItsListenerWithoutARestart) {
    world("state", "NeedsLogin");
    writeConfig("bind: 'tailnet', auth: { mode: 'token', token: 'T' }", "{ addressPollMs: 200 }");
    auto gw = startInNamespace();
    ASSERT_TRUE(waitForOutput(*gw, "[gateway] ready")) << gw->out() << gw->err();
    EXPECT_NE((gw->out() + gw->err())
                  .find("bind=tailnet: no tailnet address available; listening on loopback only"),
              std::string::npos)
        << gw->out() << gw->err();
    EXPECT_NE(healthOnTailnet(gw->pid()).code, 0) << "not on the tailnet yet";
    world("state", "Running");
    ASSERT_TRUE(waitForOutput(*gw, "now also listening on ws://100.101.42.7:" + std::to_string(port_)))
        << gw->out() << gw->err();
    RunResult health = healthOnTailnet(gw->pid());
    EXPECT_EQ(health.code, 0) << health.out << health.err;
    EXPECT_EQ(gw->stop(SIGTERM), 0) << gw->out() << gw->err();
}

} // namespace
