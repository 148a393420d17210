// Typed config: validation with key paths, precedence (flag > env > file > default), paths, profiles.
#include "config/ConfigLoader.h"
#include "config/Json5Parser.h"

#include <gtest/gtest.h>

using namespace openclaw;
using namespace openclaw::config;

namespace {

Paths testPaths(const std::string& profile = "") {
    Paths p;
    p.home = "/home/u";
    p.stateDir = "/home/u/.openclaw";
    p.configPath = "/home/u/.openclaw/openclaw.json";
    p.profile = profile;
    return p;
}

GatewayConfig build(const std::string& text, const Environment& env = Environment(),
                    const Overrides& ov = {}) {
    Document d = parseJson5(text, "/home/u/.openclaw/openclaw.json");
    return buildConfig(&d, testPaths(), env, ov);
}

} // namespace

TEST(ConfigBuild, DefaultsWithoutFile) {
    GatewayConfig c = buildConfig(nullptr, testPaths(), Environment(), {});
    EXPECT_FALSE(c.fileExists);
    EXPECT_EQ(c.port, 18789);
    EXPECT_EQ(c.portSource, "default");
    EXPECT_EQ(c.bind, config::BindMode::Loopback);
    EXPECT_EQ(c.auth.mode, config::AuthMode::Token);
    EXPECT_EQ(c.auth.rateLimit.maxAttempts, 10);
    EXPECT_TRUE(c.auth.rateLimit.exemptLoopback);
    EXPECT_EQ(c.tailscale.mode, config::TailscaleMode::Off);
}

TEST(ConfigBuild, PortPrecedenceFlagEnvFileDefault) {
    const std::string file = "{ gateway: { port: 20000 } }";
    EXPECT_EQ(build(file).port, 20000);
    EXPECT_EQ(build(file).portSource, "config");
    Environment env({{"OPENCLAW_GATEWAY_PORT", "20001"}});
    EXPECT_EQ(build(file, env).port, 20001);
    EXPECT_EQ(build(file, env).portSource, "env OPENCLAW_GATEWAY_PORT");
    Overrides ov;
    ov.port = 20002;
    EXPECT_EQ(build(file, env, ov).port, 20002);
    EXPECT_EQ(build(file, env, ov).portSource, "cli --port");
}

TEST(ConfigBuild, DevProfileDefaultsToPort19001) {
    GatewayConfig c = buildConfig(nullptr, testPaths("dev"), Environment(), {});
    EXPECT_EQ(c.port, 19001);
}

TEST(ConfigBuild, AuthSecretsFollowTheReferenceFlagThenConfigThenEnv) {
    Environment env({{"OPENCLAW_GATEWAY_TOKEN", "from-env"}});
    EXPECT_EQ(build("{}", env).auth.token, "from-env");
    EXPECT_EQ(build("{ gateway: { auth: { token: 'from-file' } } }", env).auth.token, "from-file");
    Overrides ov;
    ov.token = "from-flag";
    EXPECT_EQ(build("{ gateway: { auth: { token: 'from-file' } } }", env, ov).auth.token, "from-flag");
}

TEST(ConfigBuild, AuthModeInference) {
    EXPECT_EQ(build("{ gateway: { auth: { password: 'p' } } }").auth.mode, config::AuthMode::Password);
    EXPECT_EQ(build("{ gateway: { auth: { token: 't' } } }").auth.mode, config::AuthMode::Token);
    EXPECT_EQ(build("{ gateway: { auth: { mode: 'none' } } }").auth.mode, config::AuthMode::None);
    Overrides ov;
    ov.authMode = "password";
    EXPECT_EQ(build("{ gateway: { auth: { token: 't' } } }", Environment(), ov).auth.mode,
              config::AuthMode::Password);
}

TEST(ConfigBuild, SecretRefFromEnvironment) {
    Environment env({{"MY_SECRET", "abc"}});
    EXPECT_EQ(build("{ gateway: { auth: { token: { source: 'env', id: 'MY_SECRET' } } } }", env).auth.token,
              "abc");
    EXPECT_THROW(build("{ gateway: { auth: { token: { source: 'env', id: 'UNSET_X' } } } }"), ConfigError);
}

struct BadValue {
    const char* text;
    const char* keyPath;
    const char* needle;
};

void PrintTo(const BadValue& c, std::ostream* os) {
    *os << c.keyPath;
}

class ConfigBuildErrors : public ::testing::TestWithParam<BadValue> {};

TEST_P(ConfigBuildErrors, NameTheKeyAndPosition) {
    try {
        build(GetParam().text);
        FAIL() << GetParam().text;
    } catch (const ConfigError& e) {
        EXPECT_EQ(e.keyPath(), GetParam().keyPath) << e.what();
        EXPECT_GT(e.position().line, 0) << e.what();
        EXPECT_NE(std::string(e.what()).find(GetParam().needle), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("/home/u/.openclaw/openclaw.json:"), std::string::npos);
    }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ConfigBuildErrors,
    ::testing::Values(
        BadValue{"{ gateway: { bind: '0.0.0.0' } }", "gateway.bind",
                 "allowed: \"loopback\", \"lan\", \"tailnet\", \"auto\", \"custom\""},
        BadValue{"{ gateway: { port: 70000 } }", "gateway.port", "out of range"},
        BadValue{"{ gateway: { port: 'abc' } }", "gateway.port", "expected an integer"},
        BadValue{"{ gateway: { mode: 'server' } }", "gateway.mode", "allowed: \"local\", \"remote\""},
        // Found by fuzzing: an integer no long long holds is out of range, not undefined behaviour.
        BadValue{"{ gateway: { port: "
                 "190000000000000000000000000000000000000000000000000000000000000000000000000 } }",
                 "gateway.port", "out of range"},
        BadValue{"{ gateway: { bind: 'custom' } }", "gateway.bind", "customBindHost"},
        BadValue{"{ gateway: { customBindHost: '300.1.1.1' } }", "gateway.customBindHost",
                 "not a valid IPv4"},
        BadValue{"{ gateway: { auth: { rateLimit: { maxAttempts: 0 } } } }",
                 "gateway.auth.rateLimit.maxAttempts", "out of range"},
        BadValue{"{ gateway: { tailscale: { mode: 'on' } } }", "gateway.tailscale.mode", "allowed"},
        BadValue{"{ gateway: { remote: { url: 'http://x' } } }", "gateway.remote.url", "ws://"},
        BadValue{"{ plugins: { allow: 'bonjour' } }", "plugins.allow", "array of strings"},
        BadValue{"{ plugins: { entries: { bonjour: { enabled: 'yes' } } } }",
                 "plugins.entries.bonjour.enabled", "true or false"}));

TEST(ConfigBuild, RealReferenceFileWithUnimplementedKeysLoads) {
    // Shape of the file the reference writes for --dev (see shared/reference/cli-outputs.md).
    const std::string text = R"({
  "agents": { "defaults": { "workspace": "/h/.openclaw-dev/workspace", "skipBootstrap": true,
               "authInheritance": { "agentId": "main" } },
              "entries": { "dev": { "default": true, "identity": { "name": "C3-PO", "emoji": "🤖" } } } },
  "gateway": { "mode": "local", "bind": "loopback", "controlUi": { "allowedOrigins": ["http://x"] },
               "nodes": { "pairing": {} }, "reload": { "mode": "hybrid" } },
  "plugins": { "entries": { "anthropic": { "config": { "sessionCatalog": { "enabled": false } } } } },
  "meta": { "lastTouchedVersion": "2026.9.6" }
})";
    GatewayConfig c = build(text);
    EXPECT_EQ(c.mode, config::GatewayMode::Local);
    EXPECT_TRUE(c.warnings.empty());
    EXPECT_EQ(c.allowedOrigins.size(), 1u);
    ASSERT_TRUE(c.plugins.entries.count("anthropic"));
}

TEST(Paths, ProfilesStateDirsAndOverrides) {
    auto none = [](const std::string&) { return false; };
    Environment env({{"HOME", "/home/u"}});
    EXPECT_EQ(resolvePaths(env, {}, none).configPath, "/home/u/.openclaw/openclaw.json");
    ProfileOptions dev;
    dev.dev = true;
    EXPECT_EQ(resolvePaths(env, dev, none).stateDir, "/home/u/.openclaw-dev");
    ProfileOptions named;
    named.profile = "backup";
    EXPECT_EQ(resolvePaths(env, named, none).stateDir, "/home/u/.openclaw-backup");
    Environment env2({{"HOME", "/home/u"}, {"OPENCLAW_HOME", "/srv/oc"}});
    EXPECT_EQ(resolvePaths(env2, {}, none).stateDir, "/srv/oc/.openclaw");
    Environment env3(
        {{"HOME", "/home/u"}, {"OPENCLAW_STATE_DIR", "~/state"}, {"OPENCLAW_CONFIG_PATH", "/etc/oc.json5"}});
    Paths p = resolvePaths(env3, {}, none);
    EXPECT_EQ(p.stateDir, "/home/u/state");
    EXPECT_EQ(p.configPath, "/etc/oc.json5");
    ProfileOptions bad;
    bad.profile = "../etc";
    EXPECT_THROW(resolvePaths(env, bad, none), std::invalid_argument);
}

TEST(Paths, YamlIsUsedWhenOnlyItExists) {
    Environment env({{"HOME", "/home/u"}});
    auto onlyYaml = [](const std::string& p) { return p == "/home/u/.openclaw/openclaw.yaml"; };
    EXPECT_EQ(resolvePaths(env, {}, onlyYaml).configPath, "/home/u/.openclaw/openclaw.yaml");
}
