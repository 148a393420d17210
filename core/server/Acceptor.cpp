#include "server/Acceptor.h"

#include "log/Logger.h"
#include "net/PortOwners.h"

#include <Poco/Net/NetException.h>

#include <cerrno>
#include <future>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace openclaw::server {

namespace {

/// "; held by pid 4851 (openclaw gateway run --port 19561): stop it, …" for an address in use.
std::string portHeldBy(int port) {
    std::string who;
    for (const net::PortOwner& o : net::findPortOwners(port)) {
        if (o.pid == ::getpid()) continue;
        who += (who.empty() ? "" : ", ") + std::string("pid ") + std::to_string(o.pid) + " (" +
               (o.commandLine.empty() ? o.command : o.commandLine) + ")";
    }
    return (who.empty() ? std::string("; another process holds the port") : "; held by " + who) +
           ": stop it, pass --force to stop it for you, or pick another --port";
}

} // namespace

/// A listening socket on the accept loop: accepts everything pending and hands it over.
class Listener : public net::IoHandler {
  public:
    Listener(const Acceptor::Adopt& adopt, Poco::Net::ServerSocket socket, net::EventLoop& loop)
        : adopt_(adopt), socket_(socket), loop_(loop), local_(socket_.address().toString()) {}

    int fd() const { return static_cast<int>(socket_.impl()->sockfd()); }

    void onIo(uint32_t) override {
        for (int i = 0; i < 256; ++i) {
            sockaddr_storage addr{};
            socklen_t len = sizeof addr;
            int fd =
                ::accept4(this->fd(), reinterpret_cast<sockaddr*>(&addr), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) {
                if (errno == EINTR || errno == ECONNABORTED) continue;
                if (errno == EMFILE || errno == ENFILE)
                    log::Logger::get().warn("gateway",
                                            "out of file descriptors; connections wait in the backlog");
                return;
            }
            adopt_(peerOf(fd, addr, len));
        }
    }

    void close() {
        loop_.remove(fd());
        socket_.close();
    }

  private:
    Peer peerOf(int fd, const sockaddr_storage& addr, socklen_t len) const {
        int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        Poco::Net::SocketAddress peer(reinterpret_cast<const sockaddr*>(&addr), len);
        Peer p;
        p.transport = std::make_unique<net::SocketTransport>(fd);
        p.remote = peer.host().toString();
        p.loopback =
            peer.host().isLoopback() || (peer.host().family() == Poco::Net::IPAddress::IPv6 &&
                                         peer.host().isIPv4Mapped() && p.remote.find("::ffff:127.") == 0);
        p.local = local_;
        p.remotePort = peer.port();
        return p;
    }

    const Acceptor::Adopt& adopt_;
    Poco::Net::ServerSocket socket_;
    net::EventLoop& loop_;
    std::string local_;
};

Acceptor::Acceptor(int port, Adopt adopt) : port_(port), adopt_(std::move(adopt)) {}

Acceptor::~Acceptor() = default;

Poco::Net::ServerSocket Acceptor::listenOn(const std::string& host) {
    Poco::Net::SocketAddress addr(host, static_cast<Poco::UInt16>(port_));
    Poco::Net::ServerSocket socket;
    try {
        socket.bind(addr, true, host.find(':') != std::string::npos);
        socket.listen(1024);
        socket.setBlocking(false);
    } catch (const Poco::Exception& e) {
        throw std::runtime_error("cannot listen on " + addr.toString() + ": " + e.message() +
                                 (e.message().find("in use") != std::string::npos ? portHeldBy(port_) : ""));
    }
    std::lock_guard<std::mutex> lock(listeningMu_);
    listening_.push_back(addr.toString());
    return socket;
}

void Acceptor::serve(net::EventLoop& loop, const std::vector<Poco::Net::ServerSocket>& sockets) {
    loop_ = &loop;
    for (const auto& socket : sockets)
        listeners_.push_back(std::make_unique<Listener>(adopt_, socket, loop));
    std::promise<void> registered;
    loop.post([this, &loop, &registered] {
        for (auto& l : listeners_)
            loop.add(l->fd(), EPOLLIN, l.get());
        registered.set_value();
    });
    registered.get_future().wait();
}

void Acceptor::add(const std::string& host) {
    if (!loop_) throw std::runtime_error("the gateway is not running");
    Poco::Net::ServerSocket socket = listenOn(host);
    net::EventLoop& loop = *loop_;
    // listeners_ is the accept loop's: the new one joins it there.
    std::promise<void> added;
    if (!loop.post([this, socket, &loop, &added] {
            listeners_.push_back(std::make_unique<Listener>(adopt_, socket, loop));
            loop.add(listeners_.back()->fd(), EPOLLIN, listeners_.back().get());
            added.set_value();
        }))
        throw std::runtime_error("the gateway is stopping");
    added.get_future().wait();
}

void Acceptor::close() {
    if (!loop_) return;
    std::promise<void> closed;
    if (loop_->post([this, &closed] {
            for (auto& l : listeners_)
                l->close();
            closed.set_value();
        }))
        closed.get_future().wait_for(std::chrono::seconds(5));
}

void Acceptor::clear() {
    listeners_.clear();
    loop_ = nullptr;
}

std::vector<std::string> Acceptor::listening() const {
    std::lock_guard<std::mutex> lock(listeningMu_);
    return listening_;
}

} // namespace openclaw::server
