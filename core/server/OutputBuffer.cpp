#include "server/OutputBuffer.h"

namespace openclaw::server {

void OutputBuffer::compact() {
    if (offset_ < out_.size()) return;
    out_.clear();
    offset_ = 0;
}

OutputBuffer::Status OutputBuffer::write(net::Transport& transport, const char* data, size_t len) {
    compact();
    if (batching_) {
        out_.append(data, len);
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

OutputBuffer::Status OutputBuffer::flush(net::Transport& transport) {
    while (offset_ < out_.size()) {
        const net::IoResult put = transport.write(out_.data() + offset_, out_.size() - offset_);
        if (put.kind == net::IoResult::Kind::Closed) return Status::Closed;
        if (put.kind == net::IoResult::Kind::WouldBlock) return Status::Blocked;
        offset_ += put.count;
    }
    release();
    // A transport that buffers (TLS) may have taken the bytes and still hold some of its own.
    const net::IoResult rest = transport.drain();
    if (rest.kind == net::IoResult::Kind::Closed) return Status::Closed;
    return rest.kind == net::IoResult::Kind::WouldBlock ? Status::Blocked : Status::Sent;
}

void OutputBuffer::release() {
    std::string().swap(out_);
    offset_ = 0;
}

} // namespace openclaw::server
