// A short soak in every CI run (the long one is `bench/soak.sh`, docs/reliability.md): good clients
// doing calls, connection churn, garbage and bad frames, SIGUSR1 restarts. Good clients see no error
// and memory does not run away.
#include "Process.h"

#include "json/Json.h"

#include <gtest/gtest.h>

using namespace openclaw;
using namespace openclaw::test;

TEST(Soak, MixedLoadChurnAbuseAndRestartsLeaveGoodClientsUnharmed) {
    GatewayUnderTest gw(R"({ gateway: { mode: 'local', auth: { token: 'T0k3n' } } })", {});
    RunResult r = run({OPENCLAW_TEST_BENCH, "soak", "--url", gw.url(), "--token", "T0k3n", "--pid",
                       std::to_string(gw.process().pid()), "--seconds", "8", "--restart-every", "3"},
                      {}, 60000);
    ASSERT_FALSE(r.out.empty()) << r.err;
    json::ObjectPtr o = json::asObject(json::parse(r.out.substr(0, r.out.find('\n'))));
    ASSERT_TRUE(o) << r.out;
    EXPECT_EQ(r.code, 0) << r.out << r.err;
    EXPECT_GT(json::getInt(o, "good_calls_ok").value_or(0), 0);
    EXPECT_EQ(json::getInt(o, "good_calls_failed"), 0) << r.out;
    EXPECT_EQ(json::getInt(o, "good_unexpected_closes"), 0) << r.out;
    EXPECT_GT(json::getInt(o, "abusive_connections").value_or(0), 0);
    EXPECT_GT(json::getInt(o, "churned_connections").value_or(0), 0);
    // Bounded memory: the end is not far above the level after warm-up (generous: CI machines differ).
    // Not under sanitizers: ASan's quarantine keeps freed memory by design, so RSS grows there anyway.
    long long warm = json::getInt(o, "rss_after_warmup_kib").value_or(0);
    ASSERT_GT(warm, 0);
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
    EXPECT_LE(json::getInt(o, "rss_end_kib").value_or(0), warm * 2 + 8192) << r.out;
#endif
    // Still serving after all that, and the restarts happened.
    EXPECT_EQ(httpGet(gw.port(), "/readyz").first, 200);
    EXPECT_NE(gw.process().out().find("SIGUSR1: restarting in-process"), std::string::npos);
}
