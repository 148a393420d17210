#include "net/Socket.h"

#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <net/if.h>
#include <netdb.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <unistd.h>

namespace openclaw::net {

namespace {

const sockaddr_in& v4(const sockaddr* a) {
    return *reinterpret_cast<const sockaddr_in*>(a);
}

const sockaddr_in6& v6(const sockaddr* a) {
    return *reinterpret_cast<const sockaddr_in6*>(a);
}

bool isLoopbackV4(const in_addr& a) {
    return (ntohl(a.s_addr) >> 24) == 127;
}

bool isLoopbackV6(const in6_addr& a) {
    if (IN6_IS_ADDR_LOOPBACK(&a)) return true;
    return IN6_IS_ADDR_V4MAPPED(&a) && a.s6_addr[12] == 127;
}

bool setBlocking(int fd, bool blocking) {
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0) return false;
    return ::fcntl(fd, F_SETFL, blocking ? (flags & ~O_NONBLOCK) : (flags | O_NONBLOCK)) == 0;
}

/// Closes `fd` and returns -1 with the errno of the failure that led here.
int failWith(int fd, int error) {
    ::close(fd);
    errno = error;
    return -1;
}

/// Waits for a non-blocking connect to finish; 0 or the error it ended with.
int finishConnect(int fd, int timeoutMs) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (true) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return ETIMEDOUT;
        pollfd p{fd, POLLOUT, 0};
        const int n = ::poll(&p, 1, static_cast<int>(left.count()));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return errno;
        if (n == 0) return ETIMEDOUT;
        int err = 0;
        socklen_t len = sizeof err;
        if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) return errno;
        return err;
    }
}

} // namespace

SocketAddress::SocketAddress(const sockaddr* addr, socklen_t length)
    : length_(std::min<socklen_t>(length, sizeof storage_)) {
    std::memcpy(&storage_, addr, length_);
}

std::string SocketAddress::host() const {
    char text[INET6_ADDRSTRLEN] = "";
    if (family() == AF_INET) {
        ::inet_ntop(AF_INET, &v4(get()).sin_addr, text, sizeof text);
        return text;
    }
    if (family() != AF_INET6) return "";
    ::inet_ntop(AF_INET6, &v6(get()).sin6_addr, text, sizeof text);
    std::string out = text;
    if (const uint32_t scope = v6(get()).sin6_scope_id; scope != 0) {
        char name[IF_NAMESIZE] = "";
        out += "%" + std::string(::if_indextoname(scope, name) ? name : std::to_string(scope).c_str());
    }
    return out;
}

int SocketAddress::port() const {
    if (family() == AF_INET) return ntohs(v4(get()).sin_port);
    if (family() == AF_INET6) return ntohs(v6(get()).sin6_port);
    return 0;
}

std::string SocketAddress::text() const {
    const std::string h = host();
    return (family() == AF_INET6 ? "[" + h + "]" : h) + ":" + std::to_string(port());
}

bool SocketAddress::isLoopback() const {
    if (family() == AF_INET) return isLoopbackV4(v4(get()).sin_addr);
    return family() == AF_INET6 && isLoopbackV6(v6(get()).sin6_addr);
}

ResolveError resolve(const std::string& host, int port, SocketAddress& out) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    addrinfo* list = nullptr;
    const int rc = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &list);
    if (rc != 0) return rc == EAI_AGAIN ? ResolveError::TryAgain : ResolveError::NotFound;
    const addrinfo* chosen = nullptr;
    for (const addrinfo* a = list; a; a = a->ai_next) {
        if (a->ai_family != AF_INET && a->ai_family != AF_INET6) continue;
        if (!chosen || (a->ai_family == AF_INET && chosen->ai_family != AF_INET)) chosen = a;
    }
    if (chosen) out = SocketAddress(chosen->ai_addr, chosen->ai_addrlen);
    ::freeaddrinfo(list);
    return chosen ? ResolveError::None : ResolveError::NotFound;
}

bool hasIpv6Loopback() {
    std::ifstream in("/proc/net/if_inet6");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("00000000000000000000000000000001", 0) == 0) return true;
    return false;
}

bool isLoopbackAddress(const std::string& text) {
    in_addr a4{};
    if (::inet_pton(AF_INET, text.c_str(), &a4) == 1) return isLoopbackV4(a4);
    in6_addr a6{};
    return ::inet_pton(AF_INET6, text.c_str(), &a6) == 1 && isLoopbackV6(a6);
}

int listenTcp(const SocketAddress& addr, int backlog) {
    const int fd = ::socket(addr.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    const int one = 1;
    // SO_REUSEADDR only: a restart may bind over connections still in TIME_WAIT. Never SO_REUSEPORT,
    // which would let a second gateway of the same user share the port instead of being told it is taken.
    if (::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0) return failWith(fd, errno);
    if (addr.family() == AF_INET6 && ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one) != 0)
        return failWith(fd, errno);
    // Accepted sockets inherit TCP_NODELAY from the listener on Linux: one system call less per connect.
    if (::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0) return failWith(fd, errno);
    if (::bind(fd, addr.get(), addr.length()) != 0 || ::listen(fd, backlog) != 0) return failWith(fd, errno);
    return fd;
}

int connectTcp(const SocketAddress& addr, int timeoutMs) {
    const int fd = ::socket(addr.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    if (::connect(fd, addr.get(), addr.length()) != 0) {
        if (errno != EINPROGRESS) return failWith(fd, errno);
        if (const int err = finishConnect(fd, timeoutMs); err != 0) return failWith(fd, err);
    }
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (!setBlocking(fd, true)) return failWith(fd, errno);
    return fd;
}

bool waitReadable(int fd, long long timeoutUs) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::microseconds(timeoutUs);
    while (true) {
        const auto left = std::chrono::duration_cast<std::chrono::microseconds>(
            deadline - std::chrono::steady_clock::now());
        pollfd p{fd, POLLIN, 0};
        // Rounded up: a wait of 300 µs must not become a poll of 0 ms that returns at once.
        const int n = ::poll(&p, 1, left.count() <= 0 ? 0 : static_cast<int>((left.count() + 999) / 1000));
        if (n < 0 && errno == EINTR) continue;
        return n > 0;
    }
}

} // namespace openclaw::net
