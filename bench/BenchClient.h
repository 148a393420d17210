// Many protocol v4 client connections on one epoll loop, for benchmarks: non-blocking connect,
// upgrade, challenge, connect (token or password), hello-ok, then requests and events. Speaks to
// any gateway (ours or the reference) over ws:// on a numeric address.
#pragma once

#include "protocol/WsCodec.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace openclaw::bench {

using Clock = std::chrono::steady_clock;

/// Where to connect and how to authenticate.
struct Target {
    std::string host = "127.0.0.1";
    int port = 0;
    std::string token;
    std::string password;
    std::string scopes = R"(["operator.read"])"; ///< the operator scopes a connect asks for (JSON array)
    bool rawWebSocket = false; ///< ready right after the upgrade, no protocol handshake (the echo anchor)
    /// Loopback source addresses to spread connections over (127.0.0.1 .. 127.0.0.N, by connection index),
    /// so that more than one address's ephemeral ports (about 28 000) can be open at once. 1: the kernel's
    /// choice.
    int sources = 1;
};

class BenchLoop;

/// One connection. Callbacks run on the loop's thread.
class BenchConn {
  public:
    enum class Phase { Connecting, Upgrading, Handshaking, Ready, Closed };

    BenchConn(BenchLoop& loop, const Target& target, size_t index);
    ~BenchConn();
    BenchConn(const BenchConn&) = delete;
    BenchConn& operator=(const BenchConn&) = delete;

    /// Starts the non-blocking connect. Returns false (and error()) when the socket cannot be made.
    bool start();
    /// Sends a request frame {"type":"req","id":id,"method":method,"params":params}.
    void request(const std::string& id, const std::string& method, const std::string& paramsJson = "{}");
    /// Sends a close frame and closes.
    void close();
    /// Sends bytes as they are (malformed input for soak tests).
    void sendRaw(const std::string& bytes);
    /// Sends one (masked) frame.
    void sendFrame(protocol::WsOpcode op, const std::string& payload);

    Phase phase() const { return phase_; }
    size_t index() const { return index_; }
    const std::string& error() const { return error_; }
    /// The close code the server sent (0 when the connection ended without a close frame).
    int closeCode() const { return closeCode_; }
    Clock::time_point startedAt() const { return startedAt_; }

    /// Builds the connect params for this socket's challenge (nonce, ts) instead of the operator default
    /// (a node with a device proof, for instance).
    std::function<std::string(const std::string& nonce, long long ts)> connectParams;
    /// hello-ok arrived.
    std::function<void(BenchConn&)> onReady;
    /// A text frame after hello-ok (responses and events).
    std::function<void(BenchConn&, const std::string&)> onText;
    /// The connection failed or was closed by the peer.
    std::function<void(BenchConn&)> onClosed;

    void onIo(uint32_t events);

  private:
    bool bindSource();
    void fail(const std::string& why);
    void flush();
    void handleText(const std::string& text);

    BenchLoop& loop_;
    Target target_;
    size_t index_;
    int fd_ = -1;
    Phase phase_ = Phase::Connecting;
    std::string in_;
    std::string out_;
    size_t outOffset_ = 0;
    bool wantWrite_ = false;
    protocol::WsDecoder decoder_{1ull << 32};
    std::string error_;
    int closeCode_ = 0;
    Clock::time_point startedAt_;
};

/// The epoll loop the connections share.
class BenchLoop {
  public:
    BenchLoop();
    ~BenchLoop();
    BenchLoop(const BenchLoop&) = delete;
    BenchLoop& operator=(const BenchLoop&) = delete;

    /// Runs until done() is true or the deadline passes. Returns done().
    bool runUntil(const std::function<bool()>& done, Clock::time_point deadline);

    int epollFd() const { return epfd_; }
    void watch(int fd, uint32_t events, BenchConn* conn, bool add);

  private:
    int epfd_;
};

/// Raises the descriptor limit to the hard limit (thousands of connections), or to `atLeast` when that is
/// more and the process may raise the hard limit too (root). Returns the soft limit now in force.
long raiseFileLimit(long atLeast = 0);

} // namespace openclaw::bench
