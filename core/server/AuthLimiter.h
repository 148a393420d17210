// Failed-auth pacing and lockout per client address (gateway.auth.rateLimit).
// Every failure delays the error response: 250 ms, 500, 1000, 2000, 4000, then 5000 ms (as the
// reference paces). Non-exempt addresses are locked out after maxAttempts failures in windowMs.
#pragma once

#include "config/GatewayConfig.h"

#include <chrono>
#include <map>
#include <mutex>
#include <string>

namespace openclaw::server {

/// Tracks failures per address. Thread-safe. The clock is injectable for tests.
class AuthLimiter {
  public:
    using Clock = std::chrono::steady_clock;

    explicit AuthLimiter(config::RateLimitConfig cfg) : cfg_(cfg) {}

    /// Milliseconds until `address` may try again (0 when not locked out).
    long long lockedForMs(const std::string& address, bool loopback, Clock::time_point now = Clock::now());
    /// Records a failure; returns how long to delay the error response (ms).
    long long recordFailure(const std::string& address, bool loopback, Clock::time_point now = Clock::now());
    /// Clears an address after a success.
    void recordSuccess(const std::string& address);

  private:
    struct Entry {
        int failures = 0; ///< failures within the window
        Clock::time_point windowStart;
        Clock::time_point lockedUntil;
        int consecutive = 0; ///< for pacing
    };
    config::RateLimitConfig cfg_;
    std::mutex mu_;
    std::map<std::string, Entry> entries_;
};

} // namespace openclaw::server
