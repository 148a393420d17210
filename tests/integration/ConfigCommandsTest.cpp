// `openclaw config get|set|unset|file|validate`, `plugins enable|disable` and `setup` over the real binary:
// edits keep comments and key order, are checked before anything is written, keep a .bak, mode 0600.
#include "Process.h"

#include "client/GatewayClient.h"
#include "json/Json.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <thread>

using namespace openclaw;
using namespace openclaw::test;

namespace {

class ConfigCommands : public ::testing::Test {
  protected:
    RunResult cli(std::vector<std::string> args) const {
        args.insert(args.begin(), openclawBin());
        return run(args,
                   {{"HOME", home_.path()}, {"OPENCLAW_CONFIG_PATH", ""}, {"OPENCLAW_NATIVE_CONFIG", ""}});
    }
    std::string file() const { return home_.path() + "/.openclaw/openclaw.json"; }
    static unsigned mode(const std::string& path) {
        struct stat st {};
        return ::stat(path.c_str(), &st) == 0 ? (st.st_mode & 0777) : 0;
    }
    TempDir home_;
};

const std::string kWritten = "{\n  // kept\n  gateway: { mode: 'local', port: 18800 },\n}\n";

} // namespace

TEST_F(ConfigCommands, GetSetUnsetFileKeepCommentsAndAreChecked) {
    home_.write(".openclaw/openclaw.json", kWritten);
    RunResult f = cli({"config", "file"});
    EXPECT_EQ(f.code, 0);
    EXPECT_EQ(f.out, file() + "\n");
    EXPECT_EQ(cli({"config", "get", "gateway.port"}).out, "18800\n");
    EXPECT_EQ(cli({"config", "get", "gateway.mode"}).out, "local\n");
    EXPECT_EQ(cli({"config", "get", "gateway", "--json"}).out,
              "{\n  \"mode\": \"local\",\n  \"port\": 18800\n}\n");
    RunResult missing = cli({"config", "get", "gateway.bind"});
    EXPECT_EQ(missing.code, 1);
    EXPECT_NE(missing.err.find("Unknown config path: gateway.bind"), std::string::npos) << missing.err;

    RunResult set = cli({"config", "set", "gateway.auth.token", "S3t"});
    EXPECT_EQ(set.code, 0) << set.err;
    EXPECT_NE(set.out.find("Updated gateway.auth.token. Restart the gateway to apply (send it SIGUSR1"),
              std::string::npos);
    EXPECT_EQ(readFile(file()),
              "{\n  // kept\n  gateway: { mode: 'local', port: 18800, auth: { token: \"S3t\" } },\n}\n");
    EXPECT_EQ(readFile(file() + ".bak"), kWritten);
    EXPECT_EQ(mode(file()), 0600u);
    EXPECT_EQ(cli({"config", "set", "gateway.port", "19001"}).code, 0);
    EXPECT_EQ(cli({"config", "get", "gateway.port", "--json"}).out, "19001\n");

    // Refused edits write nothing: an unknown key, a wrong type, our own setting outside native.json5 is
    // only a warning.
    const std::string before = readFile(file());
    RunResult typo = cli({"config", "set", "gateway.auth.tokn", "x"});
    EXPECT_EQ(typo.code, 1);
    EXPECT_NE(typo.err.find("gateway.auth.tokn: unknown key (did you mean gateway.auth.token?)"),
              std::string::npos)
        << typo.err;
    EXPECT_NE(typo.err.find("Nothing was written."), std::string::npos);
    RunResult type = cli({"config", "set", "gateway.port", "'high'"});
    EXPECT_EQ(type.code, 1);
    EXPECT_NE(type.err.find("gateway.port"), std::string::npos) << type.err;
    EXPECT_EQ(readFile(file()), before);

    RunResult unset = cli({"config", "unset", "gateway.port"});
    EXPECT_EQ(unset.code, 0) << unset.err;
    EXPECT_EQ(readFile(file()), "{\n  // kept\n  gateway: { mode: 'local', auth: { token: \"S3t\" } },\n}\n");
    EXPECT_EQ(cli({"config", "unset", "gateway.port"}).code, 1);
}

TEST_F(ConfigCommands, OwnSettingsGoToTheNativeFileAndValidateSeesBoth) {
    home_.write(".openclaw/openclaw.json", kWritten);
    RunResult native = cli({"config", "set", "--native", "gateway.limits.maxSessions", "5"});
    EXPECT_EQ(native.code, 0) << native.err;
    EXPECT_EQ(readFile(home_.path() + "/.openclaw/native.json5"),
              "{\n  gateway: { limits: { maxSessions: 5 } }\n}\n");
    EXPECT_EQ(cli({"config", "get", "--native", "gateway.limits.maxSessions"}).out, "5\n");
    RunResult ok = cli({"config", "validate"});
    EXPECT_EQ(ok.code, 0) << ok.err;
    EXPECT_EQ(ok.out, "Config valid: " + file() + "\n");
    home_.write(".openclaw/native.json5", "{ gateway: { limits: { maxSessions: 0 } } }");
    RunResult bad = cli({"config", "validate", "--json"});
    EXPECT_EQ(bad.code, 1);
    json::ObjectPtr o = json::asObject(json::parse(bad.out));
    EXPECT_EQ(json::getBool(o, "valid"), false);
    EXPECT_NE(json::getString(o, "error").value_or("").find("native.json5:1:"), std::string::npos) << bad.out;
}

TEST_F(ConfigCommands, PluginsEnableAndDisableWriteTheOperatorsSwitch) {
    home_.write(".openclaw/openclaw.json", kWritten);
    RunResult off = cli({"plugins", "disable", "ssh-tunnel", "tailscale"});
    EXPECT_EQ(off.code, 0) << off.err;
    EXPECT_NE(off.out.find("Disabled ssh-tunnel (plugins.entries.ssh-tunnel.enabled: false)."),
              std::string::npos);
    EXPECT_NE(off.out.find("Send SIGUSR1 to the running gateway"), std::string::npos);
    EXPECT_NE(cli({"plugins", "list"})
                  .out.find("ssh-tunnel 0.2.0  abi 1.1  [tunnel]  disabled (disabled by "
                            "plugins.entries.ssh-tunnel.enabled)"),
              std::string::npos);
    EXPECT_EQ(cli({"plugins", "enable", "ssh-tunnel"}).code, 0);
    EXPECT_EQ(cli({"config", "get", "plugins.entries.ssh-tunnel.enabled"}).out, "true\n");
    const std::string before = readFile(file());
    RunResult unknown = cli({"plugins", "enable", "no-such-plugin"});
    EXPECT_EQ(unknown.code, 1);
    EXPECT_NE(unknown.err.find("Plugin not found: no-such-plugin"), std::string::npos);
    EXPECT_EQ(readFile(file()), before);
}

TEST_F(ConfigCommands, SetupCreatesAWorkingConfigOnceAndTheGatewayStartsWithIt) {
    RunResult first = cli({"setup"});
    EXPECT_EQ(first.code, 0) << first.err;
    EXPECT_EQ(mode(file()), 0600u);
    const std::string marker = "shown only now): ";
    const size_t at = first.out.find(marker);
    ASSERT_NE(at, std::string::npos) << first.out;
    const std::string token = first.out.substr(at + marker.size(), 64);
    RunResult again = cli({"setup"});
    EXPECT_EQ(again.code, 0);
    EXPECT_EQ(again.out.find(marker), std::string::npos) << "the token is shown once";
    EXPECT_EQ(cli({"config", "get", "gateway.mode"}).out, "local\n");
    // The gateway starts with it (no "Missing config") and accepts the token.
    const int port = freePort();
    ChildProcess gw({openclawBin(), "gateway", "run", "--port", std::to_string(port)},
                    {{"HOME", home_.path()}, {"OPENCLAW_GATEWAY_TOKEN", ""}, {"OPENCLAW_CONFIG_PATH", ""}});
    ASSERT_TRUE(waitReadyz(gw, port)) << gw.out() << gw.err();
    client::GatewayClient c({"ws://127.0.0.1:" + std::to_string(port), token});
    EXPECT_NO_THROW(c.connect());
    EXPECT_EQ(gw.stop(), 0);
}

// `config validate` checks what the gateway would refuse at its next start: load paths that do not exist or
// point at a file, and a plugin's config section against that plugin's own schema, at its place in the file.
// `config set`/`unset` of a plugin's section and `plugins enable` go through the plugin's schema too (#28): a
// value it refuses is refused here, at its place, and nothing is written — not dropped at the next reload.
TEST_F(ConfigCommands, SetUnsetAndEnableRefuseWhatAPluginsSchemaRefusesAndWriteNothing) {
    home_.write(".openclaw/openclaw.json", "{ gateway: { mode: 'local' } }\n");
    const std::string before = readFile(file());
    RunResult bad = cli({"config", "set", "plugins.entries.metrics.config.public", "3"});
    EXPECT_EQ(bad.code, 1);
    EXPECT_NE(bad.err.find(file() + ":1:"), std::string::npos) << bad.err;
    EXPECT_NE(bad.err.find("plugins.entries.metrics.config.public: must be boolean (got number) (the metrics "
                           "plugin's configSchema, in "),
              std::string::npos)
        << bad.err;
    EXPECT_NE(bad.err.find("Nothing was written."), std::string::npos) << bad.err;
    EXPECT_EQ(readFile(file()), before);
    EXPECT_EQ(cli({"config", "set", "plugins.entries.metrics.config.unknownKey", "1"}).code, 1);
    EXPECT_EQ(readFile(file()), before);

    RunResult good = cli({"config", "set", "plugins.entries.metrics.config.public", "true"});
    EXPECT_EQ(good.code, 0) << good.err;
    // Unrelated keys are not held up by a plugin, and an unset that leaves a valid section passes.
    EXPECT_EQ(cli({"config", "set", "gateway.port", "18800"}).code, 0);
    EXPECT_EQ(cli({"config", "unset", "plugins.entries.metrics.config.public"}).code, 0);

    // A section written by hand that the schema refuses: enabling the plugin is refused, naming it.
    home_.write(".openclaw/openclaw.json",
                "{ plugins: { entries: { metrics: { config: { public: 'no' } } } } }\n");
    const std::string handWritten = readFile(file());
    RunResult enable = cli({"plugins", "enable", "metrics"});
    EXPECT_EQ(enable.code, 1);
    EXPECT_NE(enable.err.find("Cannot enable: " + file() + ":1:"), std::string::npos) << enable.err;
    EXPECT_NE(enable.err.find("plugins.entries.metrics.config.public: must be boolean"), std::string::npos)
        << enable.err;
    EXPECT_EQ(readFile(file()), handWritten);
    EXPECT_EQ(cli({"plugins", "disable", "metrics"}).code, 0) << "disabling is never held up";
}

TEST_F(ConfigCommands, ValidateChecksPluginLoadPathsAndEachPluginsConfigAgainstItsSchema) {
    const std::string so = std::string(OPENCLAW_TEST_PLUGIN_DIR) + "/test-good/test-good.so";
    home_.write(".openclaw/openclaw.json",
                "{\n  gateway: { mode: 'local' },\n  plugins: {\n    load: { paths: ['" + home_.path() +
                    "/nowhere', '" + so +
                    "'] },\n    entries: { metrics: { enabled: true, config: { public: "
                    "'yes' } } }\n  }\n}\n");
    RunResult r = cli({"config", "validate"});
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(
        r.err.find(home_.path() + "/nowhere: plugins.load.paths entry does not exist (fix or remove it)"),
        std::string::npos)
        << r.err;
    EXPECT_NE(
        r.err.find(so +
                   ": plugins.load.paths entry is a file, not a folder (give the plugin's folder, the one "
                   "with its openclaw.plugin.json: " +
                   std::string(OPENCLAW_TEST_PLUGIN_DIR) + "/test-good)"),
        std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find(file() + ":5:"), std::string::npos) << r.err; // file:line:col of the section
    EXPECT_NE(r.err.find("plugins.entries.metrics.config.public: must be boolean"), std::string::npos)
        << r.err;
    home_.write(
        ".openclaw/openclaw.json",
        "{ gateway: { mode: 'local' }, plugins: { entries: { metrics: { config: { public: true } } } } }");
    RunResult ok = cli({"config", "validate"});
    EXPECT_EQ(ok.code, 0) << ok.err;
}
