// `openclaw gateway run` as an operator meets it: guards (exit 78), config errors, signals,
// --force, --dev, and `plugins list`.
#include "Process.h"
#include "Wire.h"

#include "client/GatewayClient.h"

#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <set>
#include <sys/stat.h>
#include <thread>

using namespace openclaw;
using namespace openclaw::test;

namespace {

RunResult runGatewayExpectingExit(const std::string& configJson, const std::vector<std::string>& args,
                                  std::map<std::string, std::string> env = {}) {
    TempDir home;
    if (!configJson.empty()) home.write(".openclaw/openclaw.json", configJson);
    env["HOME"] = home.path();
    env["OPENCLAW_GATEWAY_TOKEN"] = env.count("OPENCLAW_GATEWAY_TOKEN") ? env["OPENCLAW_GATEWAY_TOKEN"] : "";
    std::vector<std::string> argv = {openclawBin(), "gateway", "run", "--port", std::to_string(freePort())};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, env, 20000);
}

} // namespace

TEST(Guards, NoConfigIsRefusedWith78) {
    RunResult r = runGatewayExpectingExit("", {"--token", "T"});
    EXPECT_EQ(r.code, 78);
    EXPECT_NE(
        r.err.find(
            "Missing config. Run `openclaw setup` or set gateway.mode=local (or pass --allow-unconfigured)."),
        std::string::npos)
        << r.err;
}

TEST(Guards, LanWithoutAuthIsRefused) {
    RunResult r = runGatewayExpectingExit("", {"--allow-unconfigured", "--bind", "lan", "--auth", "none"});
    EXPECT_EQ(r.code, 78);
    EXPECT_NE(r.err.find("auth mode=none explicitly configured"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("Refusing to bind gateway to lan without auth."), std::string::npos) << r.err;
    RunResult r2 = runGatewayExpectingExit("", {"--allow-unconfigured", "--bind", "lan"});
    EXPECT_EQ(r2.code, 78);
    EXPECT_NE(r2.err.find("Set OPENCLAW_GATEWAY_TOKEN or OPENCLAW_GATEWAY_PASSWORD"), std::string::npos);
}

TEST(Guards, FunnelNeedsPasswordAndServeNeedsLoopback) {
    RunResult funnel =
        runGatewayExpectingExit("", {"--allow-unconfigured", "--token", "T", "--tailscale", "funnel"});
    EXPECT_EQ(funnel.code, 78);
    EXPECT_NE(funnel.err.find("tailscale funnel requires gateway auth mode=password"), std::string::npos)
        << funnel.err;
    RunResult serve = runGatewayExpectingExit(
        "", {"--allow-unconfigured", "--token", "T", "--tailscale", "serve", "--bind", "lan"});
    EXPECT_EQ(serve.code, 78);
    EXPECT_NE(serve.err.find("tailscale serve/funnel requires gateway bind=loopback"), std::string::npos)
        << serve.err;
}

TEST(Guards, TailscaleNeedsItsPluginEnabled) {
    RunResult r =
        runGatewayExpectingExit(R"({ gateway: { mode: 'local' }, plugins: { deny: ['tailscale'] } })",
                                {"--token", "T", "--tailscale", "serve"});
    EXPECT_EQ(r.code, 78);
    EXPECT_NE(r.err.find("needs the tailscale plugin, which is disabled (denied by plugins.deny)"),
              std::string::npos)
        << r.err;
}

TEST(Guards, InvalidConfigNamesFileLineColumnAndKey) {
    RunResult r =
        runGatewayExpectingExit("{\n  gateway: {\n    mode: 'local',\n    bind: '0.0.0.0',\n  },\n}\n", {});
    EXPECT_EQ(r.code, 78);
    EXPECT_NE(r.err.find("/.openclaw/openclaw.json:4:11: gateway.bind: invalid value \"0.0.0.0\""),
              std::string::npos)
        << r.err;
    RunResult syntax = runGatewayExpectingExit("{ gateway: { mode: 'local' ", {});
    EXPECT_EQ(syntax.code, 78);
    EXPECT_NE(syntax.err.find("openclaw.json:1:12: unterminated object"), std::string::npos) << syntax.err;
}

TEST(Guards, ResetNeedsDevAndUnknownOptionsAreRefused) {
    RunResult r = runGatewayExpectingExit("", {"--reset"});
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("--reset requires --dev"), std::string::npos);
    RunResult bad = runGatewayExpectingExit("", {"--frobnicate"});
    EXPECT_EQ(bad.code, 1);
    EXPECT_NE(bad.err.find("OpenClaw does not recognize option \"--frobnicate\"."), std::string::npos);
}

/// Sends `sig` to a gateway with one authenticated session; the session must see the shutdown event
/// and a 1012 close, and the gateway must exit 0 and say which signal stopped it.
void expectGracefulStop(int sig, const std::string& name) {
    GatewayUnderTest gw(R"({ gateway: { mode: 'local', auth: { token: 'T0k3n' } } })", {});
    client::WsConnection ws;
    openPastChallenge(ws, gw.url());
    ws.send(protocol::WsOpcode::Text, connectFrame(R"({"token":"T0k3n"})"));
    ASSERT_EQ(json::getBool(nextFrom(ws).frame, "ok"), true);
    gw.process().signal(sig);
    bool sawShutdown = false;
    int close = 0;
    for (int i = 0; i < 20 && close == 0; ++i) {
        Next n = nextFrom(ws);
        if (n.frame && json::getString(n.frame, "event") == "shutdown") sawShutdown = true;
        if (n.closeCode) close = n.closeCode;
        if (n.dropped || n.timedOut) break;
    }
    EXPECT_TRUE(sawShutdown) << name;
    EXPECT_EQ(close, 1012) << name;
    EXPECT_EQ(gw.process().stop(sig), 0) << name;
    EXPECT_NE(gw.process().out().find("received " + name + "; shutting down"), std::string::npos)
        << gw.process().out();
}

TEST(Signals, SigtermSendsShutdownClosesWith1012AndExitsZero) {
    expectGracefulStop(SIGTERM, "SIGTERM");
}

TEST(Signals, SigintAlsoSendsShutdownClosesWith1012AndExitsZero) {
    expectGracefulStop(SIGINT, "SIGINT");
}

TEST(Signals, Sigusr1RestartsInProcessAndRereadsConfig) {
    GatewayUnderTest gw(R"({ gateway: { mode: 'local', auth: { token: 'T0k3n' } } })", {});
    client::GatewayClient before({gw.url(), std::string("T0k3n")});
    std::string bootBefore =
        json::getString(json::getObject(before.connect(), "server"), "bootId").value_or("");
    // Change the token on disk; the restart must pick it up.
    TempDir scratch;
    std::string cfgPath = gw.home() + "/.openclaw/openclaw.json";
    std::ofstream(cfgPath) << R"({ gateway: { mode: 'local', auth: { token: 'N3w' } } })";
    int pid = gw.process().pid();
    gw.process().signal(SIGUSR1);
    // The old session is closed with 1012 by the restart.
    int closeCode = 0;
    try {
        for (int i = 0; i < 100; ++i)
            before.nextEvent(200);
        ADD_FAILURE() << "the session outlived the restart";
    } catch (const client::GatewayError& e) {
        closeCode = e.closeCode;
    }
    EXPECT_EQ(closeCode, 1012);
    ASSERT_TRUE(gw.waitReady());
    client::GatewayClient after({gw.url(), std::string("N3w")});
    std::string bootAfter;
    for (int i = 0; i < 50 && bootAfter.empty(); ++i) {
        try {
            bootAfter = json::getString(json::getObject(after.connect(), "server"), "bootId").value_or("");
        } catch (const client::GatewayError&) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
    EXPECT_FALSE(bootAfter.empty());
    EXPECT_NE(bootAfter, bootBefore);
    EXPECT_EQ(gw.process().pid(), pid);
    EXPECT_TRUE(gw.process().running());
    EXPECT_NE(gw.process().out().find("SIGUSR1: restarting in-process"), std::string::npos);
}

TEST(Signals, Sigusr1IsIgnoredWhenCommandsRestartIsFalse) {
    GatewayUnderTest gw(
        R"({ gateway: { mode: 'local', auth: { token: 'T0k3n' } }, commands: { restart: false } })", {});
    client::GatewayClient c({gw.url(), std::string("T0k3n")});
    c.connect();
    gw.process().signal(SIGUSR1);
    for (int i = 0; i < 100 && gw.process().err().find("restart is disabled") == std::string::npos; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_NE(gw.process().err().find("SIGUSR1 received but restart is disabled (commands.restart=false)"),
              std::string::npos);
    EXPECT_EQ(json::getBool(json::asObject(c.call("health")), "ok"), true); // same session still served
}

TEST(Force, StopsWhateverListensOnThePortAndSaysWhat) {
    GatewayUnderTest first(R"({ gateway: { mode: 'local', auth: { token: 'T0k3n' } } })", {});
    std::vector<std::string> argv = {openclawBin(), "gateway", "run", "--port", std::to_string(first.port()),
                                     "--force"};
    std::map<std::string, std::string> env = first.env();
    ChildProcess second(argv, env);
    EXPECT_EQ(first.process().wait(15000), 0); // SIGTERM: graceful
    bool ready = false;
    for (int i = 0; i < 500 && !ready; ++i) {
        ready = httpGet(first.port(), "/readyz").first == 200;
        if (!ready) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_TRUE(ready) << second.err();
    EXPECT_NE(second.out().find("--force: stopped pid " + std::to_string(first.process().pid())),
              std::string::npos)
        << second.out();
    EXPECT_EQ(second.stop(), 0);
}

TEST(Dev, CreatesConfigWithATokenPrintedOnceAndServesIt) {
    TempDir home;
    int port = freePort();
    std::map<std::string, std::string> env = {{"HOME", home.path()}, {"OPENCLAW_GATEWAY_TOKEN", ""}};
    ChildProcess gw({openclawBin(), "--dev", "gateway", "run", "--port", std::to_string(port)}, env);
    ASSERT_TRUE(waitReadyz(gw, port)) << gw.out() << gw.err();
    std::string out = gw.out();
    size_t at = out.find("shown only now): ");
    ASSERT_NE(at, std::string::npos) << out << gw.err();
    std::string token = out.substr(at + 17, 64);
    std::string cfg = readFile(home.path() + "/.openclaw-dev/openclaw.json");
    EXPECT_NE(cfg.find(token), std::string::npos);
    struct stat st {};
    ::stat((home.path() + "/.openclaw-dev/openclaw.json").c_str(), &st);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_EQ(readFile(home.path() + "/.openclaw-dev/logs/gateway.log").find(token), std::string::npos)
        << "the token must not reach the log file";
    client::GatewayClient c({"ws://127.0.0.1:" + std::to_string(port), token});
    EXPECT_NO_THROW(c.connect());
    EXPECT_EQ(gw.stop(), 0);
}

/// The environment of a plugins command with no gateway behind its port (a port reserved, never listening).
std::map<std::string, std::string> noGateway(const TempDir& home) {
    return {{"HOME", home.path()}, {"OPENCLAW_GATEWAY_PORT", std::to_string(freePort())}};
}

TEST(PluginsCommand, ListJsonShowsTheSevenWithTheirAbi) {
    TempDir home;
    RunResult r = run({openclawBin(), "plugins", "list", "--json"}, noGateway(home));
    ASSERT_EQ(r.code, 0) << r.err;
    json::ObjectPtr out = json::asObject(json::parse(r.out));
    json::ArrayPtr list = json::getArray(out, "plugins");
    ASSERT_TRUE(list);
    std::set<std::string> ids;
    for (size_t i = 0; i < list->size(); ++i) {
        json::ObjectPtr p = json::asObject(list->get(static_cast<unsigned>(i)));
        ids.insert(json::getString(p, "id").value_or(""));
        // tailscale, bonjour and ssh-tunnel use the 1.1 host services (child processes, deferred answers);
        // metrics the 1.2 hooks and HTTP routes; devices the 1.2 admission step with the 1.3 quick-first flag
        // and node-only methods.
        const std::string id = json::getString(p, "id").value_or("");
        EXPECT_EQ(json::getString(p, "abi"), id == "devices"             ? "1.3"
                                             : id == "metrics"           ? "1.2"
                                             : id.rfind("auth-", 0) == 0 ? "1.0"
                                                                         : "1.1");
        EXPECT_TRUE(p->has("enabled"));
        EXPECT_TRUE(p->has("enabledReason"));
        EXPECT_TRUE(p->has("path"));
    }
    EXPECT_EQ(ids, (std::set<std::string>{"auth-token", "auth-password", "tailscale", "bonjour", "ssh-tunnel",
                                          "metrics", "devices"}));
    RunResult info = run({openclawBin(), "plugins", "info", "bonjour", "--json"}, noGateway(home));
    ASSERT_EQ(info.code, 0);
    EXPECT_NE(info.out.find("\"configSchema\""), std::string::npos);
    RunResult missing = run({openclawBin(), "plugins", "info", "nope"}, noGateway(home));
    EXPECT_EQ(missing.code, 1);
    EXPECT_NE(missing.err.find("Plugin not found: nope"), std::string::npos);
}

TEST(PluginsCommand, HumanListFollowsTheConfig) {
    TempDir home;
    RunResult defaults = run({openclawBin(), "plugins", "list"}, noGateway(home));
    ASSERT_EQ(defaults.code, 0) << defaults.err;
    EXPECT_EQ(defaults.out.rfind("Plugins (7)\nRunning gateway: none answered (", 0), 0u) << defaults.out;
    EXPECT_NE(defaults.out.find("- auth-token 0.1.0  abi 1.0  [auth]  checked, not tried (no gateway "
                                "running) (enabled by default)\n"),
              std::string::npos)
        << defaults.out;
    EXPECT_NE(defaults.out.find("/lib/openclaw/plugins/auth-token/auth-token.so\n"), std::string::npos);
    EXPECT_NE(defaults.out.find("- tailscale 0.2.0  abi 1.1  [exposure,auth]  checked, not tried (no gateway "
                                "running) (enabled by default)\n"),
              std::string::npos)
        << defaults.out;
    RunResult js = run({openclawBin(), "plugins", "info", "ssh-tunnel", "--json"}, noGateway(home));
    EXPECT_EQ(json::getString(json::asObject(json::parse(js.out)), "status"), "not-tried") << js.out;

    home.write(
        ".openclaw/openclaw.json",
        std::string("{ plugins: { deny: ['auth-password'], entries: { 'ssh-tunnel': { enabled: false } },"
                    " load: { paths: ['") +
            OPENCLAW_TEST_PLUGIN_DIR + "/test-good'] } } }");
    RunResult configured = run({openclawBin(), "plugins", "list"}, noGateway(home));
    ASSERT_EQ(configured.code, 0) << configured.err;
    EXPECT_EQ(configured.out.rfind("Plugins (8)\n", 0), 0u) << configured.out;
    EXPECT_NE(
        configured.out.find("- auth-password 0.1.0  abi 1.0  [auth]  disabled (denied by plugins.deny)\n"),
        std::string::npos)
        << configured.out;
    EXPECT_NE(configured.out.find("- ssh-tunnel 0.2.0  abi 1.1  [tunnel]  disabled (disabled by "
                                  "plugins.entries.ssh-tunnel.enabled)\n"),
              std::string::npos)
        << configured.out;
    EXPECT_NE(configured.out.find("- test-good "), std::string::npos) << configured.out;
    EXPECT_NE(configured.out.find(std::string(OPENCLAW_TEST_PLUGIN_DIR) + "/test-good/"), std::string::npos);
}

TEST(FailFast, AnAuthModeNoEnabledPluginServesExits78AtOnce) {
    RunResult disabled =
        runGatewayExpectingExit("{ gateway: { mode: 'local', auth: { mode: 'token', token: 'T' } },"
                                " plugins: { entries: { 'auth-token': { enabled: false } } } }",
                                {});
    EXPECT_EQ(disabled.code, 78);
    EXPECT_NE(disabled.err.find("auth mode token is not served by any enabled plugin (enable auth-token with "
                                "plugins.entries.auth-token.enabled: true"),
              std::string::npos)
        << disabled.err;
    RunResult proxy = runGatewayExpectingExit("{ gateway: { mode: 'local' } }", {"--auth", "trusted-proxy"});
    EXPECT_EQ(proxy.code, 78);
    EXPECT_NE(
        proxy.err.find("auth mode trusted-proxy is not served by any enabled plugin (no installed plugin "
                       "provides it"),
        std::string::npos)
        << proxy.err;
    EXPECT_EQ(proxy.out.find("] ready"), std::string::npos) << "refused, not ready: " << proxy.out;
}

TEST(FailFast, SigtermWhileAPluginsInitHangsStopsTheGatewayPromptly) {
    TempDir home;
    home.write(
        ".openclaw/openclaw.json",
        std::string("{ gateway: { mode: 'local', auth: { token: 'T0k3n' } }, plugins: { initTimeoutMs: "
                    "120000, load: { paths: ['") +
            OPENCLAW_TEST_PLUGIN_DIR + "/test-inithangs'] } } }");
    ChildProcess gw({openclawBin(), "gateway", "run", "--port", std::to_string(freePort())},
                    {{"HOME", home.path()}, {"OPENCLAW_GATEWAY_TOKEN", ""}, {"OPENCLAW_CONFIG_PATH", ""}});
    // In the slow phase: the plugin's create() has started and will not return for an hour.
    bool inInit = false;
    for (int i = 0; i < 1000 && !inInit && gw.running(); ++i) {
        inInit = (gw.out() + gw.err()).find("create() entered; hanging") != std::string::npos;
        if (!inInit) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_TRUE(inInit) << gw.out() << gw.err();
    // The wait for the plugin lasts 120 s; a stop that waits for it fails this bound.
    EXPECT_EQ(gw.stop(SIGTERM, 20000), 0) << gw.out() << gw.err();
    EXPECT_NE(gw.out().find("received SIGTERM during start-up; shutting down"), std::string::npos)
        << gw.out();
    EXPECT_EQ(gw.out().find("] ready"), std::string::npos);
}

// `plugins info <id>` loads just that plugin with the CLI's host services (timers, child processes and fd
// watching; no events) and says whether its init succeeds; a disabled plugin is not loaded.
TEST(PluginsCommand, InfoLoadsJustThatPluginAndSaysWhetherItsInitSucceeds) {
    TempDir home;
    home.write(".openclaw/openclaw.json",
               std::string("{ plugins: { load: { paths: ['") + OPENCLAW_TEST_PLUGIN_DIR +
                   "/test-services', '" + OPENCLAW_TEST_PLUGIN_DIR + "/test-initfails', '" +
                   OPENCLAW_TEST_PLUGIN_DIR +
                   "/test-good'] }, entries: { 'test-good': { enabled: false } } } }");
    auto info = [&](const std::string& id) {
        RunResult r = run({openclawBin(), "plugins", "info", id, "--json"}, noGateway(home));
        EXPECT_EQ(r.code, 0) << r.err;
        return json::asObject(json::parse(r.out));
    };
    json::ObjectPtr services = info("test-services");
    EXPECT_EQ(json::getBool(services, "loads"), true) << json::stringify(services);
    EXPECT_EQ(json::getString(services, "abi"), "1.1");
    json::ObjectPtr fails = info("test-initfails");
    EXPECT_EQ(json::getBool(fails, "loads"), false);
    EXPECT_NE(json::getString(fails, "loadError").value_or("").find("init failed: cannot start: no widget"),
              std::string::npos)
        << json::stringify(fails);
    json::ObjectPtr disabled = info("test-good");
    EXPECT_TRUE(disabled->get("loads").isEmpty()) << "a disabled plugin was loaded";
    RunResult human = run({openclawBin(), "plugins", "info", "test-services"}, noGateway(home));
    EXPECT_NE(human.out.find("Loads: yes (created and destroyed by this command)\n"), std::string::npos)
        << human.out;
}
