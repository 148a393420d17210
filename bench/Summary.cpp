#include "Summary.h"

#include "json/Json.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <vector>

namespace openclaw::bench {

namespace {

struct Metric {
    const char* scenario;
    const char* field;
    const char* title;
    bool higherIsBetter;
    std::optional<double> target; ///< the issue's target for ours
    bool useMax = false;          ///< the largest run instead of the median (see below)
};

const std::vector<Metric> kMetrics = {
    {"startup", "ready_ms", "start -> /readyz 200 (ms)", false, 50},
    {"startup", "hello_ms", "start -> first hello-ok (ms)", false, std::nullopt},
    {"startup", "idle_rss_kib", "idle RSS after start (KiB)", false, 12 * 1024},
    {"rpc-latency", "p50_us", "health RPC p50 (us)", false, 60},
    {"rpc-latency", "p99_us", "health RPC p99 (us)", false, 300},
    {"rpc-throughput", "rate_per_s", "health RPC/s, 32 conns x 8", true, 50000},
    {"rpc-throughput", "p99_us", "  p99 under that load (us)", false, std::nullopt},
    {"rpc-throughput", "server_cpu_us_per_req", "  server CPU time per request (us)", false, std::nullopt},
    {"pipelined", "rate_per_s", "health RPC/s, 64 pipelined in one write", true, std::nullopt},
    {"pipelined", "p50_us", "  one round of 64, p50 (us)", false, std::nullopt},
    {"pipelined", "server_cpu_us_per_req", "  server CPU time per request (us)", false, std::nullopt},
    {"echo-latency", "p50_us", "raw WebSocket echo p50 (us, the anchor)", false, std::nullopt},
    {"echo-throughput", "rate_per_s", "raw echo frames/s, 32 x 8 (the anchor)", true, std::nullopt},
    {"echo-throughput", "server_cpu_us_per_req", "  echo server CPU time per frame (us)", false,
     std::nullopt},
    {"handshake", "p50_us", "connect -> hello-ok p50 (us)", false, std::nullopt},
    {"handshake", "rate_per_s", "sequential handshakes/s", true, std::nullopt},
    {"fanout", "all_delivered_p50_us", "event to all sessions p50 (us)", false, std::nullopt},
    {"node-invoke", "p50_us", "node.invoke round trip p50 (us)", false, std::nullopt},
    {"node-invoke", "rate_per_s", "sequential node.invoke/s", true, std::nullopt},
    {"idle-conns", "server_rss_kib", "RSS holding the idle sessions (KiB)", false, 100 * 1024},
    // The first run on a fresh gateway is the one that grows it; later runs reuse what the allocator kept.
    {"idle-conns", "kib_per_session", "  KiB per idle session (first run)", false, std::nullopt, true},
    {"idle-conns", "open_seconds", "  seconds to open them", false, std::nullopt},
    {"exec", "wall_p50_ms", "`gateway health` CLI wall (ms)", false, 15},
    {"exec", "peak_rss_p50_kib", "`gateway health` CLI peak RSS (KiB)", false, std::nullopt},
};

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/// One label's figure: the median of its runs and its best run (noise on a shared machine only adds time,
/// so the best run is the steadier estimate).
struct Figure {
    double median = 0;
    double best = 0;
};

using Samples = std::map<std::string, std::vector<double>>; ///< "label|scenario|field" -> runs

std::optional<Figure> figureOf(const Samples& samples, const std::string& label, const Metric& m) {
    auto it = samples.find(label + "|" + m.scenario + "|" + m.field);
    if (it == samples.end() || it->second.empty()) return std::nullopt;
    const auto [lo, hi] = std::minmax_element(it->second.begin(), it->second.end());
    if (m.useMax) return Figure{*hi, *hi};
    return Figure{median(it->second), m.higherIsBetter ? *hi : *lo};
}

std::string number(const std::optional<double>& v) {
    if (!v) return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, *v < 100 ? "%.2f" : "%.0f", *v);
    return buf;
}

/// How many times better `ours` is than `other` ("-" without both).
std::string ratio(const std::optional<double>& ours, const std::optional<double>& other,
                  bool higherIsBetter) {
    if (!ours || !other || *ours <= 0 || *other <= 0) return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2fx", higherIsBetter ? *ours / *other : *other / *ours);
    return buf;
}

std::string targetText(const Metric& m, const std::optional<Figure>& ours) {
    if (!m.target) return "-";
    const bool met = ours && (m.higherIsBetter ? ours->median >= *m.target : ours->median <= *m.target);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%s%.0f %s", m.higherIsBetter ? ">=" : "<=", *m.target,
                  ours ? (met ? "met" : "MISSED") : "?");
    return buf;
}

/// One figure of a label as a multiple of the raw-echo anchor's, measured in the same rounds.
void printAgainstAnchor(const Samples& samples, const std::string& label, const Metric& figure,
                        const Metric& anchor, const char* what) {
    const std::optional<Figure> f = figureOf(samples, label, figure), a = figureOf(samples, label, anchor);
    if (!f || !a || a->median <= 0 || a->best <= 0) return;
    std::printf("(%s: %s = %.2fx median, %.2fx best)\n", label.c_str(), what, f->median / a->median,
                f->best / a->best);
}

/// Ours and the other side against the raw WebSocket echo: latency, and throughput and CPU under 32 x 8.
void printAnchor(const Samples& samples, const std::vector<std::string>& labels) {
    const Metric health = {"rpc-latency", "p50_us", "", false, std::nullopt};
    const Metric echo = {"echo-latency", "p50_us", "", false, std::nullopt};
    const Metric rate = {"rpc-throughput", "rate_per_s", "", true, std::nullopt};
    const Metric echoRate = {"echo-throughput", "rate_per_s", "", true, std::nullopt};
    const Metric cpu = {"rpc-throughput", "server_cpu_us_per_req", "", false, std::nullopt};
    const Metric echoCpu = {"echo-throughput", "server_cpu_us_per_req", "", false, std::nullopt};
    for (const std::string& label : labels) {
        printAgainstAnchor(samples, label, health, echo, "health p50 / raw echo p50");
        printAgainstAnchor(samples, label, rate, echoRate, "32 x 8 RPC/s / raw echo frames/s");
        printAgainstAnchor(samples, label, cpu, echoCpu, "32 x 8 CPU per request / raw echo CPU per frame");
    }
}

void printTable(const Samples& samples, const std::string& against) {
    std::printf("%-40s %12s %12s %12s %12s %9s %9s %12s\n", "figure", "ours med", "ours best",
                (against + " med").c_str(), (against + " best").c_str(), "ratio", "best", "target");
    for (const Metric& m : kMetrics) {
        const std::optional<Figure> ours = figureOf(samples, "ours", m),
                                    other = figureOf(samples, against, m);
        if (!ours && !other) continue;
        auto med = [](const std::optional<Figure>& f) {
            return f ? std::optional<double>(f->median) : std::nullopt;
        };
        auto best = [](const std::optional<Figure>& f) {
            return f ? std::optional<double>(f->best) : std::nullopt;
        };
        std::printf("%-40s %12s %12s %12s %12s %9s %9s %12s\n", m.title, number(med(ours)).c_str(),
                    number(best(ours)).c_str(), number(med(other)).c_str(), number(best(other)).c_str(),
                    ratio(med(ours), med(other), m.higherIsBetter).c_str(),
                    ratio(best(ours), best(other), m.higherIsBetter).c_str(), targetText(m, ours).c_str());
    }
    std::printf("(ratio: how many times better ours is, medians; best: the same of the best runs)\n");
    printAnchor(samples, {"ours", against});
}

} // namespace

int summarize(const std::string& path, const std::string& against) {
    std::ifstream in(path);
    if (!in) {
        std::cerr << "openclaw-bench: cannot read " << path << "\n";
        return 2;
    }
    // (label, scenario, field) -> samples
    Samples samples;
    std::map<std::string, std::string> sessions; // label -> idle-conns session count
    std::string line;
    int lineNo = 0;
    while (std::getline(in, line)) {
        ++lineNo;
        if (line.empty()) continue;
        json::ObjectPtr o;
        try {
            o = json::asObject(json::parse(line));
        } catch (const std::exception& e) {
            std::cerr << path << ":" << lineNo << ": not JSON (" << e.what() << "); skipped\n";
            continue;
        }
        if (!o) continue;
        std::string label = json::getString(o, "label").value_or("?");
        std::string scenario = json::getString(o, "scenario").value_or("?");
        for (const auto& name : o->getNames()) {
            json::Var v = o->get(name);
            if (!json::isNumber(v)) continue;
            double d = v.convert<double>();
            if (d < 0) continue; // "unknown"
            samples[label + "|" + scenario + "|" + name].push_back(d);
        }
        if (scenario == "idle-conns")
            sessions[label] = std::to_string(json::getInt(o, "sessions").value_or(0));
    }
    printTable(samples, against);
    for (const auto& [label, n] : sessions)
        std::printf("(idle-conns held %s sessions for %s)\n", n.c_str(), label.c_str());
    return 0;
}

} // namespace openclaw::bench
