#include "BenchClient.h"

#include "json/Json.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

namespace openclaw::bench {

namespace {

/// JSON string escaping for the few values the benchmark sends (tokens are plain ASCII).
std::string quote(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

} // namespace

long raiseFileLimit(long atLeast) {
    rlimit rl{};
    if (::getrlimit(RLIMIT_NOFILE, &rl) != 0) return -1;
    const auto wanted = static_cast<rlim_t>(atLeast);
    if (wanted > rl.rlim_max) {
        const rlimit more{wanted, wanted}; // refused without CAP_SYS_RESOURCE: then the hard limit below
        if (::setrlimit(RLIMIT_NOFILE, &more) == 0) return atLeast;
    }
    if (rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &rl);
    }
    ::getrlimit(RLIMIT_NOFILE, &rl);
    return static_cast<long>(rl.rlim_cur);
}

BenchLoop::BenchLoop() : epfd_(::epoll_create1(EPOLL_CLOEXEC)) {}

BenchLoop::~BenchLoop() {
    ::close(epfd_);
}

void BenchLoop::watch(int fd, uint32_t events, BenchConn* conn, bool add) {
    epoll_event ev{};
    ev.events = events;
    ev.data.ptr = conn;
    ::epoll_ctl(epfd_, add ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &ev);
}

bool BenchLoop::runUntil(const std::function<bool()>& done, Clock::time_point deadline) {
    epoll_event events[512];
    while (!done()) {
        auto now = Clock::now();
        if (now >= deadline) return false;
        int timeout = static_cast<int>(std::min<long long>(
            50, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count() + 1));
        int n = ::epoll_wait(epfd_, events, 512, timeout);
        for (int i = 0; i < n; ++i)
            static_cast<BenchConn*>(events[i].data.ptr)->onIo(events[i].events);
    }
    return true;
}

BenchConn::BenchConn(BenchLoop& loop, const Target& target, size_t index)
    : loop_(loop), target_(target), index_(index) {}

BenchConn::~BenchConn() {
    if (fd_ >= 0) ::close(fd_);
}

bool BenchConn::start() {
    startedAt_ = Clock::now();
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd_ < 0) {
        error_ = std::string("socket: ") + std::strerror(errno);
        phase_ = Phase::Closed;
        return false;
    }
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (target_.sources > 1 && !bindSource()) return false;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(target_.port));
    ::inet_pton(AF_INET, target_.host.c_str(), &addr.sin_addr);
    int r = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    if (r != 0 && errno != EINPROGRESS) {
        error_ = std::string("connect: ") + std::strerror(errno);
        ::close(fd_);
        fd_ = -1;
        phase_ = Phase::Closed;
        return false;
    }
    std::string req = "GET / HTTP/1.1\r\nHost: " + target_.host + ":" + std::to_string(target_.port) +
                      "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                      "dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    out_ = req;
    loop_.watch(fd_, EPOLLIN | EPOLLOUT, this, true);
    wantWrite_ = true;
    return true;
}

bool BenchConn::bindSource() {
    // The port is chosen at connect for the whole 4-tuple (IP_BIND_ADDRESS_NO_PORT), not at bind for the
    // address alone: each source address then has its own range of ephemeral ports towards the gateway.
    int one = 1;
    ::setsockopt(fd_, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    sockaddr_in src{};
    src.sin_family = AF_INET;
    src.sin_addr.s_addr =
        htonl(INADDR_LOOPBACK + static_cast<uint32_t>(index_ % static_cast<size_t>(target_.sources)));
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&src), sizeof src) == 0) return true;
    error_ = std::string("bind to a loopback source address: ") + std::strerror(errno);
    ::close(fd_);
    fd_ = -1;
    phase_ = Phase::Closed;
    return false;
}

void BenchConn::fail(const std::string& why) {
    if (phase_ == Phase::Closed) return;
    if (error_.empty()) error_ = why;
    phase_ = Phase::Closed;
    if (fd_ >= 0) {
        ::epoll_ctl(loop_.epollFd(), EPOLL_CTL_DEL, fd_, nullptr);
        ::close(fd_);
        fd_ = -1;
    }
    if (onClosed) onClosed(*this);
}

void BenchConn::close() {
    if (phase_ == Phase::Closed) return;
    sendFrame(protocol::WsOpcode::Close, protocol::encodeClosePayload(1000, ""));
    error_ = "closed by us";
    fail(error_);
}

void BenchConn::sendFrame(protocol::WsOpcode op, const std::string& payload) {
    if (fd_ < 0) return;
    out_ += protocol::encodeWsFrame(op, payload, 0x5a3c9e17u);
    flush();
}

void BenchConn::sendRaw(const std::string& bytes) {
    if (fd_ < 0) return;
    out_ += bytes;
    flush();
}

void BenchConn::request(const std::string& id, const std::string& method, const std::string& paramsJson) {
    sendFrame(protocol::WsOpcode::Text, "{\"type\":\"req\",\"id\":" + quote(id) + ",\"method\":" +
                                            quote(method) + ",\"params\":" + paramsJson + "}");
}

void BenchConn::flush() {
    while (outOffset_ < out_.size()) {
        ssize_t n = ::send(fd_, out_.data() + outOffset_, out_.size() - outOffset_, MSG_NOSIGNAL);
        if (n > 0) {
            outOffset_ += static_cast<size_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOTCONN)) {
            if (!wantWrite_) {
                wantWrite_ = true;
                loop_.watch(fd_, EPOLLIN | EPOLLOUT, this, false);
            }
            return;
        }
        fail(std::string("send: ") + std::strerror(errno));
        return;
    }
    out_.clear();
    outOffset_ = 0;
    if (wantWrite_ && phase_ != Phase::Connecting) {
        wantWrite_ = false;
        loop_.watch(fd_, EPOLLIN, this, false);
    }
}

void BenchConn::onIo(uint32_t events) {
    if (phase_ == Phase::Closed) return;
    if (phase_ == Phase::Connecting && (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
        int err = 0;
        socklen_t len = sizeof err;
        ::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err) {
            fail(std::string("connect: ") + std::strerror(err));
            return;
        }
        phase_ = Phase::Upgrading;
    }
    if (events & EPOLLOUT) flush();
    if (phase_ == Phase::Closed || !(events & (EPOLLIN | EPOLLHUP | EPOLLERR))) return;
    char buf[65536];
    for (;;) {
        ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            fail(n == 0 ? "peer closed" : std::string("recv: ") + std::strerror(errno));
            return;
        }
        if (phase_ == Phase::Upgrading) {
            in_.append(buf, static_cast<size_t>(n));
            size_t end = in_.find("\r\n\r\n");
            if (end == std::string::npos) continue;
            if (in_.compare(0, 12, "HTTP/1.1 101") != 0) {
                fail("upgrade refused: " + in_.substr(0, in_.find("\r\n")));
                return;
            }
            decoder_.feed(in_.data() + end + 4, in_.size() - end - 4);
            in_.clear();
            phase_ = Phase::Handshaking;
            if (target_.rawWebSocket) {
                phase_ = Phase::Ready;
                if (onReady) onReady(*this);
                if (phase_ == Phase::Closed) return;
            }
        } else {
            decoder_.feed(buf, static_cast<size_t>(n));
        }
        while (auto f = decoder_.next()) {
            if (f->opcode == protocol::WsOpcode::Close) {
                closeCode_ = protocol::decodeCloseCode(f->payload);
                fail("server closed: " +
                     (f->payload.size() > 2 ? f->payload.substr(2) : std::string("no reason")));
                return;
            }
            if (f->opcode == protocol::WsOpcode::Ping) {
                sendFrame(protocol::WsOpcode::Pong, f->payload);
                continue;
            }
            if (f->opcode != protocol::WsOpcode::Text) continue;
            handleText(f->payload);
            if (phase_ == Phase::Closed) return;
        }
        if (!decoder_.error().empty()) {
            fail("bad frame: " + decoder_.error());
            return;
        }
        if (static_cast<size_t>(n) < sizeof buf) break;
    }
}

void BenchConn::handleText(const std::string& text) {
    if (phase_ == Phase::Ready) {
        if (onText) onText(*this, text);
        return;
    }
    if (text.find("\"event\":\"connect.challenge\"") != std::string::npos && connectParams) {
        const json::ObjectPtr payload = json::getObject(json::asObject(json::parse(text)), "payload");
        sendFrame(protocol::WsOpcode::Text, R"({"type":"req","id":"c","method":"connect","params":)" +
                                                connectParams(json::getString(payload, "nonce").value_or(""),
                                                              json::getInt(payload, "ts").value_or(0)) +
                                                "}");
        return;
    }
    if (text.find("\"event\":\"connect.challenge\"") != std::string::npos) {
        std::string auth;
        if (!target_.token.empty()) auth = ",\"auth\":{\"token\":" + quote(target_.token) + "}";
        if (!target_.password.empty()) auth = ",\"auth\":{\"password\":" + quote(target_.password) + "}";
        sendFrame(
            protocol::WsOpcode::Text,
            "{\"type\":\"req\",\"id\":\"c\",\"method\":\"connect\",\"params\":{\"minProtocol\":4,"
            "\"maxProtocol\":4,\"client\":{\"id\":\"cli\",\"version\":\"2026.9.6\",\"platform\":\"linux\","
            "\"mode\":\"cli\",\"instanceId\":\"bench-" +
                std::to_string(index_) + "\"},\"caps\":[]" + auth +
                ",\"role\":\"operator\",\"scopes\":" + target_.scopes + "}}");
        return;
    }
    if (text.find("\"type\":\"res\"") == std::string::npos) return; // events before hello-ok
    if (text.find("\"ok\":true") == std::string::npos) {
        fail("connect refused: " + text.substr(0, 300));
        return;
    }
    phase_ = Phase::Ready;
    if (onReady) onReady(*this);
}

} // namespace openclaw::bench
