#include "Soak.h"

#include "Stats.h"

#include <csignal>
#include <iostream>
#include <memory>
#include <random>
#include <sstream>
#include <vector>

namespace openclaw::bench {

namespace {

const char* kMethods[] = {"health", "status", "system-presence", "config.get"};

/// A well-behaved client: sequential calls; reconnects after a restart (close 1012), which is not an error.
struct GoodClient {
    std::unique_ptr<BenchConn> conn;
    long long next = 0;
    bool waiting = false;
    Clock::time_point downSince{};
};

} // namespace

int soakScenario(const SoakOptions& o) {
    raiseFileLimit();
    BenchLoop loop;
    std::mt19937 rng(12345);
    long long okCalls = 0, badCalls = 0, unexpectedCloses = 0, reconnects = 0, churned = 0, abusers = 0;
    std::string firstError;
    auto noteError = [&](const std::string& e) {
        if (firstError.empty()) firstError = e;
    };
    std::vector<GoodClient> good(static_cast<size_t>(o.goodClients));
    std::function<void(size_t)> connectGood;
    auto callNext = [&](GoodClient& g) {
        g.waiting = true;
        g.conn->request("g" + std::to_string(g.next), kMethods[g.next % 4]);
    };
    connectGood = [&](size_t i) {
        GoodClient& g = good[i];
        g.conn = std::make_unique<BenchConn>(loop, o.target, i);
        g.waiting = false;
        g.conn->onReady = [&, i](BenchConn&) {
            good[i].downSince = {};
            callNext(good[i]);
        };
        g.conn->onText = [&, i](BenchConn&, const std::string& text) {
            GoodClient& gc = good[i];
            if (text.find("\"type\":\"res\"") == std::string::npos) return;
            if (text.find("\"id\":\"g" + std::to_string(gc.next) + "\"") == std::string::npos) return;
            if (text.find("\"ok\":true") != std::string::npos) {
                ++okCalls;
            } else {
                ++badCalls;
                noteError(text.substr(0, 200));
            }
            ++gc.next;
            callNext(gc);
        };
        g.conn->onClosed = [&, i](BenchConn& c) {
            GoodClient& gc = good[i];
            // A restart closes with 1012; while the gateway rebinds, connecting is refused for a moment.
            bool restart = c.closeCode() == 1012 || c.error().rfind("connect:", 0) == 0 ||
                           c.error() == "peer closed" ||
                           c.error().find("Connection reset") != std::string::npos;
            if (!restart || o.restartEvery <= 0) {
                ++unexpectedCloses;
                noteError("good client closed: " + c.error());
            }
            if (gc.downSince == Clock::time_point{}) gc.downSince = Clock::now();
        };
        if (!g.conn->start()) noteError(g.conn->error());
    };
    for (size_t i = 0; i < good.size(); ++i)
        connectGood(i);

    std::vector<std::unique_ptr<BenchConn>> transient;
    Samples rss;
    std::vector<long> rssSeries;
    const auto start = Clock::now();
    const auto end = start + std::chrono::milliseconds(static_cast<long long>(o.seconds * 1000));
    auto nextChurn = start, nextAbuse = start, nextSample = start, nextRestart = start;
    if (o.restartEvery > 0)
        nextRestart += std::chrono::milliseconds(static_cast<long long>(o.restartEvery * 1000));
    while (Clock::now() < end) {
        loop.runUntil([] { return false; }, Clock::now() + std::chrono::milliseconds(5));
        auto now = Clock::now();
        // Reconnect good clients that lost their connection (after a restart).
        for (size_t i = 0; i < good.size(); ++i) {
            if (good[i].conn->phase() != BenchConn::Phase::Closed) continue;
            if (now - good[i].downSince > std::chrono::seconds(15)) {
                ++unexpectedCloses;
                noteError("a good client could not reconnect within 15 s");
                good[i].downSince = now;
            }
            ++reconnects;
            connectGood(i);
        }
        if (now >= nextChurn) {
            // Churn: connect, one call, close.
            nextChurn = now + std::chrono::milliseconds(10);
            auto c = std::make_unique<BenchConn>(loop, o.target, 100000 + churned);
            BenchConn* raw = c.get();
            raw->onReady = [raw](BenchConn&) { raw->request("x", "health"); };
            raw->onText = [raw](BenchConn&, const std::string& text) {
                if (text.find("\"id\":\"x\"") != std::string::npos) raw->close();
            };
            if (raw->start()) transient.push_back(std::move(c));
            ++churned;
        }
        if (now >= nextAbuse) {
            // Abuse: garbage before the upgrade, garbage frames, oversized pre-auth frames, stalls.
            nextAbuse = now + std::chrono::milliseconds(20);
            auto c = std::make_unique<BenchConn>(loop, o.target, 200000 + abusers);
            BenchConn* raw = c.get();
            int kind = static_cast<int>(rng() % 4);
            if (kind == 0) {
                Target t = o.target; // wrong credentials
                t.token = "wrong-" + std::to_string(rng());
                t.password.clear();
                c = std::make_unique<BenchConn>(loop, t, 200000 + abusers);
                raw = c.get();
            }
            raw->onReady = [raw, kind](BenchConn&) {
                if (kind == 1) raw->sendFrame(protocol::WsOpcode::Text, "{not json");
                if (kind == 2) raw->sendFrame(protocol::WsOpcode::Text, R"({"type":"req","id":7})");
                if (kind == 3) raw->sendRaw(std::string("\xff\xff\xff\xff\x01\x02", 6)); // reserved bits
            };
            if (raw->start()) {
                if (kind == 3 && (rng() % 2))
                    raw->sendRaw(std::string(70000, 'G')); // garbage instead of HTTP
                transient.push_back(std::move(c));
            }
            ++abusers;
        }
        if (now >= nextSample) {
            nextSample = now + std::chrono::seconds(1);
            long r = rssKib(o.pid);
            if (r > 0) rssSeries.push_back(r);
        }
        if (o.restartEvery > 0 && now >= nextRestart && o.pid > 0) {
            nextRestart = now + std::chrono::milliseconds(static_cast<long long>(o.restartEvery * 1000));
            ::kill(o.pid, SIGUSR1);
        }
        // Forget finished transient connections (bounded memory for long soaks).
        if (transient.size() > 2000) {
            std::vector<std::unique_ptr<BenchConn>> keep;
            for (auto& c : transient)
                if (c->phase() != BenchConn::Phase::Closed) keep.push_back(std::move(c));
            transient.swap(keep);
        }
    }
    for (auto& g : good) {
        g.conn->onClosed = nullptr;
        g.conn->close();
    }
    for (auto& c : transient) {
        c->onClosed = nullptr;
        c->close();
    }
    // Memory after warm-up (the first quarter) against the end.
    long warm = 0, last = 0, peak = 0;
    if (!rssSeries.empty()) {
        warm = rssSeries[rssSeries.size() / 4];
        last = rssSeries.back();
        for (long r : rssSeries)
            peak = std::max(peak, r);
    }
    std::ostringstream out;
    out << "{\"scenario\":\"soak\"";
    if (!o.label.empty()) out << ",\"label\":\"" << o.label << "\"";
    out << ",\"seconds\":" << o.seconds << ",\"good_clients\":" << o.goodClients
        << ",\"good_calls_ok\":" << okCalls << ",\"good_calls_failed\":" << badCalls
        << ",\"good_unexpected_closes\":" << unexpectedCloses << ",\"good_reconnects\":" << reconnects
        << ",\"churned_connections\":" << churned << ",\"abusive_connections\":" << abusers
        << ",\"restart_every_s\":" << o.restartEvery << ",\"rss_after_warmup_kib\":" << warm
        << ",\"rss_end_kib\":" << last << ",\"rss_peak_kib\":" << peak;
    if (!firstError.empty()) {
        std::string e;
        for (char ch : firstError)
            e += (ch == '"' || ch == '\\') ? '\'' : ch;
        out << ",\"first_error\":\"" << e << "\"";
    }
    std::cout << out.str() << "}" << std::endl;
    return badCalls || unexpectedCloses || okCalls == 0 ? 1 : 0;
}

} // namespace openclaw::bench
