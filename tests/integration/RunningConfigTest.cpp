// A running gateway fed by each way an operator gives it settings: --password-file, --raw-stream,
// custom and auto bind, YAML with ${VAR}, a config made invalid before SIGUSR1, and the refusals
// when a mode has no secret.
#include "Process.h"
#include "Wire.h"

#include "client/GatewayClient.h"
#include "protocol/Scopes.h"

#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <sys/stat.h>
#include <thread>

using namespace openclaw;
using namespace openclaw::test;

namespace {

const std::string kLocal = "{ gateway: { mode: 'local' } }";

/// Waits until `text()` contains `needle` (a log line written a moment after the event).
bool eventually(const std::function<std::string()>& text, const std::string& needle, int timeoutMs = 15000) {
    for (int waited = 0; waited < timeoutMs; waited += 20) {
        if (text().find(needle) != std::string::npos) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

RunResult runToExit(const std::string& configJson, std::vector<std::string> args,
                    std::map<std::string, std::string> env = {}) {
    TempDir home;
    if (!configJson.empty()) home.write(".openclaw/openclaw.json", configJson);
    env["HOME"] = home.path();
    for (const char* k : {"OPENCLAW_GATEWAY_TOKEN", "OPENCLAW_GATEWAY_PASSWORD", "OPENCLAW_CONFIG_PATH",
                          "OPENCLAW_NATIVE_CONFIG"})
        if (!env.count(k)) env[k] = "";
    args.insert(args.begin(), {openclawBin(), "gateway", "run", "--port", std::to_string(freePort())});
    return run(args, env, 20000);
}

} // namespace

TEST(PasswordFile, ThePasswordInTheFileIsTheOneAcceptedAndNeverLogged) {
    TempDir secrets;
    const std::string file = secrets.write("gw-password", "Fi1ePassw0rd\n");
    GatewayUnderTest gw(kLocal, {"--auth", "password", "--password-file", file});
    client::ClientOptions right{gw.url(), std::nullopt, std::string("Fi1ePassw0rd")};
    client::GatewayClient ok(right);
    EXPECT_EQ(json::getString(json::getObject(ok.connect(), "auth"), "method"), "password");
    client::ClientOptions withNewline{gw.url(), std::nullopt, std::string("Fi1ePassw0rd\n")};
    client::GatewayClient bad(withNewline);
    EXPECT_THROW(bad.connect(), client::GatewayError) << "the trailing newline is not part of the password";
    const std::string all =
        gw.process().out() + gw.process().err() + readFile(gw.home() + "/.openclaw/logs/gateway.log");
    EXPECT_EQ(all.find("Fi1ePassw0rd"), std::string::npos);
    EXPECT_EQ(all.find("--password can be exposed"), std::string::npos) << "no argv warning for a file";
}

TEST(PasswordFile, MissingOrEmptyFilesAreRefusedWith78) {
    TempDir secrets;
    RunResult missing =
        runToExit(kLocal, {"--auth", "password", "--password-file", secrets.path() + "/nope"});
    EXPECT_EQ(missing.code, 78);
    EXPECT_NE(missing.err.find("Cannot read --password-file " + secrets.path() + "/nope"), std::string::npos)
        << missing.err;
    const std::string empty = secrets.write("empty", "\n");
    RunResult blank = runToExit(kLocal, {"--auth", "password", "--password-file", empty});
    EXPECT_EQ(blank.code, 78);
    EXPECT_NE(blank.err.find("--password-file " + empty + " is empty."), std::string::npos) << blank.err;
}

TEST(AuthGuards, PasswordOrTokenModeWithoutItsSecretIsRefusedWith78) {
    RunResult pw = runToExit("{ gateway: { mode: 'local', auth: { mode: 'password' } } }", {});
    EXPECT_EQ(pw.code, 78);
    EXPECT_NE((pw.out + pw.err)
                  .find("Gateway auth mode=password but no password is configured. Set "
                        "gateway.auth.password or OPENCLAW_GATEWAY_PASSWORD, or pass --password-file."),
              std::string::npos)
        << pw.out << pw.err;
    RunResult token = runToExit("{ gateway: { mode: 'local', auth: { mode: 'token' } } }", {});
    EXPECT_EQ(token.code, 78);
    EXPECT_NE((token.out + token.err).find("Gateway auth mode=token but no token is configured."),
              std::string::npos)
        << token.out << token.err;
}

TEST(RawStream, WithoutAPathRecordsToTheStateDirectory) {
    GatewayUnderTest gw(std::string(R"({ gateway: { mode: 'local', auth: { token: 'T0k3n' } },
        plugins: { load: { paths: [')") +
                            OPENCLAW_TEST_PLUGIN_DIR + R"(/test-good'] } } })",
                        {"--raw-stream"});
    client::ClientOptions o{gw.url(), std::string("T0k3n")};
    o.scopes = protocol::allOperatorScopes();
    client::GatewayClient c(o);
    c.connect();
    c.call("test.emit", json::parse(R"({"chunk":"raw"})"));
    const std::string path = gw.home() + "/.openclaw/logs/raw-stream.jsonl";
    ASSERT_TRUE(eventually([&] { return readFile(path); }, "\n")) << "nothing recorded in " << path;
    json::ObjectPtr rec = json::asObject(json::parse(readFile(path).substr(0, readFile(path).find('\n'))));
    EXPECT_EQ(json::getString(rec, "event"), "test.event");
    EXPECT_EQ(json::stringify(rec->get("payload")), R"({"chunk":"raw"})");
}

TEST(Bind, CustomHostListensThereAndOnLoopback) {
    GatewayUnderTest gw("{ gateway: { mode: 'local', bind: 'custom', customBindHost: '127.0.0.2', auth: { "
                        "token: 'T0k3n' } } }",
                        {});
    const std::string port = std::to_string(gw.port());
    ASSERT_TRUE(eventually([&] { return gw.process().out(); }, "] ready"));
    EXPECT_NE(gw.process().out().find("listening on ws://127.0.0.2:" + port + ", ws://127.0.0.1:" + port),
              std::string::npos)
        << gw.process().out();
    for (const std::string host : {"127.0.0.2", "127.0.0.1"}) {
        client::GatewayClient c({"ws://" + host + ":" + port, std::string("T0k3n")});
        EXPECT_NO_THROW(c.connect()) << host;
    }
    // Nothing else on the loopback range.
    client::GatewayClient other({"ws://127.0.0.3:" + port, std::string("T0k3n")});
    EXPECT_THROW(other.connect(), client::GatewayError);
}

TEST(Bind, AutoIsLoopbackOnAHostAndAllInterfacesInAContainer) {
    GatewayUnderTest gw("{ gateway: { mode: 'local', bind: 'auto', auth: { token: 'T0k3n' } } }", {});
    const std::string port = std::to_string(gw.port());
    ASSERT_TRUE(eventually([&] { return gw.process().out(); }, "] ready"));
    struct stat st {};
    const bool container = ::stat("/.dockerenv", &st) == 0 || ::stat("/run/.containerenv", &st) == 0;
    const std::string expected =
        container ? "listening on ws://0.0.0.0:" + port : "listening on ws://127.0.0.1:" + port;
    EXPECT_NE(gw.process().out().find(expected), std::string::npos) << gw.process().out();
    client::GatewayClient c({gw.url(), std::string("T0k3n")});
    EXPECT_NO_THROW(c.connect());
}

TEST(YamlConfig, VariablesAreSubstitutedInARunningGateway) {
    // openclaw.yaml in the state directory is found when there is no openclaw.json.
    TempDir home;
    home.write(".openclaw/openclaw.yaml", "gateway:\n  mode: local\n  auth:\n    token: ${GW_TEST_TOKEN}\n");
    std::map<std::string, std::string> env = {{"HOME", home.path()},
                                              {"GW_TEST_TOKEN", "Y4mlT0ken"},
                                              {"OPENCLAW_GATEWAY_TOKEN", ""},
                                              {"OPENCLAW_CONFIG_PATH", ""}};
    int port = freePort();
    ChildProcess proc({openclawBin(), "gateway", "run", "--port", std::to_string(port)}, env);
    ASSERT_TRUE(waitReadyz(proc, port)) << proc.out() << proc.err();
    client::GatewayClient c({"ws://127.0.0.1:" + std::to_string(port), std::string("Y4mlT0ken")});
    EXPECT_NO_THROW(c.connect());
    client::GatewayClient literal(
        {"ws://127.0.0.1:" + std::to_string(port), std::string("${GW_TEST_TOKEN}")});
    EXPECT_THROW(literal.connect(), client::GatewayError);
    EXPECT_EQ(proc.stop(), 0);
}

TEST(YamlConfig, AMissingVariableIsAnErrorAtItsKey) {
    TempDir home;
    home.write(".openclaw/openclaw.yaml",
               "gateway:\n  mode: local\n  auth:\n    token: ${GW_NOT_SET_ANYWHERE}\n");
    RunResult r = run({openclawBin(), "gateway", "run", "--port", std::to_string(freePort())},
                      {{"HOME", home.path()},
                       {"OPENCLAW_GATEWAY_TOKEN", ""},
                       {"OPENCLAW_CONFIG_PATH", ""},
                       {"GW_NOT_SET_ANYWHERE", ""}},
                      20000);
    EXPECT_EQ(r.code, 78);
    EXPECT_NE(r.err.find("openclaw.yaml:4:"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("GW_NOT_SET_ANYWHERE"), std::string::npos) << r.err;
}

TEST(Reload, AnInvalidConfigAtSigusr1KeepsThePreviousOneServing) {
    GatewayUnderTest gw("{ gateway: { mode: 'local', auth: { token: 'T0k3n' } } }", {});
    client::GatewayClient before({gw.url(), std::string("T0k3n")});
    const std::string boot =
        json::getString(json::getObject(before.connect(), "server"), "bootId").value_or("");
    std::ofstream(gw.home() + "/.openclaw/openclaw.json")
        << "{\n  gateway: {\n    mode: 'local',\n    bind: 'everywhere',\n  },\n}\n";
    gw.process().signal(SIGUSR1);
    ASSERT_TRUE(eventually([&] { return gw.process().err(); }, "restart aborted, config is invalid"))
        << gw.process().err();
    EXPECT_NE(gw.process().err().find("openclaw.json:4:11: gateway.bind"), std::string::npos)
        << gw.process().err();
    EXPECT_NE(gw.process().err().find("(still running with the previous config)"), std::string::npos);
    // The session that was open is still served, and new ones get in with the old token.
    EXPECT_EQ(json::getBool(json::asObject(before.call("health")), "ok"), true);
    client::GatewayClient after({gw.url(), std::string("T0k3n")});
    EXPECT_EQ(json::getString(json::getObject(after.connect(), "server"), "bootId"), boot);
}

TEST(StrictConfig, AMisspeltKeyOrAnUnknownSectionIsRefusedWith78AndTheNearestKey) {
    RunResult typo =
        runToExit("{\n  gateway: {\n    mode: 'local',\n    auth: { tokn: 'T0k3n' },\n  },\n}\n", {});
    EXPECT_EQ(typo.code, 78);
    EXPECT_NE(typo.err.find("/.openclaw/openclaw.json:4:19: gateway.auth.tokn: unknown key (did you mean "
                            "gateway.auth.token?)"),
              std::string::npos)
        << typo.err;
    RunResult section = runToExit("{ gateway: { mode: 'local', auth: { token: 'T' } }, agentz: {} }", {});
    EXPECT_EQ(section.code, 78);
    EXPECT_NE(section.err.find("agentz: unknown top-level key; OpenClaw refuses it (did you mean agents?)"),
              std::string::npos)
        << section.err;
    EXPECT_EQ(section.out.find("] ready"), std::string::npos);
}

TEST(StrictConfig, SectionsOfTheRestOfOpenClawArePassedOver) {
    GatewayUnderTest gw(
        "{ gateway: { mode: 'local', auth: { token: 'T0k3n' }, controlUi: { enabled: true } },"
        " agents: { defaults: { workspace: '/w' } }, channels: { anything: [1] }, meta: {} }",
        {});
    client::GatewayClient c({gw.url(), std::string("T0k3n")});
    EXPECT_NO_THROW(c.connect());
}

TEST(NativeSettings, OurOwnSettingsComeFromNativeJson5BesideOpenclawJson) {
    TempDir home;
    home.write(".openclaw/openclaw.json", "{ gateway: { mode: 'local', auth: { token: 'Sh4red' } } }");
    // Merged over openclaw.json: the native file's token wins, and its own limit applies.
    home.write(".openclaw/native.json5", "// the gateway's own settings\n{ gateway: { auth: { token: "
                                         "'N4tive' }, limits: { maxSessions: 1 } } }");
    const int port = freePort();
    ChildProcess gw({openclawBin(), "gateway", "run", "--port", std::to_string(port)},
                    {{"HOME", home.path()},
                     {"OPENCLAW_GATEWAY_TOKEN", ""},
                     {"OPENCLAW_CONFIG_PATH", ""},
                     {"OPENCLAW_NATIVE_CONFIG", ""}});
    ASSERT_TRUE(waitReadyz(gw, port)) << gw.out() << gw.err();
    const std::string url = "ws://127.0.0.1:" + std::to_string(port);
    client::GatewayClient first({url, std::string("N4tive")});
    EXPECT_NO_THROW(first.connect());
    client::GatewayClient second({url, std::string("N4tive")});
    try {
        second.connect();
        ADD_FAILURE() << "gateway.limits.maxSessions: 1 from native.json5 was not applied";
    } catch (const client::GatewayError& e) {
        EXPECT_NE(std::string(e.what()).find("gateway at capacity: 1 sessions"), std::string::npos)
            << e.what();
    }
    EXPECT_EQ(gw.err().find("is the gateway's own setting"), std::string::npos)
        << "no warning where it belongs";
    EXPECT_EQ(gw.stop(), 0);
}

TEST(NativeSettings, ErrorsPointIntoTheNativeFileAndOpenclawNativeConfigNamesAnother) {
    TempDir elsewhere;
    const std::string native =
        elsewhere.write("gw-native.json5", "{\n  plugins: {\n    initTimeoutMs: 0,\n  },\n}\n");
    RunResult r = runToExit("{ gateway: { mode: 'local', auth: { token: 'T' } } }", {},
                            {{"OPENCLAW_NATIVE_CONFIG", native}});
    EXPECT_EQ(r.code, 78);
    EXPECT_NE(r.err.find(native + ":3:20: plugins.initTimeoutMs"), std::string::npos) << r.err;
}

TEST(NativeSettings, OldPlacesInOpenclawJsonStillWorkWithAWarningSayingWhereToMoveThem) {
    GatewayUnderTest gw(
        "{ gateway: { mode: 'local', auth: { token: 'T0k3n' }, limits: { maxSessions: 1 } } }", {});
    EXPECT_TRUE(eventually([&] { return gw.process().err(); }, "gateway.limits is the gateway's own setting"))
        << gw.process().err();
    EXPECT_NE(
        gw.process().err().find("move it to gateway.limits in " + gw.home() + "/.openclaw/native.json5"),
        std::string::npos)
        << gw.process().err();
    client::GatewayClient first({gw.url(), std::string("T0k3n")});
    first.connect();
    client::GatewayClient second({gw.url(), std::string("T0k3n")});
    EXPECT_THROW(second.connect(), client::GatewayError) << "the old place is still honoured";
}

TEST(Messages, AConfigPathThatIsADirectoryIsNotMissingConfig) {
    TempDir home;
    home.write(".openclaw/openclaw.json/placeholder", "");
    RunResult r =
        run({openclawBin(), "gateway", "run", "--port", std::to_string(freePort())},
            {{"HOME", home.path()}, {"OPENCLAW_GATEWAY_TOKEN", ""}, {"OPENCLAW_CONFIG_PATH", ""}}, 20000);
    EXPECT_EQ(r.code, 78);
    EXPECT_NE(r.err.find(home.path() + "/.openclaw/openclaw.json: is a directory, not a config file"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(r.err.find("Missing config"), std::string::npos) << r.err;
}

TEST(Messages, AnUnreadableConfigSaysToCheckPermissionsNotToFixAValue) {
    // As an unprivileged user (root reads anything): the file exists, mode 000.
    TempDir home;
    const std::string cfg = home.write(".openclaw/openclaw.json", "{ gateway: { mode: 'local' } }");
    ::chmod(home.path().c_str(), 0755);
    ::chmod((home.path() + "/.openclaw").c_str(), 0755);
    ::chmod(cfg.c_str(), 0);
    RunResult r = run({"/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                       openclawBin(), "gateway", "health"},
                      {{"HOME", home.path()}, {"OPENCLAW_GATEWAY_TOKEN", ""}, {"OPENCLAW_CONFIG_PATH", ""}});
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find(cfg + ": cannot read the config file (check its permissions)"), std::string::npos)
        << r.err;
    EXPECT_EQ(r.err.find("Fix the value at that place"), std::string::npos) << r.err;
}

TEST(Messages, AddressInUseNamesTheProcessThatHoldsThePortAndForce) {
    GatewayUnderTest first("{ gateway: { mode: 'local', auth: { token: 'T0k3n' } } }", {});
    TempDir home;
    home.write(".openclaw/openclaw.json", "{ gateway: { mode: 'local', auth: { token: 'T0k3n' } } }");
    RunResult second =
        run({openclawBin(), "gateway", "run", "--port", std::to_string(first.port())},
            {{"HOME", home.path()}, {"OPENCLAW_GATEWAY_TOKEN", ""}, {"OPENCLAW_CONFIG_PATH", ""}}, 20000);
    EXPECT_EQ(second.code, 1);
    const std::string all = second.out + second.err;
    EXPECT_NE(all.find("held by pid " + std::to_string(first.process().pid()) + " ("), std::string::npos)
        << all;
    EXPECT_NE(all.find("pass --force to stop it for you"), std::string::npos) << all;
    EXPECT_EQ(all.find("Exception"), std::string::npos) << all;
}

TEST(Messages, NoInternalExceptionNamesReachTheOperator) {
    TempDir home;
    RunResult params = run({openclawBin(), "gateway", "call", "status", "--params", "[1", "--url",
                            "ws://127.0.0.1:" + std::to_string(freePort()), "--token", "T"},
                           {{"HOME", home.path()}});
    EXPECT_EQ(params.code, 1);
    EXPECT_NE(params.err.find("Invalid --params: not valid JSON"), std::string::npos) << params.err;
    EXPECT_EQ(params.err.find("Exception"), std::string::npos) << params.err;
    RunResult url = run({openclawBin(), "gateway", "health", "--url", "ws://[::1", "--token", "T"},
                        {{"HOME", home.path()}});
    EXPECT_EQ(url.code, 1);
    EXPECT_EQ((url.out + url.err).find("Exception"), std::string::npos) << url.out << url.err;
}
