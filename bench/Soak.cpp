#include "Soak.h"

#include "Stats.h"

#include <algorithm>
#include <csignal>
#include <iostream>
#include <memory>
#include <random>
#include <sstream>
#include <vector>

namespace openclaw::bench {

namespace {

const char* kMethods[] = {"health", "status", "system-presence", "config.get"};

std::chrono::milliseconds millis(double seconds) {
    return std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
}

/// A well-behaved client: sequential calls; reconnects after a restart (close 1012), which is not an error.
struct GoodClient {
    std::unique_ptr<BenchConn> conn;
    long long next = 0;
    Clock::time_point downSince{};
};

/// What the soak counted.
struct SoakCounts {
    long long okCalls = 0, badCalls = 0, unexpectedCloses = 0, reconnects = 0, churned = 0, abusers = 0;
    std::string firstError;
    std::vector<long> rssSeries; ///< the gateway's RSS (KiB), once a second

    void noteError(const std::string& e) {
        if (firstError.empty()) firstError = e;
    }
};

/// One soak run: the good clients, and every few milliseconds a churned and an abusive connection.
class Soak {
  public:
    explicit Soak(const SoakOptions& o) : o_(o), good_(static_cast<size_t>(o.goodClients)) {}

    SoakCounts run() {
        for (size_t i = 0; i < good_.size(); ++i)
            connectGood(i);
        const auto start = Clock::now(), end = start + millis(o_.seconds);
        nextChurn_ = nextAbuse_ = nextSample_ = start;
        nextRestart_ = start + millis(o_.restartEvery);
        while (Clock::now() < end) {
            loop_.runUntil([] { return false; }, Clock::now() + std::chrono::milliseconds(5));
            tick(Clock::now());
        }
        closeAll();
        return std::move(counts_);
    }

  private:
    void tick(Clock::time_point now) {
        reconnectLost(now);
        if (now >= nextChurn_) churnOne(now);
        if (now >= nextAbuse_) abuseOne(now);
        if (now >= nextSample_) sampleRss(now);
        if (o_.restartEvery > 0 && o_.pid > 0 && now >= nextRestart_) restart(now);
        if (transient_.size() > 2000) forgetFinished();
    }

    void callNext(GoodClient& g) { g.conn->request("g" + std::to_string(g.next), kMethods[g.next % 4]); }

    void connectGood(size_t i) {
        GoodClient& g = good_[i];
        g.conn = std::make_unique<BenchConn>(loop_, o_.target, i);
        g.conn->onReady = [this, i](BenchConn&) {
            good_[i].downSince = {};
            callNext(good_[i]);
        };
        g.conn->onText = [this, i](BenchConn&, const std::string& text) { onGoodAnswer(good_[i], text); };
        g.conn->onClosed = [this, i](BenchConn& c) { onGoodClosed(good_[i], c); };
        if (!g.conn->start()) counts_.noteError(g.conn->error());
    }

    void onGoodAnswer(GoodClient& g, const std::string& text) {
        if (text.find("\"type\":\"res\"") == std::string::npos) return;
        if (text.find("\"id\":\"g" + std::to_string(g.next) + "\"") == std::string::npos) return;
        if (text.find("\"ok\":true") != std::string::npos) {
            ++counts_.okCalls;
        } else {
            ++counts_.badCalls;
            counts_.noteError(text.substr(0, 200));
        }
        ++g.next;
        callNext(g);
    }

    void onGoodClosed(GoodClient& g, BenchConn& c) {
        // A restart closes with 1012; while the gateway rebinds, connecting is refused for a moment.
        const bool restart = c.closeCode() == 1012 || c.error().rfind("connect:", 0) == 0 ||
                             c.error() == "peer closed" ||
                             c.error().find("Connection reset") != std::string::npos;
        if (!restart || o_.restartEvery <= 0) {
            ++counts_.unexpectedCloses;
            counts_.noteError("good client closed: " + c.error());
        }
        if (g.downSince == Clock::time_point{}) g.downSince = Clock::now();
    }

    /// Good clients that lost their connection (after a restart) connect again.
    void reconnectLost(Clock::time_point now) {
        for (size_t i = 0; i < good_.size(); ++i) {
            if (good_[i].conn->phase() != BenchConn::Phase::Closed) continue;
            if (now - good_[i].downSince > std::chrono::seconds(15)) {
                ++counts_.unexpectedCloses;
                counts_.noteError("a good client could not reconnect within 15 s");
                good_[i].downSince = now;
            }
            ++counts_.reconnects;
            connectGood(i);
        }
    }

    /// Churn: connect, one call, close.
    void churnOne(Clock::time_point now) {
        nextChurn_ = now + std::chrono::milliseconds(10);
        auto c = std::make_unique<BenchConn>(loop_, o_.target, 100000 + counts_.churned);
        BenchConn* raw = c.get();
        raw->onReady = [raw](BenchConn&) { raw->request("x", "health"); };
        raw->onText = [raw](BenchConn&, const std::string& text) {
            if (text.find("\"id\":\"x\"") != std::string::npos) raw->close();
        };
        if (raw->start()) transient_.push_back(std::move(c));
        ++counts_.churned;
    }

    /// Abuse: wrong credentials, garbage frames, frames with reserved bits, garbage instead of HTTP.
    void abuseOne(Clock::time_point now) {
        nextAbuse_ = now + std::chrono::milliseconds(20);
        const int kind = static_cast<int>(rng_() % 4);
        Target t = o_.target;
        if (kind == 0) {
            t.token = "wrong-" + std::to_string(rng_());
            t.password.clear();
        }
        auto c = std::make_unique<BenchConn>(loop_, t, 200000 + counts_.abusers);
        BenchConn* raw = c.get();
        raw->onReady = [raw, kind](BenchConn&) {
            if (kind == 1) raw->sendFrame(protocol::WsOpcode::Text, "{not json");
            if (kind == 2) raw->sendFrame(protocol::WsOpcode::Text, R"({"type":"req","id":7})");
            if (kind == 3) raw->sendRaw(std::string("\xff\xff\xff\xff\x01\x02", 6)); // reserved bits
        };
        if (raw->start()) {
            if (kind == 3 && (rng_() % 2)) raw->sendRaw(std::string(70000, 'G')); // garbage instead of HTTP
            transient_.push_back(std::move(c));
        }
        ++counts_.abusers;
    }

    void sampleRss(Clock::time_point now) {
        nextSample_ = now + std::chrono::seconds(1);
        const long r = rssKib(o_.pid);
        if (r > 0) counts_.rssSeries.push_back(r);
    }

    void restart(Clock::time_point now) {
        nextRestart_ = now + millis(o_.restartEvery);
        ::kill(o_.pid, SIGUSR1);
    }

    /// Drops finished transient connections (bounded memory for long soaks).
    void forgetFinished() {
        std::vector<std::unique_ptr<BenchConn>> keep;
        for (auto& c : transient_)
            if (c->phase() != BenchConn::Phase::Closed) keep.push_back(std::move(c));
        transient_.swap(keep);
    }

    void closeAll() {
        for (auto& g : good_) {
            g.conn->onClosed = nullptr;
            g.conn->close();
        }
        for (auto& c : transient_) {
            c->onClosed = nullptr;
            c->close();
        }
    }

    const SoakOptions& o_;
    BenchLoop loop_;
    std::mt19937 rng_{12345};
    std::vector<GoodClient> good_;
    std::vector<std::unique_ptr<BenchConn>> transient_;
    SoakCounts counts_;
    Clock::time_point nextChurn_, nextAbuse_, nextSample_, nextRestart_;
};

/// The figures line: the counts, and memory after warm-up (the first quarter) against the end.
std::string report(const SoakOptions& o, const SoakCounts& c) {
    long warm = 0, last = 0, peak = 0;
    if (!c.rssSeries.empty()) {
        warm = c.rssSeries[c.rssSeries.size() / 4];
        last = c.rssSeries.back();
        peak = *std::max_element(c.rssSeries.begin(), c.rssSeries.end());
    }
    std::ostringstream out;
    out << "{\"scenario\":\"soak\"";
    if (!o.label.empty()) out << ",\"label\":\"" << o.label << "\"";
    out << ",\"seconds\":" << o.seconds << ",\"good_clients\":" << o.goodClients
        << ",\"good_calls_ok\":" << c.okCalls << ",\"good_calls_failed\":" << c.badCalls
        << ",\"good_unexpected_closes\":" << c.unexpectedCloses << ",\"good_reconnects\":" << c.reconnects
        << ",\"churned_connections\":" << c.churned << ",\"abusive_connections\":" << c.abusers
        << ",\"restart_every_s\":" << o.restartEvery << ",\"rss_after_warmup_kib\":" << warm
        << ",\"rss_end_kib\":" << last << ",\"rss_peak_kib\":" << peak;
    if (!c.firstError.empty()) {
        std::string e;
        for (char ch : c.firstError)
            e += (ch == '"' || ch == '\\') ? '\'' : ch;
        out << ",\"first_error\":\"" << e << "\"";
    }
    return out.str() + "}";
}

} // namespace

int soakScenario(const SoakOptions& o) {
    raiseFileLimit();
    const SoakCounts counts = Soak(o).run();
    std::cout << report(o, counts) << std::endl;
    return counts.badCalls || counts.unexpectedCloses || counts.okCalls == 0 ? 1 : 0;
}

} // namespace openclaw::bench
