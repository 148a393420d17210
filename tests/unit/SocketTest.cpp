// net/Socket: the plain sockets under the gateway's listeners and the client, on real loopback sockets.
#include "net/Socket.h"
#include "protocol/HttpStatus.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <netinet/tcp.h>
#include <string>
#include <unistd.h>

namespace openclaw::net {
namespace {

/// The port a listening socket was given by the kernel (bound to port 0).
int portOf(int fd) {
    sockaddr_storage a{};
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    return SocketAddress(reinterpret_cast<sockaddr*>(&a), len).port();
}

TEST(Socket, ResolvesAddressesAndWritesThemAsText) {
    SocketAddress a;
    ASSERT_EQ(resolve("127.0.0.1", 18999, a), ResolveError::None);
    EXPECT_EQ(a.family(), AF_INET);
    EXPECT_EQ(a.host(), "127.0.0.1");
    EXPECT_EQ(a.port(), 18999);
    EXPECT_EQ(a.text(), "127.0.0.1:18999");
    EXPECT_TRUE(a.isLoopback());

    ASSERT_EQ(resolve("::1", 80, a), ResolveError::None);
    EXPECT_EQ(a.text(), "[::1]:80");
    EXPECT_TRUE(a.isLoopback());

    ASSERT_EQ(resolve("::ffff:127.0.0.2", 1, a), ResolveError::None);
    EXPECT_EQ(a.host(), "::ffff:127.0.0.2");
    EXPECT_TRUE(a.isLoopback());

    ASSERT_EQ(resolve("10.1.2.3", 1, a), ResolveError::None);
    EXPECT_FALSE(a.isLoopback());
    // "localhost" has both families in /etc/hosts on most machines: the IPv4 one is taken, as POCO did.
    ASSERT_EQ(resolve("localhost", 5, a), ResolveError::None);
    EXPECT_EQ(a.text(), "127.0.0.1:5");
}

TEST(Socket, TellsLoopbackAddressesFromOthers) {
    EXPECT_TRUE(isLoopbackAddress("127.0.0.1"));
    EXPECT_TRUE(isLoopbackAddress("127.255.0.9"));
    EXPECT_TRUE(isLoopbackAddress("::1"));
    EXPECT_TRUE(isLoopbackAddress("::ffff:127.0.0.1"));
    EXPECT_FALSE(isLoopbackAddress("0.0.0.0"));
    EXPECT_FALSE(isLoopbackAddress("100.64.0.1"));
    EXPECT_FALSE(isLoopbackAddress("::"));
    EXPECT_FALSE(isLoopbackAddress("localhost")); // text of an address only: no resolving here
    EXPECT_FALSE(isLoopbackAddress(""));
}

TEST(Socket, ListensConnectsAndRefusesASecondListenerOnTheSamePort) {
    SocketAddress any;
    ASSERT_EQ(resolve("127.0.0.1", 0, any), ResolveError::None);
    const int listener = listenTcp(any, 16);
    ASSERT_GE(listener, 0) << std::strerror(errno);
    const int port = portOf(listener);
    SocketAddress at;
    ASSERT_EQ(resolve("127.0.0.1", port, at), ResolveError::None);

    EXPECT_EQ(listenTcp(at, 16), -1);
    EXPECT_EQ(errno, EADDRINUSE);

    const int client = connectTcp(at, 2000);
    ASSERT_GE(client, 0) << std::strerror(errno);
    EXPECT_FALSE(waitReadable(client, 20000)); // nothing sent yet: the wait runs out
    ASSERT_EQ(::send(client, "x", 1, MSG_NOSIGNAL), 1);
    ASSERT_TRUE(waitReadable(listener, 2000000)); // the connection waits in the backlog
    const int served = ::accept(listener, nullptr, nullptr);
    ASSERT_GE(served, 0);
    int nodelay = 0;
    socklen_t len = sizeof nodelay;
    ASSERT_EQ(::getsockopt(served, IPPROTO_TCP, TCP_NODELAY, &nodelay, &len), 0);
    EXPECT_NE(nodelay, 0) << "the acceptor counts on accepted sockets inheriting TCP_NODELAY";
    ASSERT_EQ(::send(served, "y", 1, MSG_NOSIGNAL), 1);
    EXPECT_TRUE(waitReadable(client, 2000000));
    ::close(served);
    ::close(client);
    ::close(listener);

    EXPECT_EQ(connectTcp(at, 2000), -1); // nobody listens any more
    EXPECT_EQ(errno, ECONNREFUSED);
}

TEST(Socket, AnIpv6ListenerDoesNotShareItsPortWithASecond) {
    if (!hasIpv6Loopback()) GTEST_SKIP() << "no ::1 on this machine";
    SocketAddress any;
    ASSERT_EQ(resolve("::1", 0, any), ResolveError::None);
    const int first = listenTcp(any, 16);
    ASSERT_GE(first, 0) << std::strerror(errno);
    SocketAddress at;
    ASSERT_EQ(resolve("::1", portOf(first), at), ResolveError::None);
    // POCO's bind set SO_REUSEPORT on IPv6 listeners, so a second gateway could take the same port.
    EXPECT_EQ(listenTcp(at, 16), -1);
    EXPECT_EQ(errno, EADDRINUSE);
    ::close(first);
}

TEST(HttpStatus, ReasonPhrasesAreNodes) {
    EXPECT_STREQ(protocol::httpReason(200), "OK");
    EXPECT_STREQ(protocol::httpReason(101), "Switching Protocols");
    EXPECT_STREQ(protocol::httpReason(404), "Not Found");
    EXPECT_STREQ(protocol::httpReason(413), "Payload Too Large");
    EXPECT_STREQ(protocol::httpReason(429), "Too Many Requests");
    EXPECT_STREQ(protocol::httpReason(503), "Service Unavailable");
    EXPECT_STREQ(protocol::httpReason(299), "Unknown");
    EXPECT_STREQ(protocol::httpReason(-1), "Unknown");
}

} // namespace
} // namespace openclaw::net
