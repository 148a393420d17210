// Our CLI's query commands against our gateway: health, call, status, probe — human and --json,
// success and each failure, exit codes; colour only on a terminal.
#include "Process.h"

#include "client/GatewayClient.h"
#include "protocol/Scopes.h"
#include "protocol/WsCodec.h"
#include "json/Json.h"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

#include <gtest/gtest.h>

#include <thread>

using namespace openclaw;
using namespace openclaw::test;

namespace {

const std::string kToken = R"({ gateway: { mode: 'local', auth: { token: 'T0k3n' } } })";

class Query : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { gw_.start(kToken, {}); }
    void SetUp() override { ASSERT_TRUE(gw_.require()); }
    static void TearDownTestSuite() { gw_.stop(); }
    static RunResult cli(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
        args.insert(args.begin(), openclawBin());
        TempDir home;
        if (!env.count("HOME")) env["HOME"] = home.path();
        for (const char* k : {"OPENCLAW_GATEWAY_TOKEN", "OPENCLAW_GATEWAY_PASSWORD", "OPENCLAW_GATEWAY_URL",
                              "OPENCLAW_GATEWAY_PORT"})
            if (!env.count(k)) env[k] = "";
        return run(args, env, 30000);
    }
    static SharedGateway gw_;
};
SharedGateway Query::gw_;

json::ObjectPtr parsed(const RunResult& r) {
    return json::asObject(json::parse(r.out));
}

int deadPort() {
    return freePort();
}

} // namespace

TEST_F(Query, HealthHumanJsonAndFailures) {
    RunResult ok = cli({"gateway", "health", "--url", gw_->url(), "--token", "T0k3n"});
    EXPECT_EQ(ok.code, 0) << ok.err;
    EXPECT_EQ(ok.out.rfind("Gateway Health\nOK (", 0), 0u);
    RunResult js = cli({"gateway", "health", "--json", "--url", gw_->url(), "--token", "T0k3n"});
    EXPECT_EQ(js.code, 0);
    EXPECT_EQ(json::getBool(parsed(js), "ok"), true);

    RunResult wrong = cli({"gateway", "health", "--json", "--url", gw_->url(), "--token", "WRONG"});
    EXPECT_EQ(wrong.code, 1);
    json::ObjectPtr err = json::getObject(parsed(wrong), "error");
    EXPECT_EQ(json::getString(err, "type"), "gateway_request_error");
    EXPECT_EQ(json::getString(json::getObject(err, "details"), "code"), "AUTH_TOKEN_MISMATCH");
    EXPECT_NE(wrong.err.find("gateway connect failed: GatewayClientRequestError:"), std::string::npos);

    std::string dead = "ws://127.0.0.1:" + std::to_string(deadPort());
    RunResult down = cli({"gateway", "health", "--url", dead, "--token", "T0k3n"});
    EXPECT_EQ(down.code, 1);
    EXPECT_NE(down.err.find("Gateway not reachable at " + dead + " (ECONNREFUSED)."), std::string::npos)
        << down.err;
    EXPECT_NE(down.err.find("Start it with `openclaw gateway run`"), std::string::npos);
    EXPECT_NE(down.err.find("Source: cli --url"), std::string::npos);
    RunResult downJson = cli({"gateway", "health", "--json", "--url", dead, "--token", "T0k3n"});
    EXPECT_EQ(downJson.code, 1);
    json::ObjectPtr derr = json::getObject(parsed(downJson), "error");
    EXPECT_EQ(json::getString(derr, "type"), "gateway_transport_error");
    EXPECT_EQ(json::getString(derr, "kind"), "closed");
    EXPECT_EQ(json::getString(json::getObject(parsed(downJson), "gateway"), "urlSource"), "cli --url");

    RunResult nocreds = cli({"gateway", "health", "--url", gw_->url()});
    EXPECT_EQ(nocreds.code, 1);
    EXPECT_NE(nocreds.err.find("gateway url override requires explicit credentials"), std::string::npos);
}

TEST_F(Query, UrlNeverPicksUpCredentialsFromEnvironmentOrConfig) {
    RunResult r = cli({"gateway", "health", "--url", gw_->url()}, {{"OPENCLAW_GATEWAY_TOKEN", "T0k3n"}});
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("requires explicit credentials"), std::string::npos);
}

TEST_F(Query, LocalTargetUsesConfiguredPortAndCredentials) {
    RunResult r = cli({"gateway", "health"},
                      {{"HOME", gw_->home()}, {"OPENCLAW_GATEWAY_PORT", std::to_string(gw_->port())}});
    EXPECT_EQ(r.code, 0) << r.err;
}

TEST_F(Query, TimeoutIsReportedAndExits1) {
    // A TCP listener that never answers the upgrade.
    Poco::Net::ServerSocket silent(Poco::Net::SocketAddress("127.0.0.1", 0));
    std::string url = "ws://127.0.0.1:" + std::to_string(silent.address().port());
    RunResult r = cli({"gateway", "health", "--url", url, "--token", "T", "--timeout", "300"});
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("timeout"), std::string::npos) << r.err;
}

TEST_F(Query, CallPrintsPayloadsAndRefusesBadParamsBeforeSending) {
    RunResult status = cli({"gateway", "call", "status", "--url", gw_->url(), "--token", "T0k3n"});
    EXPECT_EQ(status.code, 0) << status.err;
    EXPECT_EQ(status.out.rfind("Gateway call: status\n{\n  \"runtimeVersion\": \"2026.9.6\"", 0), 0u)
        << status.out;
    RunResult js = cli({"gateway", "call", "logs.tail", "--params", R"({"sinceMs": 60000})", "--json",
                        "--url", gw_->url(), "--token", "T0k3n"});
    EXPECT_EQ(js.code, 0) << js.err;
    EXPECT_TRUE(json::getArray(parsed(js), "lines"));
    RunResult unknown = cli({"gateway", "call", "no.such.method", "--url", gw_->url(), "--token", "T0k3n"});
    EXPECT_EQ(unknown.code, 1);
    EXPECT_EQ(unknown.err, "Gateway call failed: unknown method: no.such.method\n");
    RunResult bad =
        cli({"gateway", "call", "status", "--params", "{oops", "--url", gw_->url(), "--token", "T0k3n"});
    EXPECT_EQ(bad.code, 1);
    EXPECT_NE(bad.err.find("Invalid --params"), std::string::npos);
    EXPECT_NE(bad.err.find("Nothing was sent"), std::string::npos);
}

TEST(ExpectFinal, WaitsPastAnAcceptedResponseForTheFinalOne) {
    // A scripted gateway that answers the call twice: "accepted", then the final payload.
    Poco::Net::ServerSocket server(Poco::Net::SocketAddress("127.0.0.1", 0));
    std::thread peer([&server] {
        Poco::Net::StreamSocket s = server.acceptConnection();
        std::string head;
        char buf[4096];
        while (head.find("\r\n\r\n") == std::string::npos)
            head.append(buf, static_cast<size_t>(s.receiveBytes(buf, sizeof buf)));
        std::string key = head.substr(head.find("Sec-WebSocket-Key: ") + 19);
        key = key.substr(0, key.find("\r\n"));
        std::string resp = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           "Sec-WebSocket-Accept: " +
                           protocol::wsAcceptKey(key) + "\r\n\r\n";
        auto send = [&](const std::string& text) {
            std::string f = protocol::encodeWsFrame(protocol::WsOpcode::Text, text);
            s.sendBytes(f.data(), static_cast<int>(f.size()));
        };
        s.sendBytes(resp.data(), static_cast<int>(resp.size()));
        send(R"({"type":"event","event":"connect.challenge","payload":{"nonce":"n","ts":1}})");
        protocol::WsDecoder dec(1 << 20);
        auto nextId = [&]() {
            while (true) {
                if (auto f = dec.next()) {
                    std::string t = f->payload;
                    size_t at = t.find("\"id\":\"") + 6;
                    return t.substr(at, t.find('"', at) - at);
                }
                int n = s.receiveBytes(buf, sizeof buf);
                if (n <= 0) return std::string();
                dec.feed(buf, static_cast<size_t>(n));
            }
        };
        std::string cid = nextId();
        send(
            R"({"type":"res","id":")" + cid +
            R"(","ok":true,"payload":{"type":"hello-ok","protocol":4,"server":{"version":"x","connId":"c"},"auth":{"method":"token","role":"operator","scopes":[]},"policy":{"maxPayload":1,"maxBufferedBytes":1,"tickIntervalMs":30000}}})");
        std::string id = nextId();
        send(R"({"type":"res","id":")" + id + R"(","ok":true,"payload":{"status":"accepted","runId":"r1"}})");
        send(R"({"type":"res","id":")" + id +
             R"(","ok":true,"payload":{"status":"ok","final":true,"text":"done"}})");
        // Keep the connection until the client has read the final answer and hangs up.
        s.setReceiveTimeout(Poco::Timespan(20, 0));
        try {
            while (s.receiveBytes(buf, sizeof buf) > 0) {
            }
        } catch (const Poco::Exception&) {
        }
    });
    TempDir home;
    RunResult r = run({openclawBin(), "gateway", "call", "agent", "--expect-final", "--json", "--url",
                       "ws://127.0.0.1:" + std::to_string(server.address().port()), "--token", "T"},
                      {{"HOME", home.path()}}, 20000);
    peer.join();
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(json::getString(json::asObject(json::parse(r.out)), "text"), "done") << r.out;
}

TEST_F(Query, StatusReportsAndExitCodes) {
    RunResult human = cli({"gateway", "status", "--url", gw_->url(), "--token", "T0k3n"});
    EXPECT_EQ(human.code, 0) << human.err;
    EXPECT_NE(human.out.find("Connectivity probe: ok"), std::string::npos) << human.out;
    EXPECT_NE(human.out.find("Probe target: " + gw_->url()), std::string::npos);
    RunResult js =
        cli({"gateway", "status", "--json", "--url", gw_->url(), "--token", "T0k3n", "--require-rpc"});
    EXPECT_EQ(js.code, 0) << js.err;
    json::ObjectPtr rpc = json::getObject(parsed(js), "rpc");
    EXPECT_EQ(json::getBool(rpc, "ok"), true);
    EXPECT_EQ(json::getString(rpc, "capability"), "connected_no_operator_scope"); // as the reference reports
    EXPECT_EQ(json::getBool(json::getObject(rpc, "read"), "ok"), true);
    for (const char* k : {"cli", "logFile", "service", "config", "gateway", "port", "rpc", "extraServices"})
        EXPECT_TRUE(parsed(js)->has(k)) << k;
    // The port section names who listens (our gateway process).
    RunResult local = cli({"gateway", "status", "--json", "--no-probe"},
                          {{"HOME", gw_->home()}, {"OPENCLAW_GATEWAY_PORT", std::to_string(gw_->port())}});
    json::ObjectPtr port = json::getObject(parsed(local), "port");
    EXPECT_EQ(json::getString(port, "status"), "busy");
    EXPECT_EQ(json::getInt(json::asObject(json::getArray(port, "listeners")->get(0)), "pid"),
              gw_->process().pid());
    EXPECT_FALSE(parsed(local)->has("rpc"));

    std::string dead = "ws://127.0.0.1:" + std::to_string(deadPort());
    RunResult down = cli({"gateway", "status", "--url", dead, "--token", "T"});
    EXPECT_EQ(down.code, 0); // unreachable is still exit 0 ...
    EXPECT_NE(down.err.find("Connectivity probe: failed"), std::string::npos);
    RunResult required = cli({"gateway", "status", "--require-rpc", "--url", dead, "--token", "T"});
    EXPECT_EQ(required.code, 1); // ... unless --require-rpc
}

TEST_F(Query, StatusWorksWithAnInvalidConfig) {
    TempDir home;
    home.write(".openclaw/openclaw.json", "{ gateway: { port: 'x' } }");
    RunResult r = cli({"gateway", "status", "--no-probe"}, {{"HOME", home.path()}});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("(invalid)"), std::string::npos);
    EXPECT_NE(r.out.find("gateway.port: expected an integer"), std::string::npos);
}

TEST_F(Query, ProbeListsTargetsAndWarnsOnlyForDistinctGateways) {
    // Two URLs, one gateway: no multiple_gateways warning.
    std::map<std::string, std::string> env = {{"HOME", gw_->home()},
                                              {"OPENCLAW_GATEWAY_PORT", std::to_string(gw_->port())}};
    RunResult same = cli({"gateway", "probe", "--json", "--url",
                          "ws://localhost:" + std::to_string(gw_->port()), "--token", "T0k3n"},
                         env);
    EXPECT_EQ(same.code, 0) << same.err;
    json::ObjectPtr report = parsed(same);
    EXPECT_EQ(json::getBool(report, "ok"), true);
    EXPECT_EQ(json::getArray(report, "targets")->size(), 2u);
    EXPECT_EQ(json::stringify(report->get("warnings")).find("multiple_gateways"), std::string::npos);
    EXPECT_NE(json::stringify(report->get("warnings")).find("probe_scope_limited"), std::string::npos);
    json::ObjectPtr t0 = json::asObject(json::getArray(report, "targets")->get(0));
    EXPECT_EQ(json::getString(t0, "id"), "explicit");
    EXPECT_EQ(json::getBool(json::getObject(t0, "connect"), "ok"), true);
    // A second, distinct gateway: the warning appears.
    GatewayUnderTest other(kToken, {});
    RunResult two = cli({"gateway", "probe", "--json", "--url", other.url(), "--token", "T0k3n"}, env);
    EXPECT_EQ(two.code, 0);
    EXPECT_NE(json::stringify(parsed(two)->get("warnings")).find("multiple_gateways"), std::string::npos);
    RunResult human = cli({"gateway", "probe", "--url", other.url(), "--token", "T0k3n"}, env);
    EXPECT_NE(human.out.find("Reachable: yes"), std::string::npos);
    EXPECT_NE(human.out.find("URL (explicit) " + other.url()), std::string::npos);
    EXPECT_NE(human.out.find("Local loopback ws://127.0.0.1:" + std::to_string(gw_->port())),
              std::string::npos);
}

TEST_F(Query, ProbeWithNothingReachableExits1) {
    std::string dead = "ws://127.0.0.1:" + std::to_string(deadPort());
    RunResult r = cli({"gateway", "probe", "--json", "--url", dead, "--token", "T"},
                      {{"OPENCLAW_GATEWAY_PORT", std::to_string(deadPort())}});
    EXPECT_EQ(r.code, 1);
    json::ObjectPtr report = parsed(r);
    EXPECT_EQ(json::getBool(report, "ok"), false);
    EXPECT_NE(json::stringify(report->get("warnings")).find("no_gateway_reachable"), std::string::npos);
    json::ObjectPtr t0 = json::asObject(json::getArray(report, "targets")->get(0));
    EXPECT_NE(json::getString(json::getObject(t0, "connect"), "error").value_or("").find("ECONNREFUSED"),
              std::string::npos);
}

TEST_F(Query, ColourOnlyOnATerminalAndNeverWithNoColor) {
    // `script` gives the command a pseudo-terminal.
    std::string cmd = openclawBin() + " gateway status --url " + gw_->url() + " --token T0k3n";
    RunResult tty = run({"/usr/bin/script", "-qec", cmd, "/dev/null"}, {{"OPENCLAW_GATEWAY_TOKEN", ""}});
    ASSERT_EQ(tty.code, 0) << tty.err;
    EXPECT_NE(tty.out.find("\033[32mok\033[0m"), std::string::npos) << tty.out;
    RunResult noColor = run({"/usr/bin/script", "-qec", cmd, "/dev/null"}, {{"NO_COLOR", "1"}});
    EXPECT_EQ(noColor.code, 0) << noColor.out;
    EXPECT_NE(noColor.out.find("Connectivity probe: ok"), std::string::npos) << noColor.out;
    EXPECT_EQ(noColor.out.find("\033[32m"), std::string::npos);
    RunResult flag = run({"/usr/bin/script", "-qec", cmd + " --json", "/dev/null"}, {});
    EXPECT_EQ(flag.code, 0) << flag.out;
    EXPECT_NE(flag.out.find("\"rpc\""), std::string::npos) << flag.out;
    EXPECT_EQ(flag.out.find("\033["), std::string::npos) << "no ANSI (colour or spinner) with --json";
    RunResult piped = cli({"gateway", "status", "--url", gw_->url(), "--token", "T0k3n"});
    EXPECT_EQ(piped.code, 0) << piped.err;
    EXPECT_NE(piped.out.find("Connectivity probe: ok"), std::string::npos) << piped.out;
    EXPECT_EQ(piped.out.find("\033["), std::string::npos);
}

TEST_F(Query, ProbeWithAWrongTokenSaysReachableWithTheReadProbeFailedAndExits0) {
    RunResult human = cli({"gateway", "probe", "--url", gw_->url(), "--token", "WRONG"});
    EXPECT_EQ(human.code, 0) << human.out << human.err;
    EXPECT_NE(human.out.find("Reachable: yes"), std::string::npos) << human.out;
    EXPECT_NE(human.out.find("Connect: ok ("), std::string::npos) << human.out;
    EXPECT_NE(human.out.find("Read probe: failed - unauthorized: gateway token mismatch"), std::string::npos)
        << human.out;
    EXPECT_NE(
        human.out.find("- Gateway accepted the WebSocket connection, but follow-up read diagnostics failed: "
                       "unauthorized: gateway token mismatch"),
        std::string::npos)
        << human.out;
    RunResult js = cli({"gateway", "probe", "--json", "--url", gw_->url(), "--token", "WRONG"});
    EXPECT_EQ(js.code, 0) << js.err;
    json::ObjectPtr report = parsed(js);
    EXPECT_EQ(json::getBool(report, "ok"), true);
    EXPECT_EQ(json::getBool(report, "degraded"), true);
    EXPECT_NE(json::stringify(report->get("warnings")).find("\"probe_detail_failed\""), std::string::npos);
    json::ObjectPtr connect =
        json::getObject(json::asObject(json::getArray(report, "targets")->get(0)), "connect");
    EXPECT_EQ(json::getBool(connect, "ok"), true);
    EXPECT_EQ(json::getBool(connect, "rpcOk"), false);
    EXPECT_EQ(json::getInt(json::getObject(connect, "close"), "code"), 1008);
}

TEST_F(Query, HealthWithoutCredentialsSaysTheGatewayIsReachableAndWhatIsMissing) {
    std::map<std::string, std::string> env = {{"OPENCLAW_GATEWAY_PORT", std::to_string(gw_->port())}};
    RunResult human = cli({"gateway", "health"}, env);
    EXPECT_EQ(human.code, 1);
    EXPECT_EQ(human.out,
              "Gateway: reachable\nGateway is reachable, but this CLI has no token/password or paired "
              "device token for read-scope health RPCs.\n");
    RunResult js = cli({"gateway", "health", "--json"}, env);
    EXPECT_EQ(js.code, 1);
    EXPECT_EQ(json::getString(json::getObject(parsed(js), "error"), "type"), "gateway_credentials_required");
    EXPECT_EQ(json::getBool(json::getObject(parsed(js), "gateway"), "reachable"), true);
    RunResult call = cli({"gateway", "call", "status"}, env);
    EXPECT_EQ(call.code, 1);
    EXPECT_NE(call.err.find("gateway status requires credentials before opening a websocket\nFix: configure "
                            "gateway.auth token/password, pair this device, or pass --token/--password."),
              std::string::npos)
        << call.err;
}

TEST_F(Query, PacedAnswersAfterFailedLoginsAreExplainedNotJustATimeout) {
    // The first failure is answered after 250 ms: a 100 ms budget runs out while the gateway paces it.
    RunResult r = cli({"gateway", "health", "--url", gw_->url(), "--token", "WRONG", "--timeout", "100"});
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("gateway timeout after 100ms"), std::string::npos) << r.err;
    EXPECT_NE(
        r.err.find("After failed logins a gateway answers each attempt from the same address more slowly"),
        std::string::npos)
        << r.err;
}

TEST(RateLimited, TheRefusalSaysWhenToRetry) {
    GatewayUnderTest gw(R"({ gateway: { mode: 'local', auth: { token: 'T0k3n',
                            rateLimit: { maxAttempts: 1, windowMs: 60000, lockoutMs: 60000, exemptLoopback: false } } } })",
                        {});
    TempDir home;
    std::map<std::string, std::string> env = {{"HOME", home.path()}, {"OPENCLAW_GATEWAY_TOKEN", ""}};
    run({openclawBin(), "gateway", "health", "--url", gw.url(), "--token", "WRONG"}, env);
    RunResult locked = run({openclawBin(), "gateway", "health", "--url", gw.url(), "--token", "T0k3n"}, env);
    EXPECT_EQ(locked.code, 1);
    EXPECT_NE(locked.err.find("Rate-limited after failed logins from this address: retry in 60 s"),
              std::string::npos)
        << locked.err;
}

TEST_F(Query, PortAndHttpUrlsChooseTheGatewayAsTheReferenceDoes) {
    // --port: the local gateway's port over config and environment.
    RunResult byPort =
        cli({"gateway", "health", "--port", std::to_string(gw_->port())}, {{"HOME", gw_->home()}});
    EXPECT_EQ(byPort.code, 0) << byPort.err;
    RunResult status =
        cli({"gateway", "status", "--json", "--no-probe", "--port", std::to_string(gw_->port())},
            {{"HOME", gw_->home()}});
    EXPECT_EQ(json::getInt(json::getObject(parsed(status), "gateway"), "port"), gw_->port()) << status.out;
    RunResult probe =
        cli({"gateway", "probe", "--json", "--port", std::to_string(gw_->port())}, {{"HOME", gw_->home()}});
    EXPECT_EQ(probe.code, 0) << probe.err;
    RunResult call =
        cli({"gateway", "call", "health", "--port", std::to_string(gw_->port())}, {{"HOME", gw_->home()}});
    EXPECT_EQ(call.code, 0) << call.err;
    // http(s):// is read as ws(s)://.
    RunResult http = cli({"gateway", "health", "--url", "http://127.0.0.1:" + std::to_string(gw_->port()),
                          "--token", "T0k3n"});
    EXPECT_EQ(http.code, 0) << http.err;
}

TEST(Help, EveryCommandTakesDashHAndListsOnlyItsOwnOptions) {
    TempDir home;
    auto help = [&](std::vector<std::string> args) {
        args.insert(args.begin(), openclawBin());
        RunResult r = run(args, {{"HOME", home.path()}});
        EXPECT_EQ(r.code, 0) << ::testing::PrintToString(args) << r.err;
        return r.out;
    };
    const std::string gateway = help({"gateway", "--help"});
    EXPECT_EQ(gateway.rfind("Usage: openclaw gateway [options] [command]\n", 0), 0u) << gateway;
    for (const char* line : {"\nCommands:\n", "  health                          Fetch Gateway health\n",
                             "  probe                           Show gateway reachability", "\nExamples:\n",
                             "  openclaw gateway call health\n"})
        EXPECT_NE(gateway.find(line), std::string::npos) << line << "\n" << gateway;
    EXPECT_EQ(help({"gateway", "-h"}), gateway);
    const std::string health = help({"gateway", "health", "-h"});
    EXPECT_EQ(health.find("--params"), std::string::npos) << "health has no --params";
    EXPECT_NE(health.find("--port <port>"), std::string::npos);
    EXPECT_NE(help({"gateway", "call", "-h"}).find("--params <json>"), std::string::npos);
    const std::string run = help({"gateway", "run", "-h"});
    EXPECT_EQ(run.rfind("Usage: openclaw gateway run [options]\n", 0), 0u) << run;
    EXPECT_EQ(run.find("Commands:"), std::string::npos);
    for (const char* cmd :
         {"status", "probe", "discover", "install", "start", "stop", "restart", "uninstall"})
        EXPECT_EQ(help({"gateway", cmd, "-h"}).rfind(std::string("Usage: openclaw gateway ") + cmd, 0), 0u)
            << cmd;
    EXPECT_NE(help({"plugins", "-h"}).find("Usage: openclaw plugins"), std::string::npos);
    const std::string top = help({"-h"});
    EXPECT_NE(top.find("This build contains: "), std::string::npos) << top;
    EXPECT_NE(top.find("bonjour (beacons, `gateway discover`)"), std::string::npos) << top;
}

// `gateway events` (#28): prints a plugin's event as it comes, one line each, filtered, until interrupted.
TEST(GatewayEvents, APluginsEventIsPrintedAsItComesFilteredUntilInterrupted) {
    GatewayUnderTest gw(std::string(R"({ gateway: { mode: 'local', auth: { token: 'T0k3n' } },
        plugins: { load: { paths: [')") +
                            OPENCLAW_TEST_PLUGIN_DIR + "/test-good'] } } }",
                        {});
    ASSERT_TRUE(gw.waitReady());
    ChildProcess json({openclawBin(), "gateway", "events", "--url", gw.url(), "--token", "T0k3n", "--filter",
                       "test.*", "--json"},
                      {{"HOME", gw.home()}});
    ChildProcess human({openclawBin(), "gateway", "events", "--url", gw.url(), "--token", "T0k3n"},
                       {{"HOME", gw.home()}});
    client::ClientOptions opts{gw.url(), std::string("T0k3n")};
    opts.scopes = protocol::allOperatorScopes();
    client::GatewayClient c(opts);
    c.connect();
    // Both watchers say when they are connected (stderr); only then is an event sure to reach them.
    for (int i = 0; i < 200 && (json.err().find("Watching events") == std::string::npos ||
                                human.err().find("Watching events") == std::string::npos);
         ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    c.call("test.emit", json::parse(R"({"n":5})"));
    for (int i = 0; i < 200 && (json.out().empty() || human.out().find("test.event") == std::string::npos);
         ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const std::string line = json.out().substr(0, json.out().find('\n'));
    json::ObjectPtr frame = json::asObject(json::parse(line));
    ASSERT_TRUE(frame) << json.out() << json.err();
    EXPECT_EQ(json::getString(frame, "event"), "test.event");
    EXPECT_EQ(json::stringify(frame->get("payload")), R"({"n":5})");
    EXPECT_EQ(json.out().find("tick"), std::string::npos) << "the filter let another event through";
    EXPECT_NE(human.out().find("test.event seq="), std::string::npos) << human.out();
    EXPECT_NE(human.out().find(R"( {"n":5})"), std::string::npos) << human.out();
    EXPECT_EQ(json.stop(2 /* SIGINT */), 130);
    EXPECT_EQ(human.stop(2 /* SIGINT */), 130);
}
