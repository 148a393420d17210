// The byte stream under a server connection: the accepted TCP socket in the gateway, a scripted fake in
// tests (tests/unit/ConnectionTest.cpp). A connection reads, writes, half-closes and asks to be woken
// through it, and never touches a descriptor itself.
#pragma once

#include "net/EventLoop.h"

#include <cstddef>
#include <cstdint>

namespace openclaw::net {

/// What one read or write did.
struct IoResult {
    enum class Kind {
        Bytes,      ///< `count` bytes moved (a read of 0 bytes is Closed)
        WouldBlock, ///< nothing now; wait for readiness
        Closed      ///< the peer hung up or the stream failed: nothing more will move
    };
    Kind kind = Kind::Closed;
    size_t count = 0;
};

/// A non-blocking byte stream watched by an EventLoop. Every call is made on that loop's thread.
class Transport {
  public:
    virtual ~Transport() = default;
    /// Reads up to `len` bytes.
    virtual IoResult read(char* buf, size_t len) = 0;
    /// Writes up to `len` bytes.
    virtual IoResult write(const char* data, size_t len) = 0;
    /// Sends bytes the transport itself holds (a TLS layer's records the socket did not take): WouldBlock
    /// while some remain, Closed when the stream failed, else Bytes. A plain socket holds none.
    virtual IoResult drain() { return {IoResult::Kind::Bytes, 0}; }
    /// Sends FIN: no more bytes from us; the peer may still send.
    virtual void shutdownWrite() = 0;
    /// Asks `loop` to call `handler` on these readiness bits (EPOLLIN, EPOLLOUT, EPOLLRDHUP); the first call
    /// starts watching, later calls change the bits.
    virtual void watch(EventLoop& loop, uint32_t events, IoHandler* handler) = 0;
    /// Stops watching and releases the stream (idempotent).
    virtual void close(EventLoop& loop) = 0;
};

/// An accepted, non-blocking TCP socket (owned: closed by close() or the destructor).
class SocketTransport : public Transport {
  public:
    explicit SocketTransport(int fd) : fd_(fd) {}
    ~SocketTransport() override;
    SocketTransport(const SocketTransport&) = delete;
    SocketTransport& operator=(const SocketTransport&) = delete;

    IoResult read(char* buf, size_t len) override;
    IoResult write(const char* data, size_t len) override;
    void shutdownWrite() override;
    void watch(EventLoop& loop, uint32_t events, IoHandler* handler) override;
    void close(EventLoop& loop) override;

  private:
    int fd_;
    bool watched_ = false;
};

} // namespace openclaw::net
