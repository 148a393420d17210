// The bytes a connection has for the wire that its transport has not taken yet. Written through as far as
// the transport takes them and the rest queued; inside a batch (one wake-up's answers) only queued, then sent
// together. An empty buffer holds no memory: idle sessions should cost little.
#pragma once

#include "net/Transport.h"

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

    /// Queues `data` inside a batch; otherwise writes through what the transport takes and queues the rest.
    Status write(net::Transport& transport, const char* data, size_t len);
    /// Sends what waits: the queue, then what the transport itself still holds.
    Status flush(net::Transport& transport);

    void beginBatch() { batching_ = true; }
    void endBatch() { batching_ = false; }
    bool batching() const { return batching_; }
    /// Bytes queued here (not those the transport holds).
    size_t pending() const { return out_.size() - offset_; }
    /// Drops what is queued and its memory.
    void release();

  private:
    void compact();

    std::string out_;
    size_t offset_ = 0; ///< first unsent byte of out_
    bool batching_ = false;
};

} // namespace openclaw::server
