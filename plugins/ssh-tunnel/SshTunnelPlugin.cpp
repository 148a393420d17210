// ssh-tunnel: local forwards to remote gateways with OpenSSH (`gateway probe --ssh`, and health/status/call
// with gateway.remote.transport "ssh"). `ssh -G` expands the user's SSH config; then `ssh -N -L` with the
// reference's options runs as a long-lived child of the host's child-process service (its own process group,
// SIGTERM then SIGKILL when closed); the tunnel is ready when its local port accepts.
#define OPENCLAW_PLUGIN_ABI_MINOR 1u
#include "openclaw/plugin.hpp"

#include "SshTarget.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

namespace {

using namespace openclaw;
using namespace openclaw::sshtunnel;
using Clock = std::chrono::steady_clock;

Poco::JSON::Object::Ptr parseObject(const std::string& text) {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var v = parser.parse(text.empty() ? "{}" : text);
    return v.type() == typeid(Poco::JSON::Object::Ptr) ? v.extract<Poco::JSON::Object::Ptr>()
                                                       : Poco::JSON::Object::Ptr(new Poco::JSON::Object);
}

/// A TCP socket on 127.0.0.1:port (0 = any); -1 when the port is taken.
int bindLoopback(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one); // as ssh binds its forward
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<uint16_t>(port));
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd, 1) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

/// The gateway's own port when it is free here, else an ephemeral one (the reference's choice).
int pickLocalPort(int preferred) {
    if (preferred > 0) {
        const int fd = bindLoopback(preferred);
        if (fd >= 0) {
            ::close(fd);
            return preferred;
        }
    }
    const int fd = bindLoopback(0);
    if (fd < 0) throw std::runtime_error("no local port is free for the tunnel");
    sockaddr_in a{};
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

/// Whether 127.0.0.1:port accepts a TCP connection within 250 ms.
bool accepts(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<uint16_t>(port));
    bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    if (!ok && errno == EINPROGRESS) {
        pollfd p{fd, POLLOUT, 0};
        int err = 0;
        socklen_t len = sizeof err;
        ok = ::poll(&p, 1, 250) == 1 && ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0;
    }
    ::close(fd);
    return ok;
}

/// One running `ssh -N -L`.
struct Tunnel {
    uint64_t process = 0;
    int pid = 0;
    int localPort = 0;
    std::mutex mu;
    bool exited = false;
    int exitCode = -1;
    std::string stderrTail;
};

void onSshExit(void* user, uint64_t, const oc_process_result* result, const char* err, size_t length) {
    auto* t = static_cast<Tunnel*>(user);
    std::lock_guard<std::mutex> lock(t->mu);
    t->exited = true;
    t->exitCode = result ? result->exit_code : -1;
    t->stderrTail.assign(err ? err : "", err ? length : 0);
}

class SshTunnelPlugin : public Plugin {
  public:
    explicit SshTunnelPlugin(Host host) : Plugin(host) {
        auto c = parseObject(host.config("plugin"));
        ssh_ = c->optValue<std::string>("sshBinary", "ssh");
        sshConfig_ = c->optValue<std::string>("sshConfig", "");
        connectTimeout_ = c->optValue("connectTimeoutSeconds", 5);
    }
    ~SshTunnelPlugin() override {
        std::map<std::string, std::unique_ptr<Tunnel>> open;
        {
            std::lock_guard<std::mutex> lock(mu_);
            open.swap(tunnels_);
        }
        for (auto& [handle, t] : open)
            host().stopProcess(t->process);
    }

    std::string tunnelOpen(const std::string& requestJson) override {
        auto req = parseObject(requestJson);
        const SshTarget target = parseTarget(req->optValue<std::string>("target", ""));
        const std::string identity = req->optValue<std::string>("identity", "");
        const int remotePort = req->optValue("remotePort", 18789);
        const SshConfig cfg =
            expand(target, identity, static_cast<uint32_t>(req->optValue("configTimeoutMs", 800)));
        const int port = target.port ? target.port : cfg.port;
        auto tunnel = std::make_unique<Tunnel>();
        tunnel->localPort = pickLocalPort(req->optValue("localPort", 0));
        std::vector<std::string> argv = base();
        for (const std::string& a :
             {std::string("-N"), std::string("-L"),
              std::to_string(tunnel->localPort) + ":127.0.0.1:" + std::to_string(remotePort),
              std::string("-p"), std::to_string(port), std::string("-o"),
              std::string("ExitOnForwardFailure=yes"), std::string("-o"), std::string("BatchMode=yes"),
              std::string("-o"), std::string("StrictHostKeyChecking=yes"), std::string("-o"),
              std::string("UpdateHostKeys=yes"), std::string("-o"),
              "ConnectTimeout=" + std::to_string(connectTimeout_), std::string("-o"),
              std::string("ServerAliveInterval=15"), std::string("-o"), std::string("ServerAliveCountMax=3")})
            argv.push_back(a);
        if (!identity.empty()) argv.insert(argv.end(), {"-i", identity});
        argv.insert(argv.end(), {"--", target.destination()});
        tunnel->process = host().startProcess(argv, 0, &onSshExit, tunnel.get(), &tunnel->pid);
        waitReady(*tunnel, target, port, static_cast<uint32_t>(req->optValue("startTimeoutMs", 1500)));
        const std::string handle = std::to_string(tunnel->process);
        std::string answer =
            "{\"handle\":" + jsonQuote(handle) + ",\"localPort\":" + std::to_string(tunnel->localPort) +
            ",\"pid\":" + std::to_string(tunnel->pid) + ",\"remotePort\":" + std::to_string(remotePort) + "}";
        std::lock_guard<std::mutex> lock(mu_);
        tunnels_[handle] = std::move(tunnel);
        return answer;
    }

    void tunnelClose(const std::string& handle) override {
        std::unique_ptr<Tunnel> t;
        {
            std::lock_guard<std::mutex> lock(mu_);
            auto it = tunnels_.find(handle);
            if (it == tunnels_.end()) return;
            t = std::move(it->second);
            tunnels_.erase(it);
        }
        host().stopProcess(
            t->process); // SIGTERM to ssh's process group, SIGKILL 2 s later; waits for its end
    }

  private:
    std::vector<std::string> base() const {
        std::vector<std::string> argv{ssh_};
        if (!sshConfig_.empty()) argv.insert(argv.end(), {"-F", sshConfig_});
        return argv;
    }

    SshConfig expand(const SshTarget& target, const std::string& identity, uint32_t timeoutMs) {
        std::vector<std::string> argv = base();
        argv.push_back("-G");
        if (target.port) argv.insert(argv.end(), {"-p", std::to_string(target.port)});
        if (!identity.empty()) argv.insert(argv.end(), {"-i", identity});
        argv.insert(argv.end(), {"--", target.destination()});
        ProcessResult g;
        try {
            g = host().runProcess(argv, std::max<uint32_t>(timeoutMs, 200));
        } catch (const std::exception& e) {
            throw std::runtime_error("ssh is not installed or cannot run (" + std::string(e.what()) +
                                     "); install OpenSSH's client (apt install openssh-client)");
        }
        if (g.timedOut)
            throw std::runtime_error("ssh -G did not answer within " + std::to_string(timeoutMs) + " ms");
        if (g.exitCode != 0) throw std::runtime_error("ssh -G " + target.destination() + " failed: " + g.err);
        return parseSshG(g.out);
    }

    void waitReady(Tunnel& t, const SshTarget& target, int port, uint32_t budgetMs) {
        const auto deadline = Clock::now() + std::chrono::milliseconds(std::max<uint32_t>(budgetMs, 200));
        while (Clock::now() < deadline) {
            {
                std::lock_guard<std::mutex> lock(t.mu);
                if (t.exited)
                    throw std::runtime_error(explainSshFailure(t.stderrTail, t.exitCode, target, port));
            }
            if (accepts(t.localPort)) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        host().stopProcess(t.process); // its exit callback has run when this returns
        std::lock_guard<std::mutex> lock(t.mu);
        throw std::runtime_error("the SSH tunnel to " + target.destination() + " did not open within " +
                                 std::to_string(budgetMs) + " ms" +
                                 (t.stderrTail.empty() ? "" : " (ssh: " + t.stderrTail + ")"));
    }

    std::string ssh_;
    std::string sshConfig_;
    int connectTimeout_ = 5;
    std::mutex mu_;
    std::map<std::string, std::unique_ptr<Tunnel>> tunnels_;
};

} // namespace

OPENCLAW_PLUGIN(SshTunnelPlugin, "ssh-tunnel", "SSH tunnel", "0.2.0", OC_CAP_TUNNEL)
