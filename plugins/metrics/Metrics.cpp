#include "Metrics.hpp"

#include <cstdio>
#include <cstdlib>

namespace openclaw::metrics {

void Metrics::sessionOpened(const std::string& role) {
    std::lock_guard<std::mutex> lock(mu_);
    ++open_[role];
    ++opened_[role];
}

void Metrics::sessionClosed(const std::string& role) {
    std::lock_guard<std::mutex> lock(mu_);
    --open_[role];
}

void Metrics::request(const std::string& method, const std::string& plugin, const std::string& code,
                      double seconds) {
    std::lock_guard<std::mutex> lock(mu_);
    ++requests_[{method, code.empty() ? "OK" : code}];
    if (!plugin.empty()) ++pluginCalls_[{plugin, code.empty() ? "OK" : code}];
    for (size_t i = 0; i < kBuckets.size(); ++i)
        if (seconds <= kBuckets[i]) ++durations_.buckets[i];
    ++durations_.count;
    durations_.sum += seconds;
}

void Metrics::authFailed(const std::string& reason) {
    std::lock_guard<std::mutex> lock(mu_);
    ++authFailures_[reason.empty() ? "unknown" : reason];
}

void Metrics::setHookDrops(const std::map<std::string, uint64_t>& drops) {
    std::lock_guard<std::mutex> lock(mu_);
    hookDrops_ = drops;
}

std::string escapeLabel(const std::string& value) {
    std::string out;
    for (char c : value) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

namespace {

/// The shortest text that reads back as the same double (0.0005, not 0.00050000000000000001).
std::string number(double v) {
    char buf[64];
    for (int precision = 1; precision <= 17; ++precision) {
        std::snprintf(buf, sizeof buf, "%.*g", precision, v);
        if (std::strtod(buf, nullptr) == v) break;
    }
    return buf;
}

void header(std::string& out, const char* name, const char* type, const char* help) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

template <class Map> void byLabel(std::string& out, const char* name, const char* label, const Map& values) {
    for (const auto& [key, value] : values)
        out += std::string(name) + "{" + label + "=\"" + escapeLabel(key) + "\"} " +
               number(static_cast<double>(value)) + "\n";
}

} // namespace

std::string Metrics::render(const ProcessFacts& process) const {
    std::lock_guard<std::mutex> lock(mu_);
    std::string out;
    header(out, "openclaw_sessions_open", "gauge", "Sessions open now, by role.");
    byLabel(out, "openclaw_sessions_open", "role", open_);
    header(out, "openclaw_sessions_opened_total", "counter",
           "Sessions opened since the gateway started, by role.");
    byLabel(out, "openclaw_sessions_opened_total", "role", opened_);
    header(out, "openclaw_requests_total", "counter",
           "Requests answered, by method and outcome code (OK when ok).");
    for (const auto& [key, value] : requests_)
        out += "openclaw_requests_total{method=\"" + escapeLabel(key.first) + "\",code=\"" +
               escapeLabel(key.second) + "\"} " + number(static_cast<double>(value)) + "\n";
    header(out, "openclaw_request_duration_seconds", "histogram", "Time from a request to its answer.");
    for (size_t i = 0; i < kBuckets.size(); ++i)
        out += "openclaw_request_duration_seconds_bucket{le=\"" + number(kBuckets[i]) + "\"} " +
               number(static_cast<double>(durations_.buckets[i])) + "\n";
    out += "openclaw_request_duration_seconds_bucket{le=\"+Inf\"} " +
           number(static_cast<double>(durations_.count)) + "\n";
    out += "openclaw_request_duration_seconds_sum " + number(durations_.sum) + "\n";
    out += "openclaw_request_duration_seconds_count " + number(static_cast<double>(durations_.count)) + "\n";
    header(out, "openclaw_auth_failures_total", "counter", "Connects refused, by reason.");
    byLabel(out, "openclaw_auth_failures_total", "reason", authFailures_);
    header(out, "openclaw_plugin_calls_total", "counter",
           "Requests answered by a plugin's method, by plugin and outcome code (OK when ok).");
    for (const auto& [key, value] : pluginCalls_)
        out += "openclaw_plugin_calls_total{plugin=\"" + escapeLabel(key.first) + "\",code=\"" +
               escapeLabel(key.second) + "\"} " + number(static_cast<double>(value)) + "\n";
    header(out, "openclaw_plugin_hook_drops_total", "counter",
           "Request hooks dropped because a plugin's hook queue was full, by plugin.");
    byLabel(out, "openclaw_plugin_hook_drops_total", "plugin", hookDrops_);
    header(out, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
    out += "process_resident_memory_bytes " + number(process.residentBytes) + "\n";
    header(out, "openclaw_uptime_seconds", "gauge", "Seconds since the gateway process started.");
    out += "openclaw_uptime_seconds " + number(process.uptimeSeconds) + "\n";
    return out;
}

} // namespace openclaw::metrics
