// The reference OpenClaw CLI (npm openclaw@2026.9.6 on Node 24) against our gateway.
// The reference is installed by tests/interop/install-reference.sh (scripts/test.sh runs it).
#include "Process.h"
#include "Reference.h"

#include "json/Json.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <thread>

using namespace openclaw;
using namespace openclaw::test;

namespace {

class ReferenceCli : public ::testing::Test {
  protected:
    void SetUp() override {
        if (!referenceAvailable())
            GTEST_SKIP() << "reference OpenClaw not installed (tests/interop/install-reference.sh)";
    }
    void TearDown() override {
        recordCurrentTest("reference-cli-to-our-gateway", "reference CLI against our gateway");
    }
    /// Runs the reference CLI with its own empty HOME.
    RunResult ref(const std::vector<std::string>& args) {
        std::vector<std::string> argv = {referenceNode(), referenceCli()};
        argv.insert(argv.end(), args.begin(), args.end());
        return run(argv, referenceEnv(cliHome_.path()), 90000);
    }
    TempDir cliHome_;
};

const std::string kToken = R"({ gateway: { mode: 'local', auth: { token: 'T0k3n' } } })";

} // namespace

TEST_F(ReferenceCli, HealthHumanAndJsonAgainstOurTokenGateway) {
    GatewayUnderTest gw(kToken, {});
    RunResult h = ref({"gateway", "health", "--url", gw.url(), "--token", "T0k3n"});
    EXPECT_EQ(h.code, 0) << h.err;
    EXPECT_EQ(h.out.rfind("Gateway Health\nOK (", 0), 0u) << h.out;
    RunResult j = ref({"gateway", "health", "--json", "--url", gw.url(), "--token", "T0k3n"});
    EXPECT_EQ(j.code, 0) << j.err;
    EXPECT_EQ(json::getBool(json::asObject(json::parse(j.out)), "ok"), true) << j.out;
}

TEST_F(ReferenceCli, CallsStatusHealthPresenceAndLogsTail) {
    GatewayUnderTest gw(kToken, {});
    for (const std::vector<std::string>& call : readCalls()) {
        std::vector<std::string> args = {"gateway", "call"};
        args.insert(args.end(), call.begin(), call.end());
        args.insert(args.end(), {"--url", gw.url(), "--token", "T0k3n"});
        RunResult r = ref(args);
        EXPECT_EQ(r.code, 0) << call[0] << ": " << r.err;
        EXPECT_EQ(r.out.rfind("Gateway call: " + call[0] + "\n", 0), 0u) << r.out;
    }
}

TEST_F(ReferenceCli, WrongTokenAndMissingCredentialsFailLikeAgainstTheReference) {
    GatewayUnderTest gw(kToken, {});
    RunResult wrong = ref({"gateway", "health", "--url", gw.url(), "--token", "WRONG"});
    EXPECT_EQ(wrong.code, 1);
    EXPECT_NE(wrong.err.find(
                  "gateway connect failed: GatewayClientRequestError: unauthorized: gateway token mismatch"),
              std::string::npos)
        << wrong.err;
    RunResult wrongJson = ref({"gateway", "health", "--json", "--url", gw.url(), "--token", "WRONG"});
    EXPECT_EQ(wrongJson.code, 1);
    json::ObjectPtr err = json::getObject(json::asObject(json::parse(wrongJson.out)), "error");
    EXPECT_EQ(json::getString(err, "type"), "gateway_request_error");
    EXPECT_EQ(json::getString(json::getObject(err, "details"), "code"), "AUTH_TOKEN_MISMATCH");
    RunResult none = ref({"gateway", "health", "--url", gw.url()});
    EXPECT_EQ(none.code, 1);
    EXPECT_NE(none.err.find("gateway url override requires explicit credentials"), std::string::npos);
    RunResult unknown = ref({"gateway", "call", "no.such.method", "--url", gw.url(), "--token", "T0k3n"});
    EXPECT_EQ(unknown.code, 1);
    EXPECT_NE(unknown.err.find("Gateway call failed: unknown method: no.such.method"), std::string::npos)
        << unknown.err;
}

TEST_F(ReferenceCli, PasswordGateway) {
    GatewayUnderTest gw(R"({ gateway: { mode: 'local', auth: { mode: 'password', password: 'Pa55w0rd' } } })",
                        {});
    RunResult ok = ref({"gateway", "health", "--url", gw.url(), "--password", "Pa55w0rd"});
    EXPECT_EQ(ok.code, 0) << ok.err;
    RunResult status = ref({"gateway", "call", "status", "--url", gw.url(), "--password", "Pa55w0rd"});
    EXPECT_EQ(status.code, 0) << status.err;
    RunResult wrong = ref({"gateway", "health", "--url", gw.url(), "--password", "nope"});
    EXPECT_EQ(wrong.code, 1);
    EXPECT_NE(wrong.err.find("gateway password mismatch"), std::string::npos) << wrong.err;
    RunResult token = ref({"gateway", "health", "--url", gw.url(), "--token", "Pa55w0rd"});
    EXPECT_EQ(token.code, 1);
    EXPECT_NE(token.err.find("gateway password mismatch"), std::string::npos) << token.err;
}

TEST_F(ReferenceCli, StatusAndProbeSeeOurGateway) {
    GatewayUnderTest gw(kToken, {});
    RunResult status = ref({"gateway", "status", "--json", "--url", gw.url(), "--token", "T0k3n"});
    EXPECT_EQ(status.code, 0) << status.err;
    json::ObjectPtr rpc = json::getObject(json::asObject(json::parse(status.out)), "rpc");
    EXPECT_EQ(json::getBool(rpc, "ok"), true) << status.out;
    RunResult probe = ref({"gateway", "probe", "--json", "--url", gw.url(), "--token", "T0k3n"});
    EXPECT_EQ(probe.code, 0) << probe.err;
    json::ObjectPtr p = json::asObject(json::parse(probe.out));
    EXPECT_EQ(json::getBool(p, "ok"), true);
    bool connected = false;
    json::ArrayPtr targets = json::getArray(p, "targets");
    for (size_t i = 0; targets && i < targets->size(); ++i) {
        json::ObjectPtr t = json::asObject(targets->get(static_cast<unsigned>(i)));
        if (json::getString(t, "url") == gw.url())
            connected = json::getBool(json::getObject(t, "connect"), "ok").value_or(false);
    }
    EXPECT_TRUE(connected) << probe.out;
}

// openclaw.json is shared with the rest of OpenClaw: whatever our commands write there must pass the
// reference's own `config validate`, and what it refuses there is what we keep in native.json5.
TEST_F(ReferenceCli, TheConfigOurCommandsWriteIsValidForTheReference) {
    TempDir home;
    const int port = freePort();
    ChildProcess gw({openclawBin(), "--dev", "gateway", "run", "--port", std::to_string(port)},
                    {{"HOME", home.path()}, {"OPENCLAW_GATEWAY_TOKEN", ""}, {"OPENCLAW_CONFIG_PATH", ""}});
    ASSERT_TRUE(waitReadyz(gw, port)) << gw.out() << gw.err();
    ASSERT_EQ(gw.stop(), 0);
    std::vector<std::string> validate = {referenceNode(), referenceCli(), "--dev", "config", "validate"};
    RunResult written = run(validate, referenceEnv(home.path()), 90000);
    EXPECT_EQ(written.code, 0) << "the reference refuses the dev config we wrote:\n"
                               << written.out << written.err;
    // Our own settings in openclaw.json: the reference refuses them there, as our warning says.
    home.write(".openclaw-dev/openclaw.json", "{ gateway: { mode: 'local', limits: { maxSessions: 5 } } }");
    RunResult ours = run(validate, referenceEnv(home.path()), 90000);
    EXPECT_EQ(ours.code, 1);
    EXPECT_NE((ours.out + ours.err).find("Unrecognized key: \"limits\""), std::string::npos)
        << ours.out << ours.err;
}

// The config commands against the reference's on the same file: the same answers and exit codes, and
// what ours write passes the reference's `config validate`.
TEST_F(ReferenceCli, ConfigCommandsAgreeWithTheReferenceAndWriteWhatItAccepts) {
    TempDir home;
    home.write(".openclaw/openclaw.json", "{\n  // kept\n  gateway: { mode: 'local', port: 18800 },\n}\n");
    auto ours = [&](std::vector<std::string> args) {
        args.insert(args.begin(), openclawBin());
        return run(args,
                   {{"HOME", home.path()}, {"OPENCLAW_CONFIG_PATH", ""}, {"OPENCLAW_NATIVE_CONFIG", ""}});
    };
    auto theirs = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {referenceNode(), referenceCli()});
        return run(args, referenceEnv(home.path()), 90000);
    };
    for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
             {"config", "get", "gateway.port"}, {"config", "get", "gateway.mode"}, {"config", "file"}}) {
        RunResult a = ours(args);
        RunResult b = theirs(args);
        EXPECT_EQ(a.code, b.code) << ::testing::PrintToString(args) << b.err;
        EXPECT_EQ(a.out, b.out) << ::testing::PrintToString(args);
    }
    // An object: the same members (the reference prints them in its schema's order, we in the file's).
    json::ObjectPtr mine = json::asObject(json::parse(ours({"config", "get", "gateway", "--json"}).out));
    json::ObjectPtr ref = json::asObject(json::parse(theirs({"config", "get", "gateway", "--json"}).out));
    ASSERT_TRUE(mine && ref);
    std::vector<std::string> mineKeys = mine->getNames();
    std::vector<std::string> refKeys = ref->getNames();
    std::sort(mineKeys.begin(), mineKeys.end());
    std::sort(refKeys.begin(), refKeys.end());
    EXPECT_EQ(mineKeys, refKeys);
    for (const auto& k : mineKeys)
        EXPECT_EQ(json::stringify(mine->get(k)), json::stringify(ref->get(k))) << k;
    EXPECT_EQ(ours({"config", "get", "gateway.bind"}).code, theirs({"config", "get", "gateway.bind"}).code);

    ASSERT_EQ(ours({"config", "set", "gateway.auth.token", "S3t"}).code, 0);
    ASSERT_EQ(ours({"config", "set", "gateway.bind", "loopback"}).code, 0);
    ASSERT_EQ(ours({"plugins", "disable", "bonjour"}).code, 0);
    ASSERT_EQ(ours({"config", "set", "--native", "gateway.limits.maxSessions", "5"}).code, 0);
    RunResult valid = theirs({"config", "validate"});
    EXPECT_EQ(valid.code, 0) << "the reference refuses what our config commands wrote:\n"
                             << readFile(home.path() + "/.openclaw/openclaw.json") << valid.out << valid.err;
    // Both show a secret redacted.
    EXPECT_EQ(theirs({"config", "get", "gateway.auth.token"}).out, "__OPENCLAW_REDACTED__\n");
    EXPECT_EQ(ours({"config", "get", "gateway.auth.token"}).out, "__OPENCLAW_REDACTED__\n");

    TempDir fresh;
    RunResult setup = run({openclawBin(), "setup"}, {{"HOME", fresh.path()}, {"OPENCLAW_CONFIG_PATH", ""}});
    ASSERT_EQ(setup.code, 0) << setup.err;
    RunResult setupValid =
        run({referenceNode(), referenceCli(), "config", "validate"}, referenceEnv(fresh.path()), 90000);
    EXPECT_EQ(setupValid.code, 0) << readFile(fresh.path() + "/.openclaw/openclaw.json") << setupValid.out
                                  << setupValid.err;
}

// Help that teaches, laid out as the reference's: the same commands listed, and the query commands take the
// same options.
TEST_F(ReferenceCli, HelpListsTheSameCommandsAndQueryOptionsAsTheReference) {
    TempDir home;
    RunResult ours = run({openclawBin(), "gateway", "--help"}, {{"HOME", home.path()}});
    RunResult theirs = ref({"gateway", "--help"});
    ASSERT_EQ(ours.code, 0);
    ASSERT_EQ(theirs.code, 0) << theirs.err;
    for (const char* section :
         {"Usage: openclaw gateway [options] [command]", "\nOptions:\n", "\nCommands:\n", "\nExamples:\n"}) {
        EXPECT_NE(ours.out.find(section), std::string::npos) << section;
        EXPECT_NE(theirs.out.find(section), std::string::npos) << section;
    }
    for (const char* cmd : {"run", "health", "call", "status", "probe", "install", "start", "stop", "restart",
                            "uninstall", "discover"}) {
        const std::string line = std::string("\n  ") + cmd + " ";
        EXPECT_NE(ours.out.find(line), std::string::npos) << cmd;
        EXPECT_NE(theirs.out.find(line), std::string::npos) << cmd;
    }
    for (const char* cmd : {"health", "call", "status", "probe"}) {
        RunResult mine = run({openclawBin(), "gateway", cmd, "-h"}, {{"HOME", home.path()}});
        RunResult refs = ref({"gateway", cmd, "-h"});
        for (const char* opt : {"--url <url>", "--port <port>", "--token <token>", "--password <password>",
                                "--timeout <ms>", "--json", "-h, --help"}) {
            if (refs.out.find(opt) == std::string::npos) continue; // only what the reference offers there
            EXPECT_NE(mine.out.find(opt), std::string::npos) << cmd << " " << opt << "\n" << mine.out;
        }
    }
}
