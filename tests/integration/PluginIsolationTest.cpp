// A plugin that fails or hangs in init is disabled with a clear log; the gateway serves without it.
#include "Process.h"
#include "Wire.h"

#include "client/GatewayClient.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

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

// In-process plugins share the gateway's address space: a plugin that crashes (abort, SIGSEGV) takes the
// process down, and no handler could make that safe. The policy (docs/plugins.md): the gateway dies at
// once rather than hang, its clients see the connection drop, and the service manager restarts it
// (SupervisorTest: kill -9 -> restarted). A plugin's C++ exceptions, by contrast, stay with the caller
// (SessionTest: test.throw answers UNAVAILABLE and the session carries on).
TEST(PluginIsolation, APluginThatCrashesInACallEndsTheProcessPromptlyAndDropsItsClients) {
    GatewayUnderTest gw(std::string(R"({ gateway: { mode: 'local', auth: { token: 'T0k3n' } },
        plugins: { load: { paths: [')") +
                            OPENCLAW_TEST_PLUGIN_DIR + "/test-good'] } } }",
                        {});
    client::GatewayClient watcher({gw.url(), std::string("T0k3n")});
    watcher.connect();
    client::GatewayClient c({gw.url(), std::string("T0k3n")});
    c.connect();
    try {
        c.call("test.crash");
        FAIL() << "the crashing call was answered";
    } catch (const client::GatewayError& e) {
        EXPECT_EQ(e.kind, client::GatewayError::Kind::Transport) << e.what();
    }
    const int code = gw.process().wait(30000);
    EXPECT_NE(code, -1) << "the gateway hung after the plugin crashed";
    EXPECT_NE(code, 0) << "a crash must not look like a clean exit";
    EXPECT_THROW(watcher.call("health"), client::GatewayError);
}

// The gateway blocks SIGINT, SIGTERM and SIGUSR1 in every thread (it takes them with sigwait); a child a
// plugin starts through the host must not inherit that mask, and must lead a process group of its own so
// that stopping it stops everything it started.
TEST(PluginHostServices, AChildStartedInTheGatewayHasNoBlockedSignalsAndItsOwnProcessGroup) {
    GatewayUnderTest gw(std::string(R"({ gateway: { mode: 'local', auth: { token: 'T0k3n' } },
        plugins: { load: { paths: [')") +
                            OPENCLAW_TEST_PLUGIN_DIR + "/test-services'] } } }",
                        {});
    ASSERT_TRUE(gw.waitReady());
    client::GatewayClient c({gw.url(), std::string("T0k3n")});
    c.connect();
    json::ObjectPtr r = json::asObject(c.call("svc.signals", json::makeObject()));
    ASSERT_TRUE(r);
    const std::string out = json::getString(r, "out").value_or("");
    EXPECT_NE(out.find("SigBlk:\t0000000000000000"), std::string::npos) << out;
    // "<pid> <pgrp>" of the child: it leads a process group of its own.
    const std::string ids = out.substr(out.find('\n') + 1);
    const std::string pid = ids.substr(0, ids.find(' '));
    const std::string group = ids.substr(ids.find(' ') + 1, ids.find('\n') - ids.find(' ') - 1);
    EXPECT_FALSE(pid.empty()) << out;
    EXPECT_EQ(pid, group) << out;
    EXPECT_EQ(json::getInt(r, "exit"), 0);
}

namespace {

std::string servicesGateway() {
    return std::string(R"({ gateway: { mode: 'local', auth: { token: 'T0k3n' } },
        plugins: { load: { paths: [')") +
           OPENCLAW_TEST_PLUGIN_DIR + "/test-services'] } } }";
}

} // namespace

// A plugin method may answer later (OC_PENDING, then complete() from its own thread): the caller gets the
// answer, the worker that called the plugin is free meanwhile, and past plugins.callTimeoutMs the caller
// gets a timeout error instead.
TEST(PluginHostServices, AMethodAnsweredLaterReachesItsCaller) {
    GatewayUnderTest gw(servicesGateway(), {});
    ASSERT_TRUE(gw.waitReady());
    client::GatewayClient c({gw.url(), std::string("T0k3n")});
    c.connect();
    json::ObjectPtr later = json::asObject(c.call("svc.later", json::parse(R"({"ms":100})")));
    ASSERT_TRUE(later);
    EXPECT_EQ(json::getBool(later, "late"), true);
    EXPECT_EQ(json::getInt(later, "ms"), 100);
}

TEST(PluginHostServices, ACallNeverAnsweredFailsAtTheDeadlineAndTheSessionCarriesOn) {
    TempDir home;
    // plugins.callTimeoutMs lives in the native settings file beside openclaw.json.
    home.write(".openclaw/native.json5", "{ plugins: { callTimeoutMs: 300 } }");
    home.write(".openclaw/openclaw.json", servicesGateway());
    const int port = freePort();
    ChildProcess gw({openclawBin(), "gateway", "run", "--port", std::to_string(port)},
                    {{"HOME", home.path()}});
    ASSERT_TRUE(waitReadyz(gw, port));
    {
        client::GatewayClient c({"ws://127.0.0.1:" + std::to_string(port), std::string("T0k3n")});
        c.connect();
        try {
            c.call("svc.never", json::makeObject());
            ADD_FAILURE() << "a call never answered was answered";
        } catch (const client::GatewayError& e) {
            EXPECT_EQ(e.rpc.code, "UNAVAILABLE");
            EXPECT_NE(e.rpc.message.find("svc.never failed: the plugin did not answer within 300 ms"),
                      std::string::npos)
                << e.rpc.message;
        }
        EXPECT_EQ(json::getBool(json::asObject(c.call("health")), "ok"), true) << "the session carries on";
    }
    {
        // An answer for a session that has gone is dropped: the caller leaves before the plugin completes.
        client::WsConnection gone;
        openPastChallenge(gone, "ws://127.0.0.1:" + std::to_string(port));
        gone.send(protocol::WsOpcode::Text, connectFrame(R"({"token":"T0k3n"})"));
        ASSERT_EQ(json::getBool(nextFrom(gone).frame, "ok"), true);
        gone.send(protocol::WsOpcode::Text,
                  R"({"type":"req","id":"r1","method":"svc.later","params":{"ms":200}})");
        gone.close();
    }
    client::GatewayClient after({"ws://127.0.0.1:" + std::to_string(port), std::string("T0k3n")});
    after.connect();
    json::ObjectPtr later = json::asObject(after.call("svc.later", json::parse(R"({"ms":20})")));
    EXPECT_EQ(json::getBool(later, "late"), true) << "the gateway still serves after the dropped answer";
    EXPECT_EQ(gw.stop(), 0);
}

// A plugin that declares a method the gateway already has is refused, loudly (#28): the log and
// health.plugins.errors name the method; the built-in answers as before.
TEST(PluginIsolation, APluginDeclaringABuiltInMethodIsRefusedNamingIt) {
    GatewayUnderTest gw(std::string(R"({ gateway: { mode: 'local', auth: { token: 'T0k3n' } },
        plugins: { load: { paths: [')") +
                            OPENCLAW_TEST_PLUGIN_DIR + "/test-clash'] } } }",
                        {});
    ASSERT_TRUE(gw.waitReady());
    client::GatewayClient c({gw.url(), std::string("T0k3n")});
    c.connect();
    json::ObjectPtr health = json::asObject(c.call("health", json::parse(R"({"probe":true})")));
    ASSERT_TRUE(health);
    EXPECT_FALSE(health->has("fromPlugin"));
    const std::string plugins = json::stringify(health->get("plugins"));
    EXPECT_NE(plugins.find("test-clash"), std::string::npos) << plugins;
    EXPECT_NE(
        plugins.find("it declares the method health, which the gateway or an earlier plugin already serves"),
        std::string::npos)
        << plugins;
    const std::string log = gw.process().out() + gw.process().err();
    EXPECT_NE(log.find("test-clash: refused: it declares the method health"), std::string::npos) << log;
}

// A handler or a timer that throws is logged with the plugin's id, once a minute per distinct message (#28),
// not silently (handler) nor every tick (timer).
TEST(PluginIsolation, ThrowingHandlersAndTimersAreLoggedNamedAndRateLimited) {
    GatewayUnderTest gw(std::string(R"({ gateway: { mode: 'local', auth: { token: 'T0k3n' } },
        plugins: { load: { paths: [')") +
                            OPENCLAW_TEST_PLUGIN_DIR + "/test-good'] } } }",
                        {});
    ASSERT_TRUE(gw.waitReady());
    client::GatewayClient c({gw.url(), std::string("T0k3n")});
    c.connect();
    for (int i = 0; i < 3; ++i)
        EXPECT_THROW(c.call("test.throw"), client::GatewayError);
    c.call("test.timer", json::parse(R"({"ms":20,"repeat":1,"throw":1})"));
    std::this_thread::sleep_for(std::chrono::milliseconds(400)); // about 20 firings
    const std::string log = gw.process().out() + gw.process().err();
    auto count = [&log](const std::string& text) {
        size_t n = 0;
        for (size_t at = log.find(text); at != std::string::npos; at = log.find(text, at + 1))
            ++n;
        return n;
    };
    EXPECT_EQ(count("[test-good] test.throw failed: boom from the plugin"), 1u) << log;
    EXPECT_EQ(count("[test-good] timer callback failed: timer boom"), 1u) << log;
}

// `plugins list`/`info` ask the running gateway (#28): never "ready" for a plugin that failed there; --strict
// exits 1 when an enabled plugin is not usable. Each failure carries the gateway's exact words.
TEST(PluginIsolation, PluginsListAndInfoReportWhatTheRunningGatewayLoadedAndRefused) {
    const std::string dir = OPENCLAW_TEST_PLUGIN_DIR;
    GatewayUnderTest gw(
        "{ gateway: { mode: 'local', auth: { token: 'T0k3n' } }, plugins: { load: { paths: ['" + dir +
            "/test-services', '" + dir + "/test-initfails', '" + dir + "/test-clash', '" + dir +
            "/test-good', '" + dir +
            "/test-nonexistent'] }, entries: { 'test-good': { config: { level: 9 } } } } }",
        {});
    ASSERT_TRUE(gw.waitReady());
    std::map<std::string, std::string> env = gw.env();
    env["OPENCLAW_GATEWAY_PORT"] = std::to_string(gw.port());
    RunResult list = run({openclawBin(), "plugins", "list", "--json"}, env);
    ASSERT_EQ(list.code, 0) << list.err;
    json::ObjectPtr out = json::asObject(json::parse(list.out));
    EXPECT_EQ(json::getBool(json::getObject(out, "runningGateway"), "answered"), true) << list.out;
    std::map<std::string, json::ObjectPtr> byId;
    json::ArrayPtr plugins = json::getArray(out, "plugins");
    for (size_t i = 0; i < plugins->size(); ++i) {
        json::ObjectPtr p = plugins->getObject(static_cast<unsigned>(i));
        byId[json::getString(p, "id").value_or("")] = p;
    }
    EXPECT_EQ(json::getString(byId["test-services"], "status"), "loaded");
    EXPECT_EQ(json::getString(byId["auth-token"], "status"), "loaded");
    // The ssh tunnel serves CLI commands only: the gateway leaves it unloaded, and that is not a failure.
    ASSERT_TRUE(byId["ssh-tunnel"]) << list.out;
    EXPECT_EQ(json::getString(byId["ssh-tunnel"], "status"), "for-commands");
    EXPECT_TRUE(byId["ssh-tunnel"]->get("error").isEmpty());
    EXPECT_EQ(json::getString(byId["test-initfails"], "status"), "failed");
    EXPECT_NE(json::getString(byId["test-initfails"], "error").value_or("").find("cannot start: no widget"),
              std::string::npos);
    EXPECT_EQ(json::getString(byId["test-clash"], "status"), "failed");
    EXPECT_EQ(
        json::getString(byId["test-clash"], "error"),
        "it declares the method health, which the gateway or an earlier plugin already serves (rename it "
        "in the plugin)");
    EXPECT_EQ(json::getString(byId["test-good"], "status"), "error");
    EXPECT_EQ(json::getString(byId["test-good"], "error"),
              "invalid config: plugins.entries.test-good.config.level must be <= 5");
    EXPECT_NE(
        json::stringify(out->get("errors")).find("test-nonexistent: plugins.load.paths entry does not exist"),
        std::string::npos)
        << list.out;
    EXPECT_EQ(run({openclawBin(), "plugins", "list", "--strict"}, env).code, 1);
    // The gateway's log says the same, with the plugin's id.
    const std::string log = gw.process().out() + gw.process().err();
    EXPECT_NE(log.find("test-good: invalid config: plugins.entries.test-good.config.level must be <= 5"),
              std::string::npos)
        << log;
    EXPECT_NE(log.find("test-nonexistent: plugins.load.paths entry does not exist (fix or remove it)"),
              std::string::npos)
        << log;
    EXPECT_NE(log.find("test-clash: refused: it declares the method health"), std::string::npos) << log;
    EXPECT_NE(log.find("cannot start: no widget"), std::string::npos) << log;

    RunResult info = run({openclawBin(), "plugins", "info", "test-initfails"}, env);
    EXPECT_EQ(info.code, 0) << info.err;
    EXPECT_NE(info.out.find("Status: failed in the running gateway ("), std::string::npos) << info.out;
    EXPECT_NE(info.out.find("Error: "), std::string::npos) << info.out;
    EXPECT_EQ(run({openclawBin(), "plugins", "info", "test-initfails", "--strict"}, env).code, 1);
    EXPECT_EQ(run({openclawBin(), "plugins", "info", "test-services", "--strict"}, env).code, 0);
    RunResult tunnel = run({openclawBin(), "plugins", "info", "ssh-tunnel", "--strict"}, env);
    EXPECT_EQ(tunnel.code, 0) << tunnel.out << tunnel.err;
    EXPECT_NE(tunnel.out.find("Status: checked; CLI commands load it when they need it"), std::string::npos)
        << tunnel.out;
}

// `plugins check <folder>` judges one folder with the gateway's checks and nothing else (no user config).
TEST(PluginIsolation, PluginsCheckJudgesOneFolderWithTheGatewaysWords) {
    const std::string dir = OPENCLAW_TEST_PLUGIN_DIR;
    RunResult good =
        run({openclawBin(), "plugins", "check", dir + "/test-good", "--config", R"({"level":2})"}, {});
    EXPECT_EQ(good.code, 0) << good.err;
    EXPECT_EQ(good.out, "OK: test-good 1.2.3 (abi 1.0) would load in this gateway\n");
    RunResult bad =
        run({openclawBin(), "plugins", "check", dir + "/test-good", "--config", R"({"level":9})"}, {});
    EXPECT_EQ(bad.code, 1);
    EXPECT_EQ(bad.err, "invalid config: plugins.entries.test-good.config.level must be <= 5\n");
    RunResult future = run({openclawBin(), "plugins", "check", dir + "/test-future"}, {});
    EXPECT_EQ(future.code, 1);
    EXPECT_NE(future.err.find("needs plugin ABI 1.9; this gateway offers ABI 1.3"), std::string::npos)
        << future.err;
    RunResult none = run({openclawBin(), "plugins", "check", dir + "/nope"}, {});
    EXPECT_EQ(none.code, 1);
    EXPECT_NE(none.err.find("/nope: not a folder"), std::string::npos) << none.err;
}
