#include "server/OutputBuffer.h"

#include "protocol/ByteBuffers.h"

namespace openclaw::server {

namespace {

/// The loop thread's batch: the bytes one connection's wake-up produced, and that connection.
struct ThreadBatch {
    std::string bytes;
    const OutputBuffer* owner = nullptr;
};

thread_local ThreadBatch tBatch;
/// Frames written outside a batch are framed here before the transport takes them.
thread_local std::string tFrame;
/// A batch or frame buffer that grew past this for one large answer is given back after it.
constexpr size_t kKeptCapacity = size_t{256} * 1024;

void clearKeeping(std::string& s) {
    protocol::clearKeeping(s, kKeptCapacity);
}

} // namespace

OutputBuffer::~OutputBuffer() {
    release();
}

bool OutputBuffer::ownsBatch() const {
    return tBatch.owner == this;
}

std::string& OutputBuffer::queue() {
    return batching_ && ownsBatch() ? tBatch.bytes : out_;
}

void OutputBuffer::beginBatch() {
    batching_ = true;
    // Another connection's batch is never open below us on this thread; if one were (its bytes not yet
    // flushed), this batch simply queues in its own buffer.
    if (tBatch.owner == nullptr) tBatch.owner = this;
}

size_t OutputBuffer::pending() const {
    return out_.size() - offset_ + (ownsBatch() ? tBatch.bytes.size() : 0);
}

void OutputBuffer::compact() {
    if (offset_ < out_.size()) return;
    out_.clear();
    offset_ = 0;
}

OutputBuffer::Status OutputBuffer::write(net::Transport& transport, const char* data, size_t len) {
    compact();
    if (batching_) {
        queue().append(data, len);
        return Status::Queued;
    }
    if (!out_.empty()) {
        out_.append(data, len); // behind what already waits
        return flush(transport);
    }
    // Nothing queued: try the transport first, queue only what it does not take.
    const net::IoResult put = transport.write(data, len);
    if (put.kind == net::IoResult::Kind::Closed) return Status::Closed;
    if (put.count < len) out_.append(data + put.count, len - put.count);
    return flush(transport);
}

OutputBuffer::Status OutputBuffer::writeFrame(net::Transport& transport, protocol::WsOpcode op,
                                              const std::string& payload) {
    if (batching_) {
        compact();
        protocol::appendWsFrame(queue(), op, payload.data(), payload.size());
        return Status::Queued;
    }
    tFrame.clear();
    protocol::appendWsFrame(tFrame, op, payload.data(), payload.size());
    const Status status = write(transport, tFrame.data(), tFrame.size());
    clearKeeping(tFrame);
    return status;
}

OutputBuffer::Status OutputBuffer::sendBatch(net::Transport& transport) {
    if (!ownsBatch()) return Status::Sent;
    tBatch.owner = nullptr;
    std::string& bytes = tBatch.bytes;
    Status status = Status::Sent;
    if (!bytes.empty()) {
        if (out_.size() > offset_) {
            out_.append(bytes); // behind what already waits
        } else {
            compact();
            const net::IoResult put = transport.write(bytes.data(), bytes.size());
            if (put.kind == net::IoResult::Kind::Closed) status = Status::Closed;
            if (status != Status::Closed && put.count < bytes.size())
                out_.append(bytes.data() + put.count, bytes.size() - put.count);
        }
    }
    clearKeeping(bytes);
    return status;
}

OutputBuffer::Status OutputBuffer::flush(net::Transport& transport) {
    if (sendBatch(transport) == Status::Closed) return Status::Closed;
    while (offset_ < out_.size()) {
        const net::IoResult put = transport.write(out_.data() + offset_, out_.size() - offset_);
        if (put.kind == net::IoResult::Kind::Closed) return Status::Closed;
        if (put.kind == net::IoResult::Kind::WouldBlock) return Status::Blocked;
        offset_ += put.count;
    }
    std::string().swap(out_);
    offset_ = 0;
    // A transport that buffers (TLS) may have taken the bytes and still hold some of its own.
    const net::IoResult rest = transport.drain();
    if (rest.kind == net::IoResult::Kind::Closed) return Status::Closed;
    return rest.kind == net::IoResult::Kind::WouldBlock ? Status::Blocked : Status::Sent;
}

void OutputBuffer::release() {
    std::string().swap(out_);
    offset_ = 0;
    if (ownsBatch()) {
        tBatch.owner = nullptr;
        clearKeeping(tBatch.bytes);
    }
}

} // namespace openclaw::server
