// What the metrics plugin counts, and its rendering in the Prometheus text exposition format (0.0.4).
// Pure: fed by the plugin's hooks, rendered for GET /metrics; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace openclaw::metrics {

/// Process facts read at scrape time.
struct ProcessFacts {
    double residentBytes = 0;
    double uptimeSeconds = 0;
};

/// The gateway's counters as the hooks report them.
class Metrics {
  public:
    /// Upper bounds (seconds) of the request-duration histogram's buckets (+Inf is implied).
    static constexpr std::array<double, 10> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                        0.025,  0.05,  0.1,    0.5,   2.5};

    void sessionOpened(const std::string& role);
    void sessionClosed(const std::string& role);
    /// A request answered: its method, the plugin serving it ("" for the gateway's own), error code ("" when
    /// ok) and duration.
    void request(const std::string& method, const std::string& plugin, const std::string& code,
                 double seconds);
    /// A connect refused for `reason` (a details code).
    void authFailed(const std::string& reason);
    /// Hook calls dropped so far, per plugin id (absolute counts, as the host reports them).
    void setHookDrops(const std::map<std::string, uint64_t>& drops);

    /// The exposition text.
    std::string render(const ProcessFacts& process) const;

  private:
    struct Histogram {
        std::array<uint64_t, kBuckets.size()> buckets{};
        uint64_t count = 0;
        double sum = 0;
    };
    mutable std::mutex mu_;
    std::map<std::string, long long> open_;                               // role
    std::map<std::string, uint64_t> opened_;                              // role
    std::map<std::pair<std::string, std::string>, uint64_t> requests_;    // method, code
    std::map<std::pair<std::string, std::string>, uint64_t> pluginCalls_; // plugin, code
    Histogram durations_;
    std::map<std::string, uint64_t> authFailures_; // reason
    std::map<std::string, uint64_t> hookDrops_;    // plugin
};

/// A label value escaped as the text format requires (backslash, double quote, newline).
std::string escapeLabel(const std::string& value);

} // namespace openclaw::metrics
