#include "net/Transport.h"

#include <cerrno>
#include <sys/socket.h>
#include <unistd.h>

namespace openclaw::net {

namespace {

/// The outcome of a recv/send that returned n (errno set when n < 0).
IoResult resultOf(ssize_t n) {
    if (n > 0) return {IoResult::Kind::Bytes, static_cast<size_t>(n)};
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return {IoResult::Kind::WouldBlock, 0};
    return {IoResult::Kind::Closed, 0};
}

} // namespace

SocketTransport::~SocketTransport() {
    if (fd_ >= 0) ::close(fd_);
}

IoResult SocketTransport::read(char* buf, size_t len) {
    ssize_t n;
    do {
        n = ::recv(fd_, buf, len, 0);
    } while (n < 0 && errno == EINTR);
    return resultOf(n);
}

IoResult SocketTransport::write(const char* data, size_t len) {
    if (len == 0) return {IoResult::Kind::Bytes, 0};
    ssize_t n;
    do {
        n = ::send(fd_, data, len, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    return resultOf(n);
}

void SocketTransport::shutdownWrite() {
    if (fd_ >= 0) ::shutdown(fd_, SHUT_WR);
}

void SocketTransport::watch(EventLoop& loop, uint32_t events, IoHandler* handler) {
    if (fd_ < 0) return;
    if (watched_) {
        loop.modify(fd_, events, handler);
        return;
    }
    loop.add(fd_, events, handler);
    watched_ = true;
}

void SocketTransport::close(EventLoop& loop) {
    if (fd_ < 0) return;
    if (watched_) loop.remove(fd_);
    ::close(fd_);
    fd_ = -1;
    watched_ = false;
}

} // namespace openclaw::net
