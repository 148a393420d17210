// Plain TCP sockets for the gateway's listeners and the client's connection: resolving, listening,
// connecting within a deadline, and the text of an address. POSIX calls only: every process (the CLI
// first) would otherwise map POCO Net and pay its relocations at start for these few calls.
#pragma once

#include <netinet/in.h>
#include <string>
#include <sys/socket.h>

namespace openclaw::net {

/// One IPv4 or IPv6 socket address.
class SocketAddress {
  public:
    SocketAddress() = default;
    /// Copies what accept(2), getsockname(2) or getaddrinfo(3) gave.
    SocketAddress(const sockaddr* addr, socklen_t length);

    const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage_); }
    socklen_t length() const { return length_; }
    int family() const { return storage_.ss_family; }
    /// The address as text: "127.0.0.1", "::1", "::ffff:10.0.0.1", "fe80::1%eth0".
    std::string host() const;
    int port() const;
    /// "127.0.0.1:18789", "[::1]:18789".
    std::string text() const;
    /// 127.0.0.0/8, ::1, or an IPv4-mapped 127.0.0.0/8.
    bool isLoopback() const;

  private:
    sockaddr_storage storage_{};
    socklen_t length_ = 0;
};

/// How resolving a host failed.
enum class ResolveError {
    None,
    NotFound, ///< no such host (or no IPv4/IPv6 address for it)
    TryAgain  ///< the resolver could not answer now (EAI_AGAIN)
};

/// Resolves an address or a host name with a port; of several addresses the first IPv4 one, else the first.
ResolveError resolve(const std::string& host, int port, SocketAddress& out);

/// Whether this machine has the IPv6 loopback address (::1) configured.
bool hasIpv6Loopback();

/// Whether `text` is an IP address (v4 or v6) in the loopback range.
bool isLoopbackAddress(const std::string& text);

/// A non-blocking listening TCP socket bound to `addr` (SO_REUSEADDR; an IPv6 address listens on IPv6
/// only; TCP_NODELAY, which the sockets it accepts inherit), or -1 with errno set.
int listenTcp(const SocketAddress& addr, int backlog);

/// A connected, blocking TCP socket with TCP_NODELAY, or -1 with errno set (ETIMEDOUT when `timeoutMs`
/// passed first).
int connectTcp(const SocketAddress& addr, int timeoutMs);

/// Waits at most `timeoutUs` for `fd` to be readable, hung up or failed; false when the time passed.
bool waitReadable(int fd, long long timeoutUs);

} // namespace openclaw::net
