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
    {"handshake", "p50_us", "connect -> hello-ok p50 (us)", false, std::nullopt},
    {"handshake", "rate_per_s", "sequential handshakes/s", true, std::nullopt},
    {"fanout", "all_delivered_p50_us", "event to all sessions p50 (us)", false, std::nullopt},
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

} // namespace

int summarize(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        std::cerr << "openclaw-bench: cannot read " << path << "\n";
        return 2;
    }
    // (label, scenario, field) -> samples
    std::map<std::string, std::vector<double>> samples;
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
    std::printf("%-40s %14s %14s %9s %10s\n", "figure (median of runs)", "ours", "reference", "ratio",
                "target");
    for (const Metric& m : kMetrics) {
        auto get = [&](const std::string& label) -> std::optional<double> {
            auto it = samples.find(label + "|" + m.scenario + "|" + m.field);
            if (it == samples.end() || it->second.empty()) return std::nullopt;
            if (m.useMax) return *std::max_element(it->second.begin(), it->second.end());
            return median(it->second);
        };
        std::optional<double> ours = get("ours"), ref = get("reference");
        if (!ours && !ref) continue;
        char o[32] = "-", r[32] = "-", ratio[32] = "-", target[32] = "-";
        if (ours) std::snprintf(o, sizeof o, *ours < 100 ? "%.2f" : "%.0f", *ours);
        if (ref) std::snprintf(r, sizeof r, *ref < 100 ? "%.2f" : "%.0f", *ref);
        // Ratio = how many times better ours is.
        if (ours && ref && *ours > 0 && *ref > 0)
            std::snprintf(ratio, sizeof ratio, "%.1fx", m.higherIsBetter ? *ours / *ref : *ref / *ours);
        if (m.target) {
            bool met = ours && (m.higherIsBetter ? *ours >= *m.target : *ours <= *m.target);
            std::snprintf(target, sizeof target, "%s%.0f %s", m.higherIsBetter ? ">=" : "<=", *m.target,
                          ours ? (met ? "met" : "MISSED") : "?");
        }
        std::printf("%-40s %14s %14s %9s %10s\n", m.title, o, r, ratio, target);
    }
    for (const auto& [label, n] : sessions)
        std::printf("(idle-conns held %s sessions for %s)\n", n.c_str(), label.c_str());
    return 0;
}

} // namespace openclaw::bench
