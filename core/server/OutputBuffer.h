// The bytes a connection has for the wire that its transport has not taken yet. Written through as far as
// the transport takes them and the rest queued; inside a batch (one wake-up's answers) only queued, then sent
// together. An empty buffer holds no memory: idle sessions should cost little. The batch itself is built in
// one buffer per loop thread, reused from wake-up to wake-up (only one connection handles input at a time on
// a thread), so answering allocates nothing once that buffer has grown; only what the transport does not take
// is copied into the connection's own queue.
#pragma once

#include "net/Transport.h"
#include "protocol/WsCodec.h"

#include <string>

namespace openclaw::server {

/// Outbound bytes with back-pressure.
class OutputBuffer {
  public:
    /// What a write or flush left.
    enum class Status {
        Sent,    ///< nothing is waiting (also in the transport's own buffer)
        Blocked, ///< bytes wait for the transport: watch for writability
        Queued,  ///< inside a batch: queued, nothing tried
        Closed   ///< the transport failed: the connection is over
    };

    OutputBuffer() = default;
    ~OutputBuffer();
    OutputBuffer(const OutputBuffer&) = delete;
    OutputBuffer& operator=(const OutputBuffer&) = delete;

    /// Queues `data` inside a batch; otherwise writes through what the transport takes and queues the rest.
    Status write(net::Transport& transport, const char* data, size_t len);
    /// The same for one unmasked WebSocket frame, framed in place (no intermediate string).
    Status writeFrame(net::Transport& transport, protocol::WsOpcode op, const std::string& payload);
    /// Sends what waits: the batch, the queue, then what the transport itself still holds.
    Status flush(net::Transport& transport);

    /// Starts a batch: writes are queued until flush().
    void beginBatch();
    void endBatch() { batching_ = false; }
    bool batching() const { return batching_; }
    /// Bytes queued here (not those the transport holds).
    size_t pending() const;
    /// Drops what is queued and its memory.
    void release();

  private:
    bool ownsBatch() const;
    std::string& queue();
    void compact();
    Status sendBatch(net::Transport& transport);

    std::string out_;
    size_t offset_ = 0; ///< first unsent byte of out_
    bool batching_ = false;
};

} // namespace openclaw::server
