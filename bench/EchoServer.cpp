#include "EchoServer.h"

#include "BenchClient.h"

#include "net/EventLoop.h"
#include "net/Transport.h"
#include "protocol/HttpHead.h"
#include "protocol/WsCodec.h"
#include "server/GatewayServer.h"
#include "server/OutputBuffer.h"

#include <arpa/inet.h>
#include <csignal>
#include <cstring>
#include <iostream>
#include <memory>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <unordered_map>
#include <vector>

namespace openclaw::bench {

namespace {

class EchoConn;
using Conns = std::unordered_map<EchoConn*, std::unique_ptr<EchoConn>>;

/// One loop thread and the peers it owns (touched only on that thread).
struct Shard {
    explicit Shard(const std::string& name) : loop(name) {}
    net::EventLoop loop;
    Conns conns;
};
using Shards = std::vector<std::unique_ptr<Shard>>;

/// Sends `text` to every peer of every shard, each shard on its own thread (as the gateway's broadcaster
/// does).
void broadcast(Shards& shards, const std::shared_ptr<const std::string>& text);

/// One peer: the HTTP upgrade, then frames echoed; all on the loop thread. A binary frame is not echoed: its
/// payload goes to every peer as a text frame (the anchor for one event to many sessions).
class EchoConn : public net::IoHandler {
  public:
    EchoConn(Shards& shards, Shard& shard, int fd)
        : shards_(shards), loop_(shard.loop), conns_(shard.conns), transport_(fd) {}

    void start() { transport_.watch(loop_, EPOLLIN | EPOLLRDHUP, this); }

    void sendText(const std::string& text) {
        if (done_ || !upgraded_) return;
        afterWrite(out_.writeFrame(transport_, protocol::WsOpcode::Text, text));
        if (done_) finish();
    }

    void onIo(uint32_t events) override {
        if (done_) return;
        if (events & EPOLLOUT) afterWrite(out_.flush(transport_));
        if (done_ || !(events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))) return;
        out_.beginBatch(); // this wake-up's echoes leave in one send, as the gateway's answers do
        readAll();
        out_.endBatch();
        if (done_)
            out_.release();
        else
            afterWrite(out_.flush(transport_));
        if (done_) finish();
    }

  private:
    void readAll() {
        char buf[65536];
        for (;;) {
            const net::IoResult got = transport_.read(buf, sizeof buf);
            if (got.kind == net::IoResult::Kind::WouldBlock) return;
            if (got.kind != net::IoResult::Kind::Bytes || got.count == 0) {
                done_ = true;
                return;
            }
            upgraded_ ? echo(buf, got.count) : upgrade(buf, got.count);
            if (done_ || got.count < sizeof buf) return;
        }
    }

    void upgrade(const char* data, size_t len) {
        head_.append(data, len);
        const size_t end = head_.find("\r\n\r\n");
        if (end == std::string::npos) return;
        const protocol::HttpHead req = protocol::parseHttpHead(head_.substr(0, end + 4));
        if (!req.ok || !req.upgradeWebSocket || req.wsKey.empty()) {
            done_ = true;
            return;
        }
        const std::string reply = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: "
                                  "Upgrade\r\nSec-WebSocket-Accept: " +
                                  protocol::wsAcceptKey(req.wsKey) + "\r\n\r\n";
        out_.write(transport_, reply.data(), reply.size());
        upgraded_ = true;
        const std::string rest = head_.substr(end + 4);
        std::string().swap(head_);
        if (!rest.empty()) echo(rest.data(), rest.size());
    }

    void echo(const char* data, size_t len) {
        decoder_.feed(data, len);
        while (auto frame = decoder_.next()) {
            if (frame->opcode == protocol::WsOpcode::Close) {
                done_ = true;
                return;
            }
            if (frame->opcode == protocol::WsOpcode::Text)
                out_.writeFrame(transport_, frame->opcode, frame->payload);
            if (frame->opcode == protocol::WsOpcode::Binary)
                broadcast(shards_, std::make_shared<const std::string>(std::move(frame->payload)));
        }
        if (!decoder_.error().empty()) done_ = true;
    }

    void afterWrite(server::OutputBuffer::Status status) {
        if (status == server::OutputBuffer::Status::Closed) done_ = true;
        const bool blocked = status == server::OutputBuffer::Status::Blocked;
        if (!done_ && blocked != watchingWrite_) {
            watchingWrite_ = blocked;
            const uint32_t events = EPOLLIN | EPOLLRDHUP;
            transport_.watch(loop_, blocked ? events | EPOLLOUT : events, this);
        }
    }

    void finish() {
        if (finished_) return;
        finished_ = true;
        transport_.close(loop_);
        EchoConn* key = this;
        Conns* conns = &conns_;
        loop_.post([conns, key] { conns->erase(key); }); // not under our own feet
    }

    Shards& shards_;
    net::EventLoop& loop_;
    Conns& conns_;
    net::SocketTransport transport_;
    std::string head_;
    bool upgraded_ = false;
    bool done_ = false;
    bool finished_ = false;
    bool watchingWrite_ = false;
    protocol::WsDecoder decoder_{1u << 20};
    server::OutputBuffer out_;
};

void broadcast(Shards& shards, const std::shared_ptr<const std::string>& text) {
    for (auto& shard : shards) {
        Shard* sh = shard.get();
        sh->loop.post([sh, text] {
            for (auto& kv : sh->conns)
                kv.second->sendText(*text);
        });
    }
}

/// The listening socket, on the first loop: accepts, and hands the peers to the loops in turn.
class EchoListener : public net::IoHandler {
  public:
    EchoListener(Shards& shards, int fd) : shards_(shards), fd_(fd) {}

    void onIo(uint32_t) override {
        for (;;) {
            const int fd = ::accept4(fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) return;
            int one = 1;
            ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            Shard* shard = shards_[next_++ % shards_.size()].get();
            Shards* shards = &shards_;
            auto adopt = [shards, shard, fd] {
                auto conn = std::make_unique<EchoConn>(*shards, *shard, fd);
                EchoConn* raw = conn.get();
                shard->conns.emplace(raw, std::move(conn));
                raw->start();
            };
            if (shard == shards_.front().get())
                adopt();
            else
                shard->loop.post(adopt);
        }
    }

  private:
    Shards& shards_;
    int fd_;
    size_t next_ = 0;
};

int listenOn(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 1024) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

int boundPort(int fd) {
    sockaddr_in addr{};
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    return ntohs(addr.sin_port);
}

} // namespace

int echoServer(int port, int loops) {
    raiseFileLimit(); // the many-sessions anchor holds thousands of peers
    const int fd = listenOn(port);
    if (fd < 0) {
        std::cerr << "openclaw-bench echo-server: cannot listen on 127.0.0.1:" << port << ": "
                  << std::strerror(errno) << "\n";
        return 1;
    }
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, nullptr); // the loop thread inherits the mask; sigwait below takes them
    Shards shards;
    if (loops <= 0) loops = static_cast<int>(server::shardCount());
    for (int i = 0; i < loops; ++i)
        shards.push_back(std::make_unique<Shard>("echo-" + std::to_string(i)));
    net::EventLoop& first = shards.front()->loop;
    EchoListener listener(shards, fd);
    for (auto& shard : shards)
        shard->loop.start();
    first.post([&] { first.add(fd, EPOLLIN, &listener); });
    std::cout << "{\"scenario\":\"echo-server\",\"port\":" << boundPort(fd) << "}" << std::endl;
    int sig = 0;
    sigwait(&stop, &sig);
    first.post([&] { first.remove(fd); });
    for (auto& shard : shards) {
        Shard* sh = shard.get();
        sh->loop.post([sh] { sh->conns.clear(); });
        sh->loop.stop();
    }
    ::close(fd);
    return 0;
}

} // namespace openclaw::bench
