#include "server/GatewayServer.h"
#include "protocol/RandomId.h"

#include "log/Logger.h"
#include "protocol/Scopes.h"
#include "protocol/Timestamp.h"
#include "version.h"

#include <algorithm>

#include <sys/resource.h>
#include <thread>
#include <unistd.h>

namespace openclaw::server {

namespace {

/// Thousands of sessions need thousands of descriptors: take the hard limit.
void raiseDescriptorLimit() {
    rlimit rl{};
    if (::getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &rl);
    }
}

} // namespace

// One reactor per core, at most four: more would only add context switches on small machines.
unsigned shardCount() {
    const unsigned n = std::thread::hardware_concurrency();
    return std::max(1u, std::min(4u, n));
}

GatewayServer::GatewayServer(config::GatewayConfigPtr config, plugins::PluginHost& plugins,
                             ServerSettings settings)
    : config_(std::move(config)), plugins_(plugins), settings_(std::move(settings)),
      limiter_(config_->auth.rateLimit), bootId_(protocol::randomUuid()),
      started_(std::chrono::steady_clock::now()), workers_("gateway-worker", 4),
      acceptor_(settings_.port, [this](Peer peer) { adopt(std::move(peer)); }),
      admission_(config_->limits.maxPreauthConnections, config_->limits.maxSessions), broadcaster_(shards_),
      state_(config_, plugins_, bootId_, broadcaster_, timers_),
      bridge_(config_, plugins_, settings_.rawStreamPath) {
    rpc::registerBuiltins(registry_, *this);
    routes_ = builtinRoutes(*this);
    for (unsigned i = 0; i < shardCount(); ++i)
        shards_.push_back(std::make_unique<Shard>("gateway-io-" + std::to_string(i)));
}

GatewayServer::~GatewayServer() {
    stop("server destroyed");
}

namespace {

/// OC_HTTP_PUBLIC_BY_CONFIG: public when the plugin's (validated) config section says "public": true.
bool routeIsPublic(const plugins::LoadedPlugin& p, const plugins::LoadedPlugin::Route& r) {
    if (r.access != OC_HTTP_PUBLIC_BY_CONFIG) return r.access == OC_HTTP_PUBLIC;
    const std::optional<json::Var> config = json::tryParse(p.record().configJson);
    json::ObjectPtr o = config ? json::asObject(*config) : nullptr;
    return o && json::getBool(o, "public").value_or(false);
}

} // namespace

void GatewayServer::attachPlugins() {
    bridge_.attach(registry_);
    for (plugins::LoadedPlugin* p : plugins_.loaded())
        for (const plugins::LoadedPlugin::Route& r : p->routes())
            if (std::string why = routes_.addPlugin({r.prefix, p, routeIsPublic(*p, r)}); !why.empty())
                log::Logger::get().error("plugins", p->record().manifest.id + ": http route refused: " + why);
}

void GatewayServer::start() {
    registry_.freeze(); // connections read it from every thread from now on, without a lock
    raiseDescriptorLimit();
    if (settings_.tls) {
        std::string error;
        tlsContext_ = tls::module().serverContext(settings_.tls->certPath, settings_.tls->keyPath, error);
        if (!tlsContext_) throw std::runtime_error(error);
    }
    for (const std::string& host : settings_.hosts)
        acceptor_.listenOn(host);
    for (auto& shard : shards_) {
        shard->loop.start();
        Shard* sh = shard.get();
        sh->loop.post([this, sh] { sweepPings(*sh, 0); });
    }
    loopsStarted_ = true;
    acceptor_.serve(shards_.front()->loop);
    tickTimer_ = timers_.add(static_cast<uint32_t>(settings_.tickIntervalMs), true, [this] {
        json::ObjectPtr p = json::makeObject();
        p->set("ts", static_cast<Poco::Int64>(protocol::nowMs()));
        broadcast("tick", p);
    });
}

void GatewayServer::addListener(const std::string& host) {
    if (!loopsStarted_ || stopRequested_) throw std::runtime_error("the gateway is not running");
    acceptor_.add(host);
}

std::vector<std::string> GatewayServer::listening() const {
    return acceptor_.listening();
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
    acceptor_.close(); // no new connections from here on
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
    admission_.waitAllGone(std::chrono::seconds(3));
    workers_.stop();
    // A plugin may still answer a deferred call: after this no answer reaches a connection or a loop.
    plugins_.closePendingCalls();
    for (auto& shard : shards_)
        shard->loop.stop();
    acceptor_.clear();
    shards_.clear();
    bridge_.stopHooks(); // after the loops: no connection fires a hook any more
}

namespace {
/// Each session is pinged once per interval, a fifth of them at a time: no burst of one ping per session.
constexpr uint64_t kPingPhases = 5;
} // namespace

void GatewayServer::sweepPings(Shard& shard, uint64_t phase) {
    // One timer per loop rather than one per session (~120 bytes each, and a re-arm per ping). Pinging
    // never erases from conns (a connection it fails on is erased in a later task).
    shard.loop.runAfter(
        std::chrono::milliseconds(std::max<long long>(1, settings_.pingIntervalMs / kPingPhases)),
        [this, &shard, phase] {
            for (auto& kv : shard.conns)
                kv.second->keepAlive(phase, kPingPhases);
            sweepPings(shard, (phase + 1) % kPingPhases);
        });
}

Shard& GatewayServer::shardFor() const {
    // The accepting loop keeps a connection unless it holds more than one more than the emptiest loop:
    // a connect that follows a close is served where it was accepted, with no hand-off between threads,
    // and connections that stay open spread over the loops.
    Shard* accepting = shards_.front().get();
    Shard* emptiest = accepting;
    for (const auto& s : shards_)
        if (s->open.load(std::memory_order_relaxed) < emptiest->open.load(std::memory_order_relaxed))
            emptiest = s.get();
    return accepting->open.load(std::memory_order_relaxed) >
                   emptiest->open.load(std::memory_order_relaxed) + 1
               ? *emptiest
               : *accepting;
}

void GatewayServer::adopt(Peer peer) {
    if (stopping_) return; // the peer (and its socket) goes with this call
    Shard& shard = shardFor();
    auto conn = std::make_shared<Connection>(*this, shard, std::move(peer), tlsContext_.get());
    admission_.opened(conn);
    shard.loop.post([&shard, conn] {
        shard.conns.emplace(conn.get(), conn);
        conn->start();
    });
}

void GatewayServer::releasePreauthSlot(Connection& c) {
    admission_.releaseSlot(c);
}

bool GatewayServer::acquireSession() {
    return admission_.acquireSession();
}

void GatewayServer::nodeJoined(const std::string& connId, json::ObjectPtr entry) {
    state_.nodeJoined(connId, std::move(entry));
}

void GatewayServer::connectionGone(Connection& c, bool wasSession, bool wasNode) {
    if (wasNode) state_.nodeLeft(c.connId(), !stopping_);
    admission_.gone(c, wasSession);
}

void GatewayServer::presenceChanged() {
    state_.presenceChanged();
}

void GatewayServer::broadcast(const std::string& event, const json::Var& payload, bool withStateVersion) {
    broadcastJson(event, std::make_shared<const std::string>(json::stringify(payload)), withStateVersion);
}

void GatewayServer::broadcastJson(const std::string& event, std::shared_ptr<const std::string> payloadJson,
                                  bool withStateVersion) {
    state_.broadcast(event, std::move(payloadJson), withStateVersion);
}

long long GatewayServer::uptimeMs() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started_)
        .count();
}

json::ObjectPtr GatewayServer::health() const {
    return state_.health();
}

json::ArrayPtr GatewayServer::presence() const {
    return state_.presence();
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
    g->set("connections", admission_.sessions());
    return g;
}

std::string GatewayServer::logFile() const {
    std::string f = log::Logger::get().filePath();
    return f.empty() ? config_->paths.logFile() : f;
}

std::shared_ptr<const std::string> GatewayServer::healthJson(bool probe) {
    return state_.healthJson(probe);
}

void GatewayServer::healthServed() {
    state_.healthServed();
}

bool GatewayServer::sendToSession(uint64_t sessionId, const std::string& event,
                                  const std::string& payloadJson, bool withSeq) {
    return sessions_.post(sessionId, [event, payloadJson, withSeq](Connection& c) {
        c.sendEventTo(event, payloadJson, withSeq);
    });
}

bool GatewayServer::broadcastFiltered(const std::string& event, const std::string& payloadJson,
                                      int roleFilter, const std::string& scope) {
    const auto& known = protocol::allOperatorScopes();
    if (!scope.empty() && std::find(known.begin(), known.end(), scope) == known.end()) return false;
    broadcaster_.sendTo(roleFilter, scope, event, std::make_shared<const std::string>(payloadJson));
    return true;
}

bool GatewayServer::closeSession(uint64_t sessionId, int code, const std::string& reason) {
    return sessions_.post(sessionId, [code, reason](Connection& c) { c.close(code, reason); });
}

std::string GatewayServer::listSessions(int roleFilter) const {
    return sessions_.list(roleFilter);
}

std::string GatewayServer::hookDrops() const {
    return bridge_.hookDrops();
}

bool GatewayServer::emitEvent(const std::string& event, const std::string& payloadJson) {
    bridge_.recordEvent(event, payloadJson);
    // Only to the sessions holding the event's scope (operator.read unless the plugin declared another).
    broadcaster_.sendTo(0, bridge_.eventScope(event), event,
                        std::make_shared<const std::string>(payloadJson));
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
