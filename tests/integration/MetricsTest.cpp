// The bundled metrics plugin (plugins/metrics): turned on with `openclaw plugins enable metrics`, it serves
// GET /metrics with the gateway's credentials; its text passes `promtool check metrics`; and a real
// Prometheus (Debian's package, started here on a loopback port with a scrape config this test writes)
// scrapes it: up == 1, and a request counter that grows after calls, read through Prometheus's HTTP API.
#include "Process.h"

#include "client/GatewayClient.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <tuple>

using namespace openclaw;
using namespace openclaw::test;

namespace {

const std::map<std::string, std::string> kBearer = {{"Authorization", "Bearer T0k3n"}};

/// A gateway whose metrics plugin was enabled through the CLI, as an operator does it.
struct MetricsGateway {
    explicit MetricsGateway(const std::string& metricsConfig = "") {
        // test-good beside it: a plugin whose calls the metrics count by plugin.
        home.write(".openclaw/openclaw.json",
                   "{ gateway: { mode: 'local', auth: { token: 'T0k3n' } }, plugins: { load: { paths: ['" +
                       std::string(OPENCLAW_TEST_PLUGIN_DIR) + "/test-good'] }" +
                       (metricsConfig.empty() ? std::string()
                                              : ", entries: { metrics: { config: " + metricsConfig + " } }") +
                       " } }");
        env = {{"HOME", home.path()},
               {"OPENCLAW_GATEWAY_TOKEN", ""},
               {"OPENCLAW_CONFIG_PATH", ""},
               {"OPENCLAW_STATE_DIR", ""}};
        enable = run({openclawBin(), "plugins", "enable", "metrics"}, env);
        process = std::make_unique<ChildProcess>(
            std::vector<std::string>{openclawBin(), "gateway", "run", "--port", std::to_string(port)}, env);
    }
    ~MetricsGateway() { EXPECT_EQ(process->stop(), 0) << process->err(); }
    MetricsGateway(const MetricsGateway&) = delete;
    MetricsGateway& operator=(const MetricsGateway&) = delete;

    TempDir home;
    std::map<std::string, std::string> env;
    RunResult enable;
    int port = freePort();
    std::unique_ptr<ChildProcess> process;
};

/// One number from a Prometheus instant-query answer ({"data":{"result":[{"value":[t,"N"]}]}}), or -1.
double firstValue(const std::string& answer) {
    json::ObjectPtr o = json::asObject(json::parse(answer));
    json::ObjectPtr data = o ? json::getObject(o, "data") : nullptr;
    json::ArrayPtr result = data ? json::getArray(data, "result") : nullptr;
    if (!result || result->size() == 0) return -1;
    json::ArrayPtr value = result->getObject(0)->getArray("value");
    return value ? std::stod(value->getElement<std::string>(1)) : -1;
}

/// Polls a PromQL query on the Prometheus at `port` until `accept` holds (or ~30 s pass); the last value.
double queryUntil(int port, const std::string& promql, const std::function<bool(double)>& accept) {
    std::string encoded;
    for (char c : promql) {
        if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
            encoded += c;
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned char>(c));
            encoded += buf;
        }
    }
    double v = -1;
    for (int i = 0; i < 300; ++i) {
        auto [status, body] = httpGet(port, "/api/v1/query?query=" + encoded);
        if (status == 200 && accept(v = firstValue(body))) return v;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return v;
}

} // namespace

TEST(Metrics, EnabledThroughTheCliItServesPrometheusTextWithTheGatewaysCredentials) {
    MetricsGateway gw;
    ASSERT_EQ(gw.enable.code, 0) << gw.enable.out << gw.enable.err;
    ASSERT_TRUE(waitReadyz(*gw.process, gw.port)) << gw.process->err();
    EXPECT_EQ(httpGet(gw.port, "/metrics").first, 401);
    {
        client::GatewayClient c({"ws://127.0.0.1:" + std::to_string(gw.port), std::string("T0k3n")});
        c.connect();
        c.call("health");
        c.call("status");
        c.call("test.echo", json::parse(R"({"x":1})"));
        EXPECT_THROW(c.call("test.throw"), client::GatewayError);
    }
    {
        client::GatewayClient wrong({"ws://127.0.0.1:" + std::to_string(gw.port), std::string("nope")});
        EXPECT_THROW(wrong.connect(), client::GatewayError);
    }
    // The hooks run on the plugin's own thread, after the answers: wait until it has counted them.
    int status = 0;
    std::string body;
    for (int i = 0; i < 250; ++i) {
        std::tie(status, body) = httpGet(gw.port, "/metrics", kBearer);
        if (body.find("AUTH_TOKEN_MISMATCH") != std::string::npos &&
            body.find("method=\"test.throw\"") != std::string::npos)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ASSERT_EQ(status, 200) << body;
    EXPECT_NE(body.find("openclaw_requests_total{method=\"health\",code=\"OK\"} 1\n"), std::string::npos)
        << body;
    EXPECT_NE(body.find("openclaw_sessions_opened_total{role=\"operator\"} 1\n"), std::string::npos) << body;
    EXPECT_NE(body.find("openclaw_plugin_calls_total{plugin=\"test-good\",code=\"OK\"} 1\n"),
              std::string::npos)
        << body;
    EXPECT_NE(body.find("openclaw_plugin_calls_total{plugin=\"test-good\",code=\"UNAVAILABLE\"} 1\n"),
              std::string::npos)
        << body;
    EXPECT_NE(body.find("openclaw_auth_failures_total{reason=\"AUTH_TOKEN_MISMATCH\"} 1\n"),
              std::string::npos)
        << body;
    EXPECT_NE(body.find("# TYPE openclaw_request_duration_seconds histogram\n"), std::string::npos) << body;
    EXPECT_NE(body.find("process_resident_memory_bytes "), std::string::npos) << body;
    TempDir scratch;
    const std::string file = scratch.write("metrics.txt", body);
    RunResult check = run({"/bin/sh", "-c", "/usr/bin/promtool check metrics < '" + file + "'"}, {});
    EXPECT_EQ(check.code, 0) << check.out << check.err << body;
}

TEST(Metrics, PublicByItsConfigNeedsNoCredentials) {
    MetricsGateway gw("{ public: true }");
    ASSERT_EQ(gw.enable.code, 0) << gw.enable.out << gw.enable.err;
    ASSERT_TRUE(waitReadyz(*gw.process, gw.port)) << gw.process->err();
    EXPECT_EQ(httpGet(gw.port, "/metrics").first, 200);
}

TEST(Metrics, ARealPrometheusScrapesItAndSeesTheRequestCounterGrow) {
    MetricsGateway gw;
    ASSERT_EQ(gw.enable.code, 0) << gw.enable.out << gw.enable.err;
    ASSERT_TRUE(waitReadyz(*gw.process, gw.port)) << gw.process->err();
    TempDir prom;
    const std::string config = prom.write("prometheus.yml", "global:\n  scrape_interval: 1s\n"
                                                            "scrape_configs:\n"
                                                            "  - job_name: openclaw\n"
                                                            "    authorization:\n"
                                                            "      credentials: T0k3n\n"
                                                            "    static_configs:\n"
                                                            "      - targets: ['127.0.0.1:" +
                                                                std::to_string(gw.port) + "']\n");
    const int promPort = freePort();
    ChildProcess prometheus({"/usr/bin/prometheus", "--config.file=" + config,
                             "--storage.tsdb.path=" + prom.path() + "/data",
                             "--web.listen-address=127.0.0.1:" + std::to_string(promPort)},
                            {});
    EXPECT_EQ(queryUntil(promPort, "up{job=\"openclaw\"}", [](double v) { return v == 1; }), 1)
        << prometheus.err();
    const std::string counter = "openclaw_requests_total{job=\"openclaw\",method=\"health\",code=\"OK\"}";
    client::GatewayClient c({"ws://127.0.0.1:" + std::to_string(gw.port), std::string("T0k3n")});
    c.connect();
    c.call("health");
    const double first = queryUntil(promPort, counter, [](double v) { return v >= 1; });
    EXPECT_GE(first, 1) << prometheus.err();
    for (int i = 0; i < 5; ++i)
        c.call("health");
    EXPECT_GE(queryUntil(promPort, counter, [first](double v) { return v >= first + 5; }), first + 5);
    EXPECT_EQ(prometheus.stop(), 0);
}
