#include "server/TlsTransport.h"

#include "log/Logger.h"
#include "protocol/ByteBuffers.h"

#include <algorithm>

namespace openclaw::server {

using net::IoResult;

namespace {
/// An emptied buffer keeps this much capacity for the next read or write (small answers then allocate
/// nothing); beyond it, it is given back: an idle session should not hold the memory of one large frame.
constexpr size_t kKeptCapacity = 4096;

void clearKeeping(std::string& s) {
    protocol::clearKeeping(s, kKeptCapacity);
}
} // namespace

TlsTransport::TlsTransport(std::unique_ptr<net::Transport> inner, std::unique_ptr<tls::ServerSession> session,
                           std::string label)
    : inner_(std::move(inner)), session_(std::move(session)), label_(std::move(label)) {}

IoResult TlsTransport::failed() {
    if (!broken_) log::Logger::get().debug("ws", label_ + ": " + session_->error());
    broken_ = true;
    return {IoResult::Kind::Closed, 0};
}

IoResult TlsTransport::fill(size_t want) {
    char buf[16384];
    while (plain_.size() - plainAt_ < want) {
        const IoResult got = inner_->read(buf, sizeof buf);
        if (got.kind != IoResult::Kind::Bytes) return got;
        if (plainAt_ == plain_.size()) {
            plain_.clear();
            plainAt_ = 0;
        }
        // Handshake records and alerts go to wire_, sent as they are.
        if (!session_->receive(buf, got.count, plain_, wire_)) return failed();
        if (got.count < sizeof buf) break; // the socket has no more now
    }
    return {IoResult::Kind::Bytes, 0};
}

IoResult TlsTransport::read(char* buf, size_t len) {
    if (broken_) return {IoResult::Kind::Closed, 0};
    const IoResult got = fill(len);
    const size_t have = plain_.size() - plainAt_;
    if (have > 0) {
        const size_t n = std::min(len, have);
        plain_.copy(buf, n, plainAt_);
        plainAt_ += n;
        if (plainAt_ == plain_.size()) {
            clearKeeping(plain_);
            plainAt_ = 0;
        }
        return {IoResult::Kind::Bytes, n};
    }
    // Nothing decrypted: a handshake record only (say so as WouldBlock), or the socket's own answer.
    return got.kind == IoResult::Kind::Bytes ? IoResult{IoResult::Kind::WouldBlock, 0} : got;
}

IoResult TlsTransport::write(const char* data, size_t len) {
    if (broken_) return {IoResult::Kind::Closed, 0};
    // Records already waiting go first; until they are out, take nothing (the caller queues it).
    const IoResult held = drain();
    if (held.kind != IoResult::Kind::Bytes) return held;
    if (!session_->send(data, len, wire_)) return failed(); // appended in place: no string per write
    const IoResult sent = drain();
    if (sent.kind == IoResult::Kind::Closed) return sent;
    return {IoResult::Kind::Bytes, len}; // encrypted: what the socket did not take waits in wire_
}

IoResult TlsTransport::drain() {
    while (wireAt_ < wire_.size()) {
        const IoResult put = inner_->write(wire_.data() + wireAt_, wire_.size() - wireAt_);
        if (put.kind != IoResult::Kind::Bytes) return put;
        wireAt_ += put.count;
    }
    clearKeeping(wire_);
    wireAt_ = 0;
    return {IoResult::Kind::Bytes, 0};
}

} // namespace openclaw::server
