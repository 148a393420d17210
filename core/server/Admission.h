// Who may hold a connection: the pre-auth slots (gateway.limits.maxPreauthConnections; when all are taken
// the longest-stalled handshake is evicted, so an honest client always gets in while the total stays
// bounded), the session cap (gateway.limits.maxSessions), and the count of open connections that a stop
// waits for. Any thread.
#pragma once

#include "server/Connection.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <list>
#include <memory>
#include <mutex>

namespace openclaw::server {

/// Slots and counts.
class Admission {
  public:
    Admission(int maxPreauth, int maxSessions) : maxPreauth_(maxPreauth), maxSessions_(maxSessions) {}

    /// A new connection: counted, and given a pre-auth slot (evicting the oldest holders on their loops).
    void opened(const std::shared_ptr<Connection>& conn);
    /// Frees a connection's pre-auth slot (it authenticated or went away).
    void releaseSlot(Connection& c);
    /// Counts one more authenticated session; false when the cap is reached.
    bool acquireSession();
    /// A connection ended: its slot, its session, and the count.
    void gone(Connection& c, bool wasSession);
    /// Authenticated sessions now.
    int sessions() const { return sessions_.load(); }
    /// Waits until no connection is open (at most `limit`).
    void waitAllGone(std::chrono::milliseconds limit);

  private:
    const int maxPreauth_;
    const int maxSessions_;
    std::mutex preauthMu_;
    std::list<std::weak_ptr<Connection>> preauth_; ///< oldest first
    std::atomic<int> sessions_{0};
    std::atomic<int> connections_{0}; ///< open connections of any kind
    std::mutex goneMu_;
    std::condition_variable allGone_; ///< signalled when connections_ reaches 0
};

} // namespace openclaw::server
