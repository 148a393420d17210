// Pure parts of the server and RPC layers: failed-auth pacing and lockout, logs.tail, redaction,
// registry dispatch, startup guards and bind addresses.
#include "Process.h"

#include "config/Redact.h"
#include "plugins/PluginHost.h"
#include "rpc/BuiltinMethods.h"
#include "rpc/Registry.h"
#include "server/AuthLimiter.h"
#include "server/BindPlan.h"
#include "server/GatewayServer.h"
#include "server/HealthPresence.h"

#include <gtest/gtest.h>

using namespace openclaw;

TEST(AuthLimiter, PacesFailuresExponentiallyUpToFiveSeconds) {
    server::AuthLimiter l(config::RateLimitConfig{});
    auto now = server::AuthLimiter::Clock::now();
    std::vector<long long> delays;
    for (int i = 0; i < 8; ++i)
        delays.push_back(l.recordFailure("127.0.0.1", true, now));
    EXPECT_EQ(delays, (std::vector<long long>{250, 500, 1000, 2000, 4000, 5000, 5000, 5000}));
    EXPECT_EQ(l.lockedForMs("127.0.0.1", true, now), 0); // loopback exempt by default
    l.recordSuccess("127.0.0.1");
    EXPECT_EQ(l.recordFailure("127.0.0.1", true, now), 250);
}

TEST(AuthLimiter, LocksOutNonExemptAddressesAndExpires) {
    config::RateLimitConfig cfg;
    cfg.maxAttempts = 3;
    cfg.windowMs = 60000;
    cfg.lockoutMs = 10000;
    server::AuthLimiter l(cfg);
    auto t0 = server::AuthLimiter::Clock::now();
    for (int i = 0; i < 2; ++i)
        l.recordFailure("10.0.0.9", false, t0);
    EXPECT_EQ(l.lockedForMs("10.0.0.9", false, t0), 0);
    l.recordFailure("10.0.0.9", false, t0);
    EXPECT_EQ(l.lockedForMs("10.0.0.9", false, t0), 10000);
    EXPECT_EQ(l.lockedForMs("10.0.0.10", false, t0), 0); // others unaffected
    EXPECT_EQ(l.lockedForMs("10.0.0.9", false, t0 + std::chrono::milliseconds(10001)), 0);
}

TEST(LogsTail, CursorLimitMaxBytesAndSinceMs) {
    test::TempDir dir;
    std::string lines;
    lines += R"({"time":"2020-01-01T00:00:00.000+00:00","message":"old"})"
             "\n";
    lines += R"({"time":"2030-01-01T00:00:00.000+00:00","message":"new1"})"
             "\n";
    lines += R"({"time":"2030-01-01T00:00:01.000+00:00","message":"new2"})"
             "\n";
    std::string path = dir.write("gw.log", lines);
    long long now2030 = 1893456005000LL; // 2030-01-01T00:00:05Z
    json::ObjectPtr all = rpc::tailLogFile(path, json::Var(), now2030);
    EXPECT_EQ(json::getArray(all, "lines")->size(), 3u);
    EXPECT_EQ(json::getInt(all, "cursor"), static_cast<long long>(lines.size()));
    json::ObjectPtr since = rpc::tailLogFile(path, json::parse(R"({"sinceMs":60000})"), now2030);
    EXPECT_EQ(json::getArray(since, "lines")->size(), 2u);
    json::ObjectPtr limited = rpc::tailLogFile(path, json::parse(R"({"limit":1})"), now2030);
    ASSERT_EQ(json::getArray(limited, "lines")->size(), 1u);
    EXPECT_NE(json::getArray(limited, "lines")->get(0).convert<std::string>().find("new2"),
              std::string::npos);
    json::ObjectPtr fromEnd =
        rpc::tailLogFile(path, json::parse("{\"cursor\":" + std::to_string(lines.size()) + "}"), now2030);
    EXPECT_EQ(json::getArray(fromEnd, "lines")->size(), 0u);
    json::ObjectPtr reset = rpc::tailLogFile(path, json::parse(R"({"cursor":999999})"), now2030);
    EXPECT_EQ(json::getBool(reset, "reset"), true);
    try {
        rpc::tailLogFile(path, json::parse(R"({"since":1})"), now2030);
        FAIL();
    } catch (const rpc::RpcFailure& f) {
        EXPECT_EQ(f.error.message, "invalid logs.tail params: at root: unexpected property 'since'");
    }
    EXPECT_THROW(rpc::tailLogFile(path, json::parse(R"({"limit":0})"), now2030), rpc::RpcFailure);
}

TEST(Redaction, HidesSecretsAtAnyDepth) {
    json::Var v = json::parse(
        R"({"gateway":{"auth":{"token":"T0k3n","password":{"source":"env","id":"X"},"mode":"token"},
        "remote":{"token":"r"}},"models":{"apiKey":"k","list":[{"secret":"s"}]}})");
    std::string out = json::stringify(config::redactSecrets(v));
    for (const char* s : {"T0k3n", "\"r\"", "\"k\"", "\"s\""})
        EXPECT_EQ(out.find(s), std::string::npos) << s;
    EXPECT_NE(out.find("\"mode\":\"token\""), std::string::npos);
    EXPECT_NE(out.find("__OPENCLAW_REDACTED__"), std::string::npos);
}

TEST(Registry, DispatchChecksScopesAndIsolatesFailures) {
    rpc::Registry r;
    r.add("a.read", "operator.read", [](const rpc::CallContext&, const json::Var&) { return json::Var(1); });
    r.add("a.throw", "",
          [](const rpc::CallContext&, const json::Var&) -> json::Var { throw std::runtime_error("x"); });
    protocol::Request req{"1", "a.read", ""};
    rpc::CallContext none{"c", "cli", "cli", {}};
    EXPECT_EQ(
        r.dispatch(req, none).frame,
        R"({"type":"res","id":"1","ok":false,"error":{"code":"FORBIDDEN","message":"missing scope: operator.read","details":{"code":"MISSING_SCOPE","missingScope":"operator.read","requiredScopes":["operator.read"]}}})");
    rpc::CallContext reader{"c", "cli", "cli", {"operator.read"}};
    EXPECT_EQ(r.dispatch(req, reader).frame, R"({"type":"res","id":"1","ok":true,"payload":1})");
    req.method = "a.throw";
    EXPECT_NE(r.dispatch(req, reader).frame.find("\"code\":\"UNAVAILABLE\""), std::string::npos);
    req.method = "nope";
    EXPECT_NE(r.dispatch(req, reader).frame.find("unknown method: nope"), std::string::npos);
}

TEST(Guards, InTheReferenceOrder) {
    config::GatewayConfig c;
    c.fileExists = false;
    EXPECT_EQ(
        server::checkGuards(c, {"127.0.0.1"}, false),
        "Missing config. Run `openclaw setup` or set gateway.mode=local (or pass --allow-unconfigured).");
    c.auth.mode = config::AuthMode::Token;
    EXPECT_NE(
        server::checkGuards(c, {"0.0.0.0"}, true).find("Refusing to bind gateway to loopback without auth."),
        std::string::npos);
    c.auth.mode = config::AuthMode::None;
    c.bind = config::BindMode::Lan;
    EXPECT_NE(server::checkGuards(c, {"0.0.0.0"}, true).find("Refusing to bind gateway to lan without auth."),
              std::string::npos);
    c.auth.mode = config::AuthMode::Token;
    c.auth.token = "t";
    c.tailscale.mode = config::TailscaleMode::Funnel;
    EXPECT_NE(server::checkGuards(c, {"0.0.0.0"}, true).find("funnel requires gateway auth mode=password"),
              std::string::npos);
    c.tailscale.mode = config::TailscaleMode::Serve;
    EXPECT_NE(server::checkGuards(c, {"0.0.0.0"}, true).find("requires gateway bind=loopback"),
              std::string::npos);
    c.bind = config::BindMode::Loopback;
    EXPECT_EQ(server::checkGuards(c, {"127.0.0.1"}, true), "");
    c.tailscale.mode = config::TailscaleMode::Off;
    c.auth.token.reset();
    EXPECT_NE(server::checkGuards(c, {"127.0.0.1"}, true).find("no token is configured"), std::string::npos);
}

TEST(BindHosts, ModesResolveToAddresses) {
    config::GatewayConfig c;
    c.bind = config::BindMode::Lan;
    EXPECT_EQ(server::bindHosts(c, ""), std::vector<std::string>{"0.0.0.0"});
    c.bind = config::BindMode::Custom;
    c.customBindHost = "192.0.2.7";
    EXPECT_EQ(server::bindHosts(c, ""), (std::vector<std::string>{"192.0.2.7", "127.0.0.1"}));
    c.bind = config::BindMode::Tailnet;
    EXPECT_EQ(server::bindHosts(c, "100.64.0.5"), (std::vector<std::string>{"100.64.0.5", "127.0.0.1"}));
    c.bind = config::BindMode::Loopback;
    EXPECT_EQ(server::bindHosts(c, "").front(), "127.0.0.1");
    EXPECT_TRUE(server::allLoopback(server::bindHosts(c, "")));
    EXPECT_FALSE(server::allLoopback({"0.0.0.0"}));
}

// A start-up that fails before the server starts must not wait for event loops that never ran
// (it used to post to them and wait 5 s, deaf to SIGTERM).
TEST(GatewayServer, StopBeforeStartReturnsAtOnce) {
    auto cfg = std::make_shared<const config::GatewayConfig>();
    plugins::PluginHost host(cfg, {});
    server::ServerSettings settings;
    auto server = std::make_unique<server::GatewayServer>(cfg, host, settings);
    auto began = std::chrono::steady_clock::now();
    server->stop("startup failed", 1012);
    server.reset();
    // Generous: catches the old 5 s wait, not a timing.
    EXPECT_LT(std::chrono::steady_clock::now() - began, std::chrono::seconds(4));
}

namespace {

/// A HealthPresence with no plugins and no sessions to broadcast to.
struct HealthPresenceParts {
    config::GatewayConfigPtr cfg = std::make_shared<config::GatewayConfig>();
    plugins::PluginHost host{cfg, {}};
    std::vector<std::unique_ptr<server::Shard>> noShards;
    server::Broadcaster out{noShards};
    net::TimerService timers;
    server::HealthPresence state{cfg, host, "boot-1", out, timers};
    ~HealthPresenceParts() { timers.stop(); }
};

} // namespace

TEST(HealthPresence, NodesJoinAndLeavePresenceAndEachChangeMovesTheVersion) {
    HealthPresenceParts parts;
    server::HealthPresence& state = parts.state;
    ASSERT_EQ(state.presence()->size(), 1u) << "the gateway itself";
    EXPECT_EQ(json::getString(json::asObject(state.presence()->get(0)), "instanceId"), "boot-1");
    const long long before = state.presenceVersion();
    json::ObjectPtr node = json::makeObject();
    node->set("host", std::string("phone"));
    state.nodeJoined("c1", node);
    EXPECT_EQ(state.presenceVersion(), before + 1);
    ASSERT_EQ(state.presence()->size(), 2u);
    EXPECT_EQ(json::getString(json::asObject(state.presence()->get(1)), "host"), "phone");
    state.nodeLeft("c1", false);
    EXPECT_EQ(state.presence()->size(), 1u);
    EXPECT_EQ(state.presenceVersion(), before + 1)
        << "a quiet leave (the gateway stopping) announces nothing";
    state.nodeJoined("c2", node);
    state.nodeLeft("c2", true);
    EXPECT_EQ(state.presenceVersion(), before + 3);
}

TEST(HealthPresence, HealthIsCachedBrieflyUnlessProbedAndEachServedCallMovesItsVersion) {
    HealthPresenceParts parts;
    server::HealthPresence& state = parts.state;
    const auto first = state.healthJson(false);
    EXPECT_EQ(state.healthJson(false), first) << "the same snapshot within a second";
    EXPECT_NE(state.healthJson(true), first) << "a probe builds a new one";
    EXPECT_NE(first->find("\"ok\":true"), std::string::npos) << *first;
    const long long v = state.healthVersion();
    state.healthServed();
    state
        .healthServed(); // within the gap: coalesced into one trailing event, but the version moves each time
    EXPECT_EQ(state.healthVersion(), v + 2);
}
