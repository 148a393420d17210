#include "server/GatewayServer.h"
#include "net/PortOwners.h"
#include "protocol/Timestamp.h"

#include "log/Logger.h"
#include "version.h"

#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/UUIDGenerator.h>

#include <cerrno>
#include <fstream>
#include <future>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <unistd.h>

namespace openclaw::server {

namespace {

std::string hostName() {
    char buf[256] = {0};
    ::gethostname(buf, sizeof buf - 1);
    std::string h = buf;
    size_t dot = h.find('.');
    return dot == std::string::npos ? h : h.substr(0, dot);
}

/// One reactor per core, at most four: more would only add context switches on small machines.
unsigned shardCount() {
    unsigned n = std::thread::hardware_concurrency();
    return std::max(1u, std::min(4u, n));
}

/// Health events after `health` calls: at most one per this gap (a trailing one carries the latest).
constexpr std::chrono::milliseconds kHealthBroadcastGap{1000};
/// `health` answers from a snapshot at most this old unless the caller asks to probe (the reference
/// keeps its cache for up to 60 s; ours is cheap to rebuild, so it stays fresh).
constexpr std::chrono::milliseconds kHealthCacheAge{1000};

/// Thousands of sessions need thousands of descriptors: take the hard limit.
void raiseDescriptorLimit() {
    rlimit rl{};
    if (::getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &rl);
    }
}

} // namespace

/// A listening socket on shard 0's loop: accepts everything pending and hands it to the server.
class Listener : public net::IoHandler {
  public:
    Listener(GatewayServer& gw, Poco::Net::ServerSocket socket, net::EventLoop& loop)
        : gw_(gw), socket_(socket), loop_(loop), local_(socket_.address().toString()) {}

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
            int one = 1;
            ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            Poco::Net::SocketAddress peer(reinterpret_cast<sockaddr*>(&addr), len);
            Peer p;
            p.transport = std::make_unique<net::SocketTransport>(fd);
            p.remote = peer.host().toString();
            p.loopback =
                peer.host().isLoopback() || (peer.host().family() == Poco::Net::IPAddress::IPv6 &&
                                             peer.host().isIPv4Mapped() && p.remote.find("::ffff:127.") == 0);
            p.local = local_;
            p.remotePort = peer.port();
            gw_.adopt(std::move(p));
        }
    }

    void close() {
        loop_.remove(fd());
        socket_.close();
    }

  private:
    GatewayServer& gw_;
    Poco::Net::ServerSocket socket_;
    net::EventLoop& loop_;
    std::string local_;
};

GatewayServer::GatewayServer(config::GatewayConfigPtr config, plugins::PluginHost& plugins,
                             ServerSettings settings)
    : config_(std::move(config)), plugins_(plugins), settings_(std::move(settings)),
      limiter_(config_->auth.rateLimit),
      bootId_(Poco::UUIDGenerator::defaultGenerator().createRandom().toString()),
      started_(std::chrono::steady_clock::now()), workers_("gateway-worker", 4) {
    rpc::registerBuiltins(registry_, *this);
    routes_ = builtinRoutes(*this);
    for (unsigned i = 0; i < shardCount(); ++i)
        shards_.push_back(std::make_unique<Shard>("gateway-io-" + std::to_string(i)));
}

GatewayServer::~GatewayServer() {
    stop("server destroyed");
}

namespace {

/// A plugin method's result as the RPC answer: its payload, its error object, or UNAVAILABLE with its text.
rpc::Reply pluginReply(const std::string& method, const plugins::LoadedPlugin::CallResult& r) {
    if (r.status == OC_OK) {
        if (r.result.empty()) return {json::Var(), std::nullopt};
        if (auto payload = json::tryParse(r.result)) return {*payload, std::nullopt};
        return {json::Var(),
                protocol::RpcError{"UNAVAILABLE", method + " answered something that is not JSON",
                                   json::Var(), false, std::nullopt}};
    }
    // The error is an RPC error object, or plain text.
    const json::Var parsed = json::tryParse(r.error).value_or(json::Var());
    if (auto e = protocol::RpcError::fromJson(parsed)) return {json::Var(), *e};
    return {json::Var(), protocol::RpcError{"UNAVAILABLE", method + " failed: " + r.error, json::Var(), false,
                                            std::nullopt}};
}

} // namespace

void GatewayServer::attachPlugins() {
    for (plugins::LoadedPlugin* p : plugins_.loaded()) {
        for (const oc_method_def& def : p->methods()) {
            std::string name = def.name;
            if (registry_.find(name)) {
                log::Logger::get().warn("plugins", p->record().manifest.id + ": method " + name +
                                                       " already exists; the plugin's version is ignored");
                continue;
            }
            const std::chrono::milliseconds limit(config_->plugins.callTimeoutMs);
            registry_.addAsync(name, def.scope ? def.scope : "",
                               [p, def, name, limit](const rpc::CallContext&, const json::Var& params,
                                                     std::function<void(rpc::Reply)> reply) {
                                   p->callMethodAsync(def, json::stringify(params), limit,
                                                      [name, reply](plugins::LoadedPlugin::CallResult r) {
                                                          reply(pluginReply(name, r));
                                                      });
                               });
        }
        for (const std::string& event : p->events())
            registry_.addEvent(event);
    }
    authChain_ = plugins_.authChain(config_->auth.mode);
}

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

void GatewayServer::start() {
    registry_.freeze(); // connections read it from every thread from now on, without a lock
    raiseDescriptorLimit();
    if (settings_.tls) {
        std::string error;
        tlsContext_ = tls::module().serverContext(settings_.tls->certPath, settings_.tls->keyPath, error);
        if (!tlsContext_) throw std::runtime_error(error);
    }
    std::vector<Poco::Net::ServerSocket> sockets;
    for (const std::string& host : settings_.hosts)
        sockets.push_back(listenOn(host));
    for (auto& shard : shards_)
        shard->loop.start();
    loopsStarted_ = true;
    net::EventLoop& acceptLoop = shards_.front()->loop;
    for (auto& socket : sockets)
        listeners_.push_back(std::make_unique<Listener>(*this, socket, acceptLoop));
    std::promise<void> registered;
    acceptLoop.post([this, &registered] {
        for (auto& l : listeners_)
            shards_.front()->loop.add(l->fd(), EPOLLIN, l.get());
        registered.set_value();
    });
    registered.get_future().wait();
    tickTimer_ = timers_.add(static_cast<uint32_t>(settings_.tickIntervalMs), true, [this] {
        json::ObjectPtr p = json::makeObject();
        p->set("ts", static_cast<Poco::Int64>(protocol::nowMs()));
        broadcast("tick", p);
    });
}

Poco::Net::ServerSocket GatewayServer::listenOn(const std::string& host) {
    Poco::Net::SocketAddress addr(host, static_cast<Poco::UInt16>(settings_.port));
    Poco::Net::ServerSocket socket;
    try {
        socket.bind(addr, true, host.find(':') != std::string::npos);
        socket.listen(1024);
        socket.setBlocking(false);
    } catch (const Poco::Exception& e) {
        throw std::runtime_error(
            "cannot listen on " + addr.toString() + ": " + e.message() +
            (e.message().find("in use") != std::string::npos ? portHeldBy(settings_.port) : ""));
    }
    std::lock_guard<std::mutex> lock(listeningMu_);
    listening_.push_back(addr.toString());
    return socket;
}

void GatewayServer::addListener(const std::string& host) {
    if (!loopsStarted_ || stopRequested_) throw std::runtime_error("the gateway is not running");
    Poco::Net::ServerSocket socket = listenOn(host);
    net::EventLoop& acceptLoop = shards_.front()->loop;
    // listeners_ is the accept loop's: the new one joins it there.
    std::promise<void> added;
    if (!acceptLoop.post([this, socket, &acceptLoop, &added] {
            listeners_.push_back(std::make_unique<Listener>(*this, socket, acceptLoop));
            acceptLoop.add(listeners_.back()->fd(), EPOLLIN, listeners_.back().get());
            added.set_value();
        }))
        throw std::runtime_error("the gateway is stopping");
    added.get_future().wait();
}

std::vector<std::string> GatewayServer::listening() const {
    std::lock_guard<std::mutex> lock(listeningMu_);
    return listening_;
}

void GatewayServer::stop(const std::string& reason, int closeCode) {
    if (stopRequested_.exchange(true)) return;
    timers_.stop();
    if (shards_.empty()) return;
    if (!loopsStarted_) {
        // A start-up that failed before the loops ran: nothing listens and no task would ever run,
        // so there is nothing to close or wait for.
        workers_.stop();
        shards_.clear();
        return;
    }
    net::EventLoop& acceptLoop = shards_.front()->loop;
    {
        // No new connections from here on.
        std::promise<void> closed;
        if (acceptLoop.post([this, &closed] {
                for (auto& l : listeners_)
                    l->close();
                closed.set_value();
            }))
            closed.get_future().wait_for(std::chrono::seconds(5));
    }
    stopping_ = true;
    json::ObjectPtr payload = json::makeObject();
    payload->set("reason", reason);
    payload->set("restartExpectedMs", json::Var());
    const std::string payloadJson = json::stringify(payload);
    const std::string closeReason = closeCode == 1012 ? "service restart" : reason;
    for (auto& shard : shards_) {
        Shard* sh = shard.get();
        sh->loop.post([sh, payloadJson, closeCode, closeReason] {
            // Copy first: closing may erase from the map (deferred, but be safe against rehash).
            std::vector<std::shared_ptr<Connection>> all;
            for (auto& kv : sh->conns)
                all.push_back(kv.second);
            for (auto& c : all) {
                c->sendEvent("shutdown", payloadJson, "");
                c->close(closeCode, closeReason);
            }
        });
    }
    // Connections flush their close frames and hang up (bounded by their linger); wait for that.
    {
        std::unique_lock<std::mutex> lock(goneMu_);
        allGone_.wait_for(lock, std::chrono::seconds(3), [this] { return connections_.load() == 0; });
    }
    workers_.stop();
    // A plugin may still answer a deferred call: after this no answer reaches a connection or a loop.
    plugins_.closePendingCalls();
    for (auto& shard : shards_)
        shard->loop.stop();
    listeners_.clear();
    shards_.clear();
}

void GatewayServer::adopt(Peer peer) {
    if (stopping_) return; // the peer (and its socket) goes with this call
    Shard& shard = *shards_[nextShard_++ % shards_.size()];
    auto conn = std::make_shared<Connection>(*this, shard, std::move(peer), tlsContext_.get());
    ++connections_;
    {
        std::lock_guard<std::mutex> lock(preauthMu_);
        const size_t cap = static_cast<size_t>(std::max(1, config_->limits.maxPreauthConnections));
        while (preauth_.size() >= cap) {
            // Evict the longest-stalled handshake: an honest one takes milliseconds, so it always gets
            // through, while the total stays bounded.
            std::weak_ptr<Connection> oldest = preauth_.front();
            preauth_.pop_front();
            if (auto victim = oldest.lock()) {
                victim->holdsPreauthSlot = false;
                Connection* raw = victim.get();
                raw->shard().loop.post([victim] { victim->evict(); });
            }
        }
        conn->preauthSlot = preauth_.insert(preauth_.end(), conn);
        conn->holdsPreauthSlot = true;
    }
    shard.loop.post([&shard, conn] {
        shard.conns.emplace(conn.get(), conn);
        conn->start();
    });
}

void GatewayServer::releasePreauthSlot(Connection& c) {
    std::lock_guard<std::mutex> lock(preauthMu_);
    if (!c.holdsPreauthSlot) return;
    preauth_.erase(c.preauthSlot);
    c.holdsPreauthSlot = false;
}

bool GatewayServer::acquireSession() {
    if (++sessions_ > config_->limits.maxSessions) {
        --sessions_;
        return false;
    }
    return true;
}

void GatewayServer::nodeJoined(const std::string& connId, json::ObjectPtr entry) {
    {
        std::lock_guard<std::mutex> lock(nodesMu_);
        nodes_[connId] = std::move(entry);
    }
    presenceChanged();
}

void GatewayServer::connectionGone(Connection& c, bool wasSession, bool wasNode) {
    releasePreauthSlot(c);
    if (wasSession) --sessions_;
    if (wasNode) {
        {
            std::lock_guard<std::mutex> lock(nodesMu_);
            nodes_.erase(c.connId());
        }
        if (!stopping_) presenceChanged();
    }
    // Under the lock, so that stop() cannot miss the last one between its check and its wait.
    std::lock_guard<std::mutex> lock(goneMu_);
    if (--connections_ == 0) allGone_.notify_all();
}

void GatewayServer::presenceChanged() {
    ++presenceVersion_;
    broadcast("presence", presence(), true);
}

void GatewayServer::broadcast(const std::string& event, const json::Var& payload, bool withStateVersion) {
    broadcastJson(event, std::make_shared<const std::string>(json::stringify(payload)), withStateVersion);
}

void GatewayServer::broadcastJson(const std::string& event, std::shared_ptr<const std::string> payloadJson,
                                  bool withStateVersion) {
    std::string sv;
    if (withStateVersion) {
        json::ObjectPtr o = json::makeObject();
        o->set("presence", static_cast<Poco::Int64>(presenceVersion_.load()));
        o->set("health", static_cast<Poco::Int64>(healthVersion_.load()));
        sv = json::stringify(o);
    }
    // Serialized once; each shard stamps its sessions' own seq.
    for (auto& shard : shards_) {
        Shard* sh = shard.get();
        sh->loop.post([sh, event, payloadJson, sv] {
            for (auto& kv : sh->conns)
                kv.second->sendEvent(event, *payloadJson, sv);
        });
    }
}

long long GatewayServer::uptimeMs() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started_)
        .count();
}

json::ObjectPtr GatewayServer::health() const {
    auto t0 = std::chrono::steady_clock::now();
    json::ObjectPtr h = json::makeObject();
    h->set("ok", true);
    h->set("ts", static_cast<Poco::Int64>(protocol::nowMs()));
    json::ObjectPtr plugins = json::makeObject();
    json::ArrayPtr loaded = json::makeArray();
    json::ArrayPtr errors = json::makeArray();
    json::ArrayPtr unavailable = json::makeArray();
    for (const auto& r : plugins_.records()) {
        if (r.state == plugins::PluginState::Loaded) {
            loaded->add(r.manifest.id);
        } else if (r.state == plugins::PluginState::Error) {
            json::ObjectPtr e = json::makeObject();
            e->set("id", r.manifest.id);
            e->set("error", r.error);
            errors->add(e);
        }
    }
    plugins->set("loaded", loaded);
    plugins->set("errors", errors);
    plugins->set("unavailable", unavailable);
    h->set("plugins", plugins);
    json::ObjectPtr reload = json::makeObject();
    reload->set("hotReloadStatus", std::string(config_->restartCommandEnabled ? "active" : "disabled"));
    h->set("configReload", reload);
    h->set("channels", json::makeObject());
    h->set("channelOrder", json::makeArray());
    h->set("channelLabels", json::makeObject());
    h->set("heartbeatSeconds", 0);
    h->set("defaultAgentId", std::string("main"));
    h->set("agents", json::makeArray());
    json::ObjectPtr sessions = json::makeObject();
    sessions->set("path", json::Var());
    sessions->set("count", 0);
    sessions->set("recent", json::makeArray());
    h->set("sessions", sessions);
    json::ObjectPtr runtime = json::makeObject();
    runtime->set("degraded", false);
    runtime->set("pendingAgents", json::makeArray());
    h->set("modelRuntime", runtime);
    auto us =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0).count();
    h->set("durationMs", static_cast<Poco::Int64>(us / 1000));
    return h;
}

json::ArrayPtr GatewayServer::presence() const {
    json::ArrayPtr a = json::makeArray();
    json::ObjectPtr self = json::makeObject();
    struct utsname u {};
    ::uname(&u);
    std::string host = hostName();
    self->set("host", host);
    self->set("ip", std::string("127.0.0.1"));
    self->set("version", std::string(OPENCLAW_VERSION));
    self->set("platform", std::string("linux ") + u.release);
    self->set("deviceFamily", std::string("Linux"));
    self->set("mode", std::string("gateway"));
    self->set("reason", std::string("self"));
    self->set("instanceId", bootId_);
    self->set("text", "Gateway: " + host + " (127.0.0.1) · app " + OPENCLAW_VERSION +
                          " · mode gateway · reason self");
    self->set("ts", static_cast<Poco::Int64>(protocol::nowMs()));
    a->add(self);
    std::lock_guard<std::mutex> lock(nodesMu_);
    for (const auto& kv : nodes_)
        a->add(kv.second);
    return a;
}

json::ObjectPtr GatewayServer::runtimeStatus() const {
    json::ObjectPtr g = json::makeObject();
    g->set("implementation", std::string("openclaw-gateway-cpp"));
    g->set("nativeVersion", std::string(OPENCLAW_NATIVE_VERSION));
    g->set("pid", static_cast<int>(::getpid()));
    g->set("port", settings_.port);
    g->set("bind", std::string(config::nameOf(config_->bind)));
    json::ArrayPtr l = json::makeArray();
    for (const auto& s : listening())
        l->add(s);
    g->set("listening", l);
    g->set("authMode", std::string(config::nameOf(config_->auth.mode)));
    g->set("uptimeMs", static_cast<Poco::Int64>(uptimeMs()));
    g->set("connections", sessions_.load());
    return g;
}

std::string GatewayServer::logFile() const {
    std::string f = log::Logger::get().filePath();
    return f.empty() ? config_->paths.logFile() : f;
}

std::shared_ptr<const std::string> GatewayServer::healthJson(bool probe) {
    const auto now = std::chrono::steady_clock::now();
    {
        std::lock_guard<std::mutex> lock(healthMu_);
        if (!probe && healthCache_ && now - healthCacheAt_ < kHealthCacheAge) return healthCache_;
    }
    auto fresh = std::make_shared<const std::string>(json::stringify(health()));
    std::lock_guard<std::mutex> lock(healthMu_);
    healthCache_ = fresh;
    healthCacheAt_ = now;
    return fresh;
}

void GatewayServer::healthServed() {
    ++healthVersion_;
    // Every `health` call is followed by a `health` event, as the reference does; under a stream of
    // calls they are coalesced to one per kHealthBroadcastGap (a trailing one carries the latest).
    const auto now = std::chrono::steady_clock::now();
    {
        std::lock_guard<std::mutex> lock(healthMu_);
        if (trailingHealth_) return;
        if (now - lastHealthBroadcast_ < kHealthBroadcastGap) {
            trailingHealth_ = true;
            auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(lastHealthBroadcast_ +
                                                                              kHealthBroadcastGap - now);
            timers_.add(static_cast<uint32_t>(std::max<long long>(1, wait.count())), false, [this] {
                {
                    std::lock_guard<std::mutex> l(healthMu_);
                    trailingHealth_ = false;
                    lastHealthBroadcast_ = std::chrono::steady_clock::now();
                }
                broadcastJson("health", healthJson(false), true);
            });
            return;
        }
        lastHealthBroadcast_ = now;
    }
    broadcastJson("health", healthJson(false), true);
}

bool GatewayServer::emitEvent(const std::string& event, const std::string& payloadJson) {
    json::Var payload = json::parse(payloadJson);
    if (!settings_.rawStreamPath.empty()) {
        std::lock_guard<std::mutex> lock(rawMu_);
        std::ofstream out(settings_.rawStreamPath, std::ios::app);
        json::ObjectPtr rec = json::makeObject();
        rec->set("ts", static_cast<Poco::Int64>(protocol::nowMs()));
        rec->set("event", event);
        rec->set("payload", payload);
        out << json::stringify(rec) << "\n";
    }
    broadcast(event, payload);
    return true;
}

std::string GatewayServer::runtimeJson() const {
    json::ObjectPtr o = json::makeObject();
    o->set("port", settings_.port);
    o->set("bindHost", settings_.hosts.empty() ? std::string() : settings_.hosts.front());
    o->set("stateDir", config_->paths.stateDir);
    o->set("version", std::string(OPENCLAW_VERSION));
    json::ObjectPtr tls = json::makeObject();
    tls->set("enabled", settings_.tls.has_value());
    if (settings_.tls) tls->set("sha256", settings_.tls->sha256);
    o->set("tls", tls);
    return json::stringify(o);
}

void GatewayServer::pluginStateChanged(const std::string& pluginId) {
    // Handed to a worker: the plugin's thread holds its host state while it calls us, and the handler may
    // take the lifecycle's lock, which the stop path holds while it destroys plugins.
    if (stateChanged_ && !stopping_) workers_.submit([this, pluginId] { stateChanged_(pluginId); });
}

} // namespace openclaw::server
