// Lets a repeated log line through once per interval per distinct key (a plugin's failing timer must not
// flood the log every tick), counting what it held back. Thread-safe.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace openclaw::log {

/// Once per interval per key.
class Throttle {
  public:
    explicit Throttle(std::chrono::steady_clock::duration interval = std::chrono::minutes(1))
        : interval_(interval) {}

    /// Whether to log `key` now; when it returns true, `suppressed` is how many were held back since the
    /// last.
    bool allow(const std::string& key, long long& suppressed) {
        const auto now = std::chrono::steady_clock::now();
        std::lock_guard<std::mutex> lock(mu_);
        Entry& e = entries_[key];
        if (e.logged && now - e.last < interval_) {
            ++e.held;
            return false;
        }
        suppressed = e.held;
        e = Entry{true, now, 0};
        if (entries_.size() > kMaxKeys) entries_.clear(); // bounded: distinct messages could be endless
        return true;
    }

  private:
    static constexpr size_t kMaxKeys = 1024;
    struct Entry {
        bool logged = false;
        std::chrono::steady_clock::time_point last;
        long long held = 0;
    };
    std::chrono::steady_clock::duration interval_;
    std::mutex mu_;
    std::unordered_map<std::string, Entry> entries_;
};

/// Logs an error once per minute per distinct (subsystem, message), saying how many repeats were held back.
void errorThrottled(const std::string& subsystem, const std::string& message);

} // namespace openclaw::log
