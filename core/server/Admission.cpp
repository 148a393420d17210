#include "server/Admission.h"

#include <algorithm>

namespace openclaw::server {

void Admission::opened(const std::shared_ptr<Connection>& conn) {
    ++connections_;
    std::lock_guard<std::mutex> lock(preauthMu_);
    const size_t cap = static_cast<size_t>(std::max(1, maxPreauth_));
    while (preauth_.size() >= cap) {
        // Evict the longest-stalled handshake: an honest one takes milliseconds, so it always gets through,
        // while the total stays bounded.
        std::weak_ptr<Connection> oldest = preauth_.front();
        preauth_.pop_front();
        if (auto victim = oldest.lock()) {
            victim->holdsPreauthSlot = false;
            Connection* raw = victim.get();
            raw->shard().loop.post([victim] { victim->evict(); });
        }
    }
    conn->preauthSlot = preauth_.insert(preauth_.end(), conn);
    conn->holdsPreauthSlot = true;
}

void Admission::releaseSlot(Connection& c) {
    std::lock_guard<std::mutex> lock(preauthMu_);
    if (!c.holdsPreauthSlot) return;
    preauth_.erase(c.preauthSlot);
    c.holdsPreauthSlot = false;
}

bool Admission::acquireSession() {
    if (++sessions_ > maxSessions_) {
        --sessions_;
        return false;
    }
    return true;
}

void Admission::gone(Connection& c, bool wasSession) {
    releaseSlot(c);
    if (wasSession) --sessions_;
    // Under the lock, so that waitAllGone cannot miss the last one between its check and its wait.
    std::lock_guard<std::mutex> lock(goneMu_);
    if (--connections_ == 0) allGone_.notify_all();
}

void Admission::waitAllGone(std::chrono::milliseconds limit) {
    std::unique_lock<std::mutex> lock(goneMu_);
    allGone_.wait_for(lock, limit, [this] { return connections_.load() == 0; });
}

} // namespace openclaw::server
