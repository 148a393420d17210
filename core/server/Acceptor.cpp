#include "server/Acceptor.h"

#include "log/Logger.h"
#include "net/PortOwners.h"

#include "net/Socket.h"

#include <cerrno>
#include <cstring>
#include <future>
#include <netinet/in.h>
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
    Listener(const Acceptor::Adopt& adopt, int fd, std::string local)
        : adopt_(adopt), fd_(fd), local_(std::move(local)) {}
    ~Listener() override {
        if (fd_ >= 0) ::close(fd_);
    }
    Listener(const Listener&) = delete;
    Listener& operator=(const Listener&) = delete;

    int fd() const { return fd_; }

    void onIo(uint32_t) override {
        for (int i = 0; i < 256; ++i) {
            sockaddr_storage addr{};
            socklen_t len = sizeof addr;
            int fd = ::accept4(fd_, reinterpret_cast<sockaddr*>(&addr), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) {
                if (errno == EINTR || errno == ECONNABORTED) continue;
                if (errno == EMFILE || errno == ENFILE)
                    log::Logger::get().warn("gateway",
                                            "out of file descriptors; connections wait in the backlog");
                return;
            }
            adopt_(peerOf(fd, net::SocketAddress(reinterpret_cast<const sockaddr*>(&addr), len)));
        }
    }

    /// Stops watching and closes the socket (on the loop's thread).
    void close(net::EventLoop& loop) {
        if (fd_ < 0) return;
        loop.remove(fd_);
        ::close(fd_);
        fd_ = -1;
    }

  private:
    Peer peerOf(int fd, const net::SocketAddress& peer) const {
        Peer p; // TCP_NODELAY is on already: inherited from the listener (net::listenTcp)
        p.transport = std::make_unique<net::SocketTransport>(fd);
        p.remote = peer.host();
        p.loopback = peer.isLoopback();
        p.local = local_;
        p.remotePort = peer.port();
        return p;
    }

    const Acceptor::Adopt& adopt_;
    int fd_;
    std::string local_;
};

Acceptor::Acceptor(int port, Adopt adopt) : port_(port), adopt_(std::move(adopt)) {}

Acceptor::~Acceptor() = default;

std::unique_ptr<Listener> Acceptor::bind(const std::string& host) {
    net::SocketAddress addr;
    const std::string named =
        (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port_);
    if (net::resolve(host, port_, addr) != net::ResolveError::None)
        throw std::runtime_error("cannot listen on " + named + ": no such address (check the bind host)");
    const int fd = net::listenTcp(addr, 1024);
    if (fd < 0) {
        const int err = errno;
        throw std::runtime_error("cannot listen on " + addr.text() + ": " + std::strerror(err) +
                                 (err == EADDRINUSE ? portHeldBy(port_) : ""));
    }
    {
        std::lock_guard<std::mutex> lock(listeningMu_);
        listening_.push_back(addr.text());
    }
    return std::make_unique<Listener>(adopt_, fd, addr.text());
}

void Acceptor::listenOn(const std::string& host) {
    listeners_.push_back(bind(host));
}

void Acceptor::serve(net::EventLoop& loop) {
    loop_ = &loop;
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
    std::unique_ptr<Listener> listener = bind(host);
    net::EventLoop& loop = *loop_;
    // listeners_ is the accept loop's: the new one joins it there (this call waits, so the task may borrow
    // `listener`; when it cannot be posted, the socket closes with it here).
    std::promise<void> added;
    if (!loop.post([this, &listener, &loop, &added] {
            loop.add(listener->fd(), EPOLLIN, listener.get());
            listeners_.push_back(std::move(listener));
            added.set_value();
        }))
        throw std::runtime_error("the gateway is stopping");
    added.get_future().wait();
}

void Acceptor::close() {
    if (!loop_) return;
    // Shared with the task: after a wait that ran out, the task may still run (at the latest when the loop
    // stops) and must not find the promise gone with this frame.
    auto closed = std::make_shared<std::promise<void>>();
    std::future<void> done = closed->get_future();
    if (loop_->post([this, closed] {
            for (auto& l : listeners_)
                l->close(*loop_);
            closed->set_value();
        }))
        done.wait_for(std::chrono::seconds(5));
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
