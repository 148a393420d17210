// The plugin host against real shared objects: ABI negotiation, refusals with both versions,
// init failures isolated, enable/allow/deny, config validation, precedence of duplicates.
#include "Process.h"

#include "config/ConfigLoader.h"
#include "config/Json5Parser.h"
#include "plugins/ConfigAccess.h"
#include "plugins/HostServices.h"
#include "plugins/Manifest.h"
#include "plugins/PluginError.h"
#include "plugins/PluginHost.h"
#include "json/SchemaValidator.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <future>

using namespace openclaw;

namespace {

const std::string kFixtures = OPENCLAW_TEST_PLUGIN_DIR;
const std::string kBundled = OPENCLAW_BUNDLED_PLUGIN_DIR;

config::GatewayConfigPtr configWith(const std::string& text,
                                    const std::string& stateDir = "/nonexistent-state") {
    config::Document d = config::parseJson5(text, "test.json");
    config::Paths p;
    p.home = "/nonexistent-home";
    p.stateDir = stateDir;
    p.configPath = stateDir + "/openclaw.json";
    return std::make_shared<const config::GatewayConfig>(
        config::buildConfig(&d, p, config::Environment(), {}));
}

std::string loadPath(const std::string& id) {
    return "'" + kFixtures + "/" + id + "'";
}

const plugins::PluginRecord& require(const plugins::PluginHost& h, const std::string& id) {
    const plugins::PluginRecord* r = h.find(id);
    if (!r) throw std::runtime_error("plugin not discovered: " + id);
    return *r;
}

/// Records what plugins ask of the host.
class FakeServices : public plugins::PluginServices {
  public:
    bool emitEvent(const std::string& event, const std::string& payload) override {
        events.push_back(event + " " + payload);
        return true;
    }
    std::string runtimeJson() const override { return "{\"port\":1}"; }
    std::vector<std::string> events;
};

} // namespace

TEST(PluginHost, FiveBundledPluginsAreDiscoveredWithTheirAbi) {
    plugins::PluginHost host(configWith("{}"), {kBundled});
    host.discover();
    host.check();
    for (const char* id : {"auth-token", "auth-password", "tailscale", "bonjour", "ssh-tunnel"}) {
        const auto& r = require(host, id);
        // tailscale needs the 1.1 host services (child processes, deferred answers); the others 1.0.
        const std::string abi = std::string(id).rfind("auth-", 0) == 0 ? "1.0" : "1.1";
        EXPECT_EQ(r.manifest.abi.text(), abi) << id;
        EXPECT_EQ(r.origin, plugins::PluginOrigin::Bundled);
        // bonjour too: beacons are on by default, as the seed says (the reference made them opt-in on Linux).
        EXPECT_EQ(r.state, plugins::PluginState::Ready) << id << ": " << r.error;
        EXPECT_EQ(r.binaryAbi.value_or(plugins::AbiVersion{}).text(), abi);
    }
}

// A gateway's load leaves out what serves only CLI commands (the ssh tunnel); a command's load does not.
TEST(PluginHost, AGatewaysLoadLeavesOutPluginsThatServeOnlyCommands) {
    plugins::PluginHost host(configWith("{ plugins: { entries: { bonjour: { enabled: false } } } }"),
                             {kBundled});
    host.discover();
    EXPECT_TRUE(require(host, "ssh-tunnel").manifest.servesOnlyCommands());
    EXPECT_FALSE(require(host, "auth-token").manifest.servesOnlyCommands());
    EXPECT_FALSE(plugins::Manifest{}.servesOnlyCommands()); // no capability: nothing says it is CLI-side
    plugins::LoadFilter forGateway;
    forGateway.skipCommandOnly = true;
    host.load(nullptr, nullptr, forGateway);
    EXPECT_EQ(require(host, "ssh-tunnel").state, plugins::PluginState::Discovered);
    EXPECT_EQ(require(host, "auth-token").state, plugins::PluginState::Loaded);
    for (plugins::LoadedPlugin* p : host.loaded())
        EXPECT_NE(p->record().manifest.id, "ssh-tunnel");
    host.unload();

    plugins::PluginHost cli(configWith("{}"), {kBundled});
    cli.discover();
    plugins::LoadFilter tunnels;
    tunnels.capability = OC_CAP_TUNNEL;
    cli.load(nullptr, nullptr, tunnels);
    EXPECT_EQ(require(cli, "ssh-tunnel").state, plugins::PluginState::Loaded);
    cli.unload();
}

/// What test.refuse writes to its error sink (an RpcError it chose).
std::string refusedError(plugins::LoadedPlugin& p) {
    return p.callMethod(p.methods()[3], "{}").error;
}

TEST(PluginHost, GoodPluginLoadsAndServesMethodsWithItsValidatedConfig) {
    auto cfg = configWith("{ plugins: { load: { paths: [" + loadPath("test-good") +
                          "] }, entries: { 'test-good': { config: { greeting: 'hi' } } } } }");
    plugins::PluginHost host(cfg, {});
    host.discover();
    FakeServices services;
    host.load(&services);
    const auto& r = require(host, "test-good");
    ASSERT_EQ(r.state, plugins::PluginState::Loaded) << r.error;
    EXPECT_EQ(r.origin, plugins::PluginOrigin::Config);
    plugins::LoadedPlugin* p = host.loaded().at(0);
    const oc_methods_vtable* m = p->descriptor().methods;
    ASSERT_NE(m, nullptr);
    ASSERT_EQ(m->method_count, 10u);
    auto echo = p->callMethod(p->methods()[0], "{\"x\":1}");
    EXPECT_EQ(echo.status, OC_OK);
    EXPECT_EQ(echo.result, "{\"x\":1}");
    auto cfgEcho = p->callMethod(p->methods()[1], "{}");
    EXPECT_EQ(cfgEcho.result, "{\"greeting\":\"hi\"}");
    // An exception inside the plugin becomes an error result (the ABI's error object, marked as the plugin's
    // own failure); nothing crosses the ABI.
    auto thrown = p->callMethod(p->methods()[2], "{}");
    EXPECT_EQ(thrown.status, OC_ERR);
    EXPECT_EQ(
        thrown.error,
        R"({"code":"UNAVAILABLE","message":"boom from the plugin","details":{"code":"PLUGIN_INTERNAL_ERROR"}})");
    const plugins::PluginError e = plugins::parsePluginError(thrown.error);
    EXPECT_TRUE(e.internal());
    EXPECT_EQ(e.text(), "boom from the plugin");
    const plugins::PluginError chosen = plugins::parsePluginError(refusedError(*p));
    EXPECT_FALSE(chosen.internal());
    EXPECT_EQ(chosen.code, "FORBIDDEN");
    EXPECT_TRUE(plugins::parsePluginError("plain text from a 1.0 plugin").internal());
    EXPECT_EQ(plugins::parsePluginError("plain text from a 1.0 plugin").text(),
              "plain text from a 1.0 plugin");
    auto refused = p->callMethod(p->methods()[3], "{}");
    EXPECT_NE(refused.error.find("\"code\":\"FORBIDDEN\""), std::string::npos);
    p->callMethod(p->methods()[4], "{\"n\":2}");
    ASSERT_EQ(services.events.size(), 1u);
    EXPECT_EQ(services.events[0], "test.event {\"n\":2}");
}

TEST(PluginHost, UnsupportedAbiAnsweredByTheBinaryIsRefusedWithBothVersions) {
    plugins::PluginHost host(
        configWith("{ plugins: { load: { paths: [" + loadPath("test-abi999") + "] } } }"), {});
    host.discover();
    host.load(nullptr);
    const auto& r = require(host, "test-abi999");
    EXPECT_EQ(r.state, plugins::PluginState::Error);
    EXPECT_EQ(r.binaryAbi.value_or(plugins::AbiVersion{}).text(), "999.0");
    EXPECT_NE(r.error.find("needs plugin ABI 999.0"), std::string::npos) << r.error;
    EXPECT_NE(r.error.find("this gateway speaks ABI 1.3"), std::string::npos) << r.error;
    EXPECT_NE(r.error.find("test-abi999.so"), std::string::npos) << r.error;
    EXPECT_TRUE(host.loaded().empty());
}

TEST(PluginHost, ManifestAbiTheHostDoesNotSpeakIsRefusedWithoutLoadingCode) {
    openclaw::test::TempDir dir;
    std::filesystem::copy(kFixtures + "/test-good", dir.path() + "/future",
                          std::filesystem::copy_options::recursive);
    std::string manifest = openclaw::test::readFile(dir.path() + "/future/openclaw.plugin.json");
    manifest.replace(manifest.find("\"abi\": 1"), 8, "\"abi\": 7");
    dir.write("future/openclaw.plugin.json", manifest);
    plugins::PluginHost host(configWith("{ plugins: { load: { paths: ['" + dir.path() + "/future'] } } }"),
                             {});
    host.discover();
    host.check();
    const auto& r = require(host, "test-good");
    EXPECT_EQ(r.state, plugins::PluginState::Error);
    EXPECT_FALSE(r.binaryAbi.has_value()); // never opened
    EXPECT_NE(r.error.find("needs plugin ABI 7.0"), std::string::npos) << r.error;
    EXPECT_NE(r.error.find("this gateway speaks ABI 1.3"), std::string::npos) << r.error;
    // A typo in the manifest is as likely as a binary for another gateway: both are named.
    EXPECT_NE(r.error.find("rebuild the plugin against this gateway's SDK"), std::string::npos) << r.error;
    EXPECT_NE(r.error.find("correct \"abi\" in " + dir.path() + "/future/openclaw.plugin.json"),
              std::string::npos)
        << r.error;
}

TEST(PluginHost, MissingEntryPointAndIdMismatchAreRefused) {
    plugins::PluginHost host(configWith("{ plugins: { load: { paths: [" + loadPath("test-noentry") + ", " +
                                        loadPath("test-mismatch") + "] } } }"),
                             {});
    host.discover();
    host.load(nullptr);
    EXPECT_NE(require(host, "test-noentry").error.find("missing entry point openclaw_plugin_entry"),
              std::string::npos);
    const std::string& mismatch = require(host, "test-mismatch").error;
    EXPECT_NE(mismatch.find("manifest id \"test-mismatch\" disagrees with the binary's id \"someone-else\""),
              std::string::npos)
        << mismatch;
    EXPECT_TRUE(host.loaded().empty());
}

TEST(PluginHost, InitThatThrowsIsIsolatedAndOthersStillLoad) {
    plugins::PluginHost host(configWith("{ plugins: { load: { paths: [" + loadPath("test-initfails") + ", " +
                                        loadPath("test-good") + "] } } }"),
                             {});
    host.discover();
    host.load(nullptr);
    const auto& bad = require(host, "test-initfails");
    EXPECT_EQ(bad.state, plugins::PluginState::Error);
    EXPECT_NE(bad.error.find("init failed: cannot start: no widget"), std::string::npos) << bad.error;
    EXPECT_EQ(require(host, "test-good").state, plugins::PluginState::Loaded);
    ASSERT_EQ(host.loaded().size(), 1u);
}

TEST(PluginHost, EnabledFalseDenyAndAllow) {
    const std::string paths = "load: { paths: [" + loadPath("test-good") + "] }";
    {
        plugins::PluginHost host(
            configWith("{ plugins: { " + paths + ", entries: { 'test-good': { enabled: false } } } }"),
            {kBundled});
        host.discover();
        EXPECT_EQ(require(host, "test-good").state, plugins::PluginState::Disabled);
        EXPECT_NE(require(host, "test-good").enabledReason.find("plugins.entries.test-good.enabled"),
                  std::string::npos);
    }
    {
        plugins::PluginHost host(
            configWith("{ plugins: { " + paths + ", deny: ['test-good'], allow: ['test-good'] } }"),
            {kBundled});
        host.discover();
        EXPECT_EQ(require(host, "test-good").enabledReason, "denied by plugins.deny"); // deny wins over allow
    }
    {
        plugins::PluginHost host(configWith("{ plugins: { " + paths + ", allow: ['auth-token'] } }"),
                                 {kBundled});
        host.discover();
        EXPECT_EQ(require(host, "test-good").enabledReason, "not in plugins.allow");
        EXPECT_TRUE(require(host, "auth-token").enabled);
        EXPECT_FALSE(require(host, "tailscale").enabled);
    }
    {
        plugins::PluginHost host(configWith("{ plugins: { enabled: false } }"), {kBundled});
        host.discover();
        EXPECT_FALSE(require(host, "auth-token").enabled);
    }
    {
        plugins::PluginHost host(configWith("{ plugins: { entries: { bonjour: { enabled: true } } } }"),
                                 {kBundled});
        host.discover();
        EXPECT_TRUE(require(host, "bonjour").enabled);
    }
}

TEST(PluginHost, ConfigIsValidatedAgainstTheManifestSchemaBeforeThePluginSeesIt) {
    plugins::PluginHost host(
        configWith("{ plugins: { load: { paths: [" + loadPath("test-good") +
                   "] }, entries: { 'test-good': { config: { greeting: 5, level: 9, extra: 1 } } } } }"),
        {});
    host.discover();
    host.load(nullptr);
    const auto& r = require(host, "test-good");
    EXPECT_EQ(r.state, plugins::PluginState::Error);
    EXPECT_NE(r.error.find("plugins.entries.test-good.config.greeting must be string"), std::string::npos)
        << r.error;
    EXPECT_NE(r.error.find("config.level must be <= 5"), std::string::npos) << r.error;
    EXPECT_NE(r.error.find("config.extra is not allowed"), std::string::npos) << r.error;
    EXPECT_TRUE(host.loaded().empty());
}

TEST(PluginHost, HighestPrecedenceCopyWinsOnDuplicateIds) {
    openclaw::test::TempDir state;
    std::filesystem::create_directories(state.path() + "/plugins");
    std::filesystem::copy(kFixtures + "/test-good", state.path() + "/plugins/test-good",
                          std::filesystem::copy_options::recursive);
    plugins::PluginHost host(
        configWith("{ plugins: { load: { paths: [" + loadPath("test-good") + "] } } }", state.path()), {});
    host.discover();
    ASSERT_EQ(host.records().size(), 2u);
    EXPECT_EQ(host.records()[0].origin, plugins::PluginOrigin::Config);
    EXPECT_EQ(host.records()[1].origin, plugins::PluginOrigin::State);
    EXPECT_EQ(host.records()[1].state, plugins::PluginState::Shadowed);
    EXPECT_NE(host.records()[1].enabledReason.find("higher precedence"), std::string::npos);
}

TEST(PluginHost, BadManifestIsReportedWithFileAndField) {
    openclaw::test::TempDir dir;
    dir.write("broken/openclaw.plugin.json",
              "{ \"id\": \"broken\", \"abi\": 1, \"capabilities\": [\"teleport\"], "
              "\"configSchema\": {} }");
    plugins::PluginHost host(configWith("{ plugins: { load: { paths: ['" + dir.path() + "'] } } }"), {});
    host.discover();
    ASSERT_EQ(host.discoveryErrors().size(), 1u);
    EXPECT_NE(host.discoveryErrors()[0].find("openclaw.plugin.json:1:"), std::string::npos)
        << host.discoveryErrors()[0];
    EXPECT_NE(host.discoveryErrors()[0].find("unknown capability \"teleport\""), std::string::npos);
}

TEST(Schema, ValidatesTheSupportedSubset) {
    json::Var schema = json::parse(R"({"type":"object","required":["a"],"additionalProperties":false,
        "properties":{"a":{"type":"string","pattern":"^x"},"b":{"type":["integer","null"],"minimum":2},
        "c":{"type":"array","items":{"enum":["p","q"]},"maxItems":2}}})");
    EXPECT_TRUE(json::validateSchema(schema, json::parse(R"({"a":"xy","b":null,"c":["p"]})")).empty());
    auto v = json::validateSchema(schema, json::parse(R"({"b":1,"c":["z","p","q"],"d":true})"));
    std::vector<std::string> paths;
    for (const auto& x : v)
        paths.push_back(x.path + ": " + x.message);
    ASSERT_EQ(v.size(), 5u) << ::testing::PrintToString(paths);
    EXPECT_EQ(v[0].path, "a");
    EXPECT_EQ(v[0].message, "is required");
    EXPECT_TRUE(json::checkSchema(json::parse(R"({"type":"object","oneOf":[]})")).empty());
    EXPECT_EQ(json::checkSchema(json::parse(R"({"type":"object","patternProperties":{}})")).size(), 1u);
}

TEST(Schema, AManifestsSchemaIsCompiledOnceWhenParsedAndChecksEverySection) {
    const plugins::Manifest m = plugins::parseManifest(
        R"({"id":"demo","abi":"1.2","capabilities":["methods"],
            "configSchema":{"type":"object","additionalProperties":false,
                            "properties":{"port":{"type":"integer","minimum":1}}}})",
        "/plugins/demo/openclaw.plugin.json");
    ASSERT_NE(m.compiledSchema, nullptr);
    const plugins::Manifest copy = m; // records hold copies; the compiled tables are shared, not rebuilt
    EXPECT_EQ(copy.compiledSchema, m.compiledSchema);
    EXPECT_TRUE(copy.checkConfig(json::parse(R"({"port":8080})")).empty());
    auto v = copy.checkConfig(json::parse(R"({"port":0,"prot":1})"));
    ASSERT_EQ(v.size(), 2u);
    EXPECT_EQ(v[0].path, "port");
    EXPECT_EQ(v[0].message, "must be >= 1");
    EXPECT_EQ(v[1].path, "prot");
    EXPECT_TRUE(v[1].unknownKey);
    EXPECT_TRUE(plugins::Manifest{}.checkConfig(json::parse(R"({"any":1})")).empty()); // no schema: nothing
}

TEST(Schema, AnyOfNeedsOneBranchAndSaysWhatWouldDo) {
    json::Var schema = json::parse(R"({"type":"object","properties":{
        "mode":{"anyOf":[{"type":"string","const":"local"},{"type":"string","const":"remote"}]},
        "n":{"anyOf":[{"type":"integer","minimum":1},{"type":"string"}]},
        "p":{"type":"integer","exclusiveMinimum":0}},"additionalProperties":false})");
    EXPECT_TRUE(json::validateSchema(schema, json::parse(R"({"mode":"remote","n":"x","p":1})")).empty());
    auto v = json::validateSchema(schema, json::parse(R"({"mode":"lokal","n":0,"p":0,"moed":1})"));
    ASSERT_EQ(v.size(), 4u);
    EXPECT_EQ(v[0].path, "mode"); // in the value's key order
    EXPECT_EQ(v[0].message, R"(must be "local" or "remote" (got "lokal"))");
    EXPECT_EQ(v[1].message, "must be >= 1"); // the branch whose type fits speaks
    EXPECT_EQ(v[2].message, "must be > 0");
    EXPECT_EQ(v[3].path, "moed");
    EXPECT_TRUE(v[3].unknownKey);
    EXPECT_EQ(v[3].known, (std::vector<std::string>{"mode", "n", "p"}));
}

// ABI 1.2: a call's handle belongs to the plugin it was given to; another plugin's complete() or
// set_deadline() with it is refused, and the owner's own answer still reaches the caller.
TEST(HostServicesCalls, CompleteIsRefusedToAnotherOwner) {
    plugins::HostServices services;
    const int ownerA = 0, ownerB = 0;
    const uint64_t call = services.issueCall(&ownerA);
    ASSERT_NE(call, 0u);
    std::promise<plugins::HostServices::Completion> got;
    services.awaitCompletion(call, std::chrono::milliseconds(5000), "test",
                             [&got](plugins::HostServices::Completion c) { got.set_value(std::move(c)); });
    EXPECT_FALSE(services.complete(call, &ownerB, {0, "{\"by\":\"B\"}", ""}));
    EXPECT_TRUE(services.complete(call, &ownerA, {0, "{\"by\":\"A\"}", ""}));
    auto answer = got.get_future();
    ASSERT_EQ(answer.wait_for(std::chrono::seconds(5)), std::future_status::ready);
    EXPECT_EQ(answer.get().result, "{\"by\":\"A\"}");
}

TEST(HostServicesCalls, AnOwnersDeadlineAndErrorReplaceTheHosts) {
    plugins::HostServices services;
    const int owner = 0, other = 0;
    const uint64_t call = services.issueCall(&owner);
    EXPECT_FALSE(services.setDeadline(call, &other, std::chrono::milliseconds(50), "{}"));
    ASSERT_TRUE(services.setDeadline(call, &owner, std::chrono::milliseconds(50), R"({"code":"MINE"})"));
    std::promise<plugins::HostServices::Completion> got;
    // The host's own limit (60 s) is replaced by the owner's 50 ms.
    services.awaitCompletion(call, std::chrono::milliseconds(60000), "test",
                             [&got](plugins::HostServices::Completion c) { got.set_value(std::move(c)); });
    auto answer = got.get_future();
    ASSERT_EQ(answer.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    const plugins::HostServices::Completion c = answer.get();
    EXPECT_NE(c.status, 0);
    EXPECT_EQ(c.error, R"({"code":"MINE"})");
}

// ABI 1.2 least privilege: a plugin is handed the gateway paths its manifest lists, secrets redacted unless
// it asks for them; a 1.0/1.1 plugin keeps the whole section.
TEST(ConfigAccess, APluginSeesOnlyItsPathsAndNoSecretsUnlessAsked) {
    json::ObjectPtr gateway = json::asObject(json::parse(
        R"({"port":1,"mode":"local","auth":{"mode":"token","token":"S3cret"},"tailscale":{"mode":"serve"}})"));
    plugins::ConfigAccess access;
    ASSERT_EQ(plugins::parseConfigAccess(json::parse(R"({"gateway":["tailscale.mode","auth"]})"), access),
              "");
    const std::string view = json::stringify(plugins::gatewayViewFor(access, gateway));
    EXPECT_EQ(view.find("S3cret"), std::string::npos) << view;
    EXPECT_NE(view.find(R"("tailscale":{"mode":"serve"})"), std::string::npos) << view;
    EXPECT_EQ(view.find("\"port\""), std::string::npos) << view;
    access.secrets = true;
    EXPECT_NE(json::stringify(plugins::gatewayViewFor(access, gateway)).find("S3cret"), std::string::npos);
    plugins::ConfigAccess legacy; // 1.0/1.1
    EXPECT_EQ(json::stringify(plugins::gatewayViewFor(legacy, gateway)), json::stringify(gateway));
    plugins::ConfigAccess none;
    ASSERT_EQ(plugins::parseConfigAccess(json::Var(), none), "");
    EXPECT_EQ(json::stringify(plugins::gatewayViewFor(none, gateway)), "{}");
    EXPECT_NE(plugins::parseConfigAccess(json::parse(R"({"gateway":["a..b"]})"), none), "");
    EXPECT_NE(plugins::parseConfigAccess(json::parse(R"({"paths":[]})"), none).find("unknown key \"paths\""),
              std::string::npos);
}

// A library dlopen refuses: the record says what dlopen said, not Boost.DLL's wrapping of it (nor its errno).
TEST(PluginHost, ALoadErrorSaysWhatDlopenSaidAndNothingElse) {
    openclaw::test::TempDir dir;
    std::filesystem::copy(kFixtures + "/test-good", dir.path() + "/broken",
                          std::filesystem::copy_options::recursive);
    dir.write("broken/test-good.so", std::string(256, 'x')); // long enough for dlopen to read a header
    plugins::PluginHost host(configWith("{ plugins: { load: { paths: ['" + dir.path() + "/broken'] } } }"),
                             {});
    host.discover();
    host.check();
    const auto& r = require(host, "test-good");
    EXPECT_EQ(r.state, plugins::PluginState::Error);
    const std::string so = dir.path() + "/broken/test-good.so";
    EXPECT_EQ(r.error.rfind(so + ": cannot be loaded: " + so + ": ", 0), 0u) << r.error;
    EXPECT_NE(r.error.find("invalid ELF header"), std::string::npos) << r.error;
    EXPECT_EQ(r.error.find("boost::dll"), std::string::npos) << r.error;
    EXPECT_EQ(r.error.find("Bad file descriptor"), std::string::npos) << r.error;
}
