// The gateway's listening sockets: bound on every bind address (one more may join while running, for
// bind=tailnet), watched on the first shard's loop, each accepted socket handed over as a Peer.
#pragma once

#include "net/EventLoop.h"
#include "server/Connection.h"

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace openclaw::server {

class Listener;

/// Listens and accepts.
class Acceptor {
  public:
    using Adopt = std::function<void(Peer)>;

    /// `adopt` takes each accepted connection (on the accept loop's thread).
    Acceptor(int port, Adopt adopt);
    ~Acceptor();
    Acceptor(const Acceptor&) = delete;
    Acceptor& operator=(const Acceptor&) = delete;

    /// Binds and listens on host:port (not watched until serve); throws naming the address and who holds
    /// the port.
    void listenOn(const std::string& host);
    /// Starts accepting on `loop` from the sockets listenOn bound; returns once the loop watches them.
    void serve(net::EventLoop& loop);
    /// Listens on one more address while serving; throws with the reason when it cannot.
    void add(const std::string& host);
    /// Stops accepting (on the loop's thread; waits for it, at most 5 s).
    void close();
    /// Drops the listeners (after the loop has stopped).
    void clear();
    /// "host:port" strings actually listening.
    std::vector<std::string> listening() const;

  private:
    std::unique_ptr<Listener> bind(const std::string& host);

    int port_;
    Adopt adopt_;
    net::EventLoop* loop_ = nullptr;
    std::vector<std::unique_ptr<Listener>> listeners_; ///< the accept loop's (bound ones before serve)
    mutable std::mutex listeningMu_;                   ///< listening_ grows while running (add)
    std::vector<std::string> listening_;
};

} // namespace openclaw::server
