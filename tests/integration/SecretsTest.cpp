// Secrets never leave the gateway: not in its console or file logs (even --verbose --ws-log full),
// config.get, status, health, logs.tail, presence, error messages to clients, or our CLI's output.
#include "Process.h"

#include "client/GatewayClient.h"

#include <gtest/gtest.h>

using namespace openclaw;
using namespace openclaw::test;

namespace {

const std::string kToken = "S3cr3tT0kenValue9d2f";
const std::string kWrong = "Wr0ngGuessValue41aa";
const std::string kRemote = "R3moteT0kenValue77c1";

void expectClean(const std::string& where, const std::string& text) {
    EXPECT_EQ(text.find(kToken), std::string::npos) << "the token leaked into " << where << ":\n" << text;
    EXPECT_EQ(text.find(kWrong), std::string::npos) << "a guessed token leaked into " << where << ":\n"
                                                    << text;
    EXPECT_EQ(text.find(kRemote), std::string::npos) << "gateway.remote.token leaked into " << where;
}

} // namespace

TEST(Secrets, NeverInLogsRpcAnswersErrorsOrCliOutput) {
    GatewayUnderTest gw(R"({ gateway: { mode: 'local', auth: { token: ')" + kToken +
                            R"(' }, remote: { token: ')" + kRemote + R"(' } } })",
                        {"--verbose", "--ws-log", "full"});
    // A wrong guess: the error the client gets names neither secret.
    try {
        client::GatewayClient wrong({gw.url(), kWrong});
        wrong.connect();
        FAIL() << "a wrong token got in";
    } catch (const client::GatewayError& e) {
        expectClean("the wrong-token error", std::string(e.what()) + json::stringify(e.rpc.toJson()));
    }
    client::GatewayClient c({gw.url(), kToken});
    c.connect();
    for (const char* method : {"config.get", "status", "health", "system-presence"})
        expectClean(method, json::stringify(c.call(method)));
    // A request that carries a secret in its params is logged redacted (--ws-log full logs params).
    try {
        c.call("config.set", json::parse(R"({"raw":"{}","token":")" + kToken + R"("})"));
    } catch (const client::GatewayError&) {
    }
    expectClean("logs.tail", json::stringify(c.call("logs.tail", json::parse(R"({"limit":500})"))));
    c.close();

    auto env = gw.env();
    env["OPENCLAW_GATEWAY_PORT"] = std::to_string(gw.port()); // so `status --deep` probes this gateway
    const std::string url = gw.url();
    struct Case {
        std::vector<std::string> args;
        int code;             ///< the command must still do its job ...
        std::string expected; ///< ... and say so (stdout + stderr)
    };
    for (const Case& tc : std::vector<Case>{
             {{"gateway", "status", "--json", "--url", url, "--token", kToken}, 0, "\"ok\": true"},
             {{"gateway", "status", "--deep"}, 0, "Connectivity probe: ok"},
             {{"gateway", "call", "config.get", "--url", url, "--token", kToken, "--json"},
              0,
              "__OPENCLAW_REDACTED__"},
             {{"gateway", "health", "--url", url, "--token", kWrong}, 1, "gateway token mismatch"},
             {{"gateway", "probe", "--json", "--url", url, "--token", kToken}, 0, "\"ok\": true"}}) {
        std::vector<std::string> argv{openclawBin()};
        argv.insert(argv.end(), tc.args.begin(), tc.args.end());
        RunResult r = run(argv, env);
        std::string cmd;
        for (const auto& a : tc.args)
            cmd += (a == kToken || a == kWrong ? std::string("<secret>") : a) + " ";
        EXPECT_EQ(r.code, tc.code) << "`openclaw " << cmd << "`\n" << r.out << r.err;
        EXPECT_NE((r.out + r.err).find(tc.expected), std::string::npos)
            << "`openclaw " << cmd << "` does not say " << tc.expected << ":\n"
            << r.out << r.err;
        expectClean("`openclaw " + cmd + "` stdout", r.out);
        expectClean("`openclaw " + cmd + "` stderr", r.err);
    }
    expectClean("the gateway's stdout", gw.process().out());
    expectClean("the gateway's stderr", gw.process().err());
    const std::string logFile = readFile(gw.home() + "/.openclaw/logs/gateway.log");
    EXPECT_NE(logFile.find("config.set"), std::string::npos) << "the request was not logged at all";
    expectClean("the log file", logFile);
}

TEST(Secrets, PasswordOnTheCommandLineIsWarnedAbout) {
    GatewayUnderTest gw(R"({ gateway: { mode: 'local', auth: { mode: 'password' } } })",
                        {"--password", "Pa55wordOnArgv"});
    const std::string err = gw.process().err() + gw.process().out();
    EXPECT_NE(err.find("--password can be exposed via process listings"), std::string::npos) << err;
    EXPECT_EQ(err.find("Pa55wordOnArgv"), std::string::npos);
    client::GatewayClient c({gw.url(), std::nullopt, std::string("Pa55wordOnArgv")});
    EXPECT_NO_THROW(c.connect());
}
