#include "server/AuthLimiter.h"

#include <algorithm>

namespace openclaw::server {

long long AuthLimiter::lockedForMs(const std::string& address, bool loopback, Clock::time_point now) {
    if (loopback && cfg_.exemptLoopback) return 0;
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(address);
    if (it == entries_.end() || it->second.lockedUntil <= now) return 0;
    return std::chrono::duration_cast<std::chrono::milliseconds>(it->second.lockedUntil - now).count();
}

long long AuthLimiter::recordFailure(const std::string& address, bool loopback, Clock::time_point now) {
    std::lock_guard<std::mutex> lock(mu_);
    if (entries_.size() > 10000) entries_.clear(); // bounded memory under address floods
    Entry& e = entries_[address];
    e.consecutive = std::min(e.consecutive + 1, 30);
    if (!(loopback && cfg_.exemptLoopback)) {
        if (now - e.windowStart > std::chrono::milliseconds(cfg_.windowMs)) {
            e.windowStart = now;
            e.failures = 0;
        }
        if (++e.failures >= cfg_.maxAttempts) {
            e.lockedUntil = now + std::chrono::milliseconds(cfg_.lockoutMs);
            e.failures = 0;
        }
    }
    long long delay = 250LL << std::min(e.consecutive - 1, 5);
    return std::min(delay, 5000LL);
}

void AuthLimiter::recordSuccess(const std::string& address) {
    std::lock_guard<std::mutex> lock(mu_);
    entries_.erase(address);
}

} // namespace openclaw::server
