// The gateway's listeners and sessions: HTTP (/healthz, /readyz) and WebSocket protocol v4 on one
// port, on every bind address. It puts together the parts that do the work: the acceptor (listening
// sockets), admission (pre-auth slots, session cap), the broadcaster, health and presence, and the bridge
// to plugins (their methods, events and auth chain); it serves the plugins' host services.
//
// Connections live on a few epoll reactor threads (shards); handlers that may block run on a worker
// pool; nothing holds a thread per connection (docs/architecture.md, docs/performance.md).
#pragma once

#include "config/GatewayConfig.h"
#include "net/TimerService.h"
#include "net/WorkerPool.h"
#include "plugins/PluginHost.h"
#include "rpc/BuiltinMethods.h"
#include "rpc/Registry.h"
#include "server/Acceptor.h"
#include "server/Admission.h"
#include "server/AuthLimiter.h"
#include "server/Broadcaster.h"
#include "server/Connection.h"
#include "server/HealthPresence.h"
#include "server/PluginBridge.h"
#include "server/SessionDirectory.h"
#include "tls/TlsModule.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace openclaw::server {

/// How many event loops a gateway runs on this machine: one per core, at most four.
unsigned shardCount();

/// How the server logs and where it listens.
struct ServerSettings {
    std::vector<std::string> hosts; ///< addresses to bind ("127.0.0.1", "::1", "0.0.0.0", …)
    int port = 18789;
    config::WsLogStyle wsLog = config::WsLogStyle::Auto;
    std::string rawStreamPath; ///< JSONL of plugin events ("" = off)
    int tickIntervalMs = 30000;
    int pingIntervalMs = 25000;
    std::optional<tls::TlsMaterial> tls; ///< set: serve https/wss on the same port
};

/// The running gateway server.
class GatewayServer : public plugins::PluginServices, public rpc::GatewayState {
  public:
    GatewayServer(config::GatewayConfigPtr config, plugins::PluginHost& plugins, ServerSettings settings);
    ~GatewayServer() override;
    GatewayServer(const GatewayServer&) = delete;
    GatewayServer& operator=(const GatewayServer&) = delete;

    /// Registers the methods and events of the plugins loaded so far (call once, before start()).
    void attachPlugins();
    /// Sets the addresses start() binds.
    void setHosts(std::vector<std::string> hosts) { settings_.hosts = std::move(hosts); }
    /// Serves TLS (https/wss) with this certificate.
    void setTls(tls::TlsMaterial material) { settings_.tls = std::move(material); }
    /// Binds every address and starts serving. Throws std::runtime_error naming the address on failure.
    void start();
    /// Broadcasts `shutdown`, closes every session with closeCode, stops listening.
    void stop(const std::string& reason, int closeCode = 1012);

    /// The TLS certificate's SHA-256 fingerprint ("" without TLS).
    std::string tlsFingerprint() const { return settings_.tls ? settings_.tls->sha256 : ""; }
    /// "host:port" strings actually listening.
    std::vector<std::string> listening() const;
    /// Listens on one more address while running (bind=tailnet once the tailnet address appears); throws
    /// with the reason when it cannot.
    void addListener(const std::string& host);
    /// The methods and events; frozen (read-only) once start() begins.
    const rpc::Registry& registry() const { return registry_; }

    /// Sends an event to every authenticated session (each with its own seq).
    void broadcast(const std::string& event, const json::Var& payload, bool withStateVersion = false);
    /// The same with the payload already serialized.
    void broadcastJson(const std::string& event, std::shared_ptr<const std::string> payloadJson,
                       bool withStateVersion = false);

    // plugins::PluginServices
    bool emitEvent(const std::string& event, const std::string& payloadJson) override;
    std::string runtimeJson() const override;
    void pluginStateChanged(const std::string& pluginId) override;
    bool sendToSession(uint64_t sessionId, const std::string& event, const std::string& payloadJson,
                       bool withSeq) override;
    bool closeSession(uint64_t sessionId, int code, const std::string& reason) override;
    bool broadcastFiltered(const std::string& event, const std::string& payloadJson, int roleFilter,
                           const std::string& scope) override;
    std::string listSessions(int roleFilter) const override;
    std::string hookDrops() const override;

    /// Who is asked about a connect, in order (overlays, then the configured mode's plugin); fixed at attach.
    const std::vector<plugins::LoadedPlugin*>& authChain() const { return bridge_.authChain(); }

    /// Who hears a plugin's state_changed (the lifecycle, to re-read and re-advertise); set before start().
    /// It runs on a worker thread, never on the plugin's.
    void onPluginStateChanged(std::function<void(const std::string&)> handler) {
        stateChanged_ = std::move(handler);
    }

    // rpc::GatewayState
    config::GatewayConfigPtr config() const override { return config_; }
    json::ObjectPtr health() const override;
    json::ArrayPtr presence() const override;
    json::ObjectPtr runtimeStatus() const override;
    std::string logFile() const override;
    std::shared_ptr<const std::string> healthJson(bool probe) override;
    void healthServed() override;

    // used by connections
    const ServerSettings& settings() const { return settings_; }
    const std::string& bootId() const { return bootId_; }
    long long uptimeMs() const;
    /// The presence list as cached JSON text, for hello-ok.
    HealthPresence::PresenceText presenceJson() { return state_.presenceJson(); }
    long long presenceVersion() const { return state_.presenceVersion(); }
    long long healthVersion() const { return state_.healthVersion(); }
    AuthLimiter& limiter() { return limiter_; }
    /// The plain HTTP routes (built once).
    const HttpRoutes& routes() const { return routes_; }
    plugins::PluginHost& plugins() { return plugins_; }
    /// The plugins' methods, events, auth chain and hooks.
    PluginBridge& bridge() { return bridge_; }
    /// The open sessions by id (for the plugins' session services).
    SessionDirectory& sessions() { return sessions_; }
    net::WorkerPool& workers() { return workers_; }
    bool stopping() const { return stopping_; }

    /// Takes an accepted socket: a pre-auth slot (evicting the longest-stalled holder when all are
    /// taken), a shard, and a Connection. Called on the listener's loop.
    void adopt(Peer peer);
    /// The loop a newly accepted connection goes to (see the .cpp for the rule).
    Shard& shardFor() const;
    /// Frees a connection's pre-auth slot (it authenticated or went away).
    void releasePreauthSlot(Connection& c);
    /// Counts one more authenticated session; false when gateway.limits.maxSessions is reached.
    bool acquireSession();
    /// A node-role session joined: listed in presence, `presence` broadcast.
    void nodeJoined(const std::string& connId, json::ObjectPtr entry);
    /// A connection ended: releases what it held.
    void connectionGone(Connection& c, bool wasSession, bool wasNode);
    /// Bumps the presence version and broadcasts the `presence` event.
    void presenceChanged();

  private:
    void sweepPings(Shard& shard, uint64_t phase);

    config::GatewayConfigPtr config_;
    plugins::PluginHost& plugins_;
    ServerSettings settings_;
    rpc::Registry registry_;
    AuthLimiter limiter_;
    HttpRoutes routes_;
    std::string bootId_;
    std::chrono::steady_clock::time_point started_;
    std::vector<std::unique_ptr<Shard>> shards_;
    net::WorkerPool workers_;
    bool loopsStarted_ = false; ///< start() got as far as running the event loops
    std::unique_ptr<tls::ServerContext> tlsContext_;
    net::TimerService timers_;
    uint64_t tickTimer_ = 0;
    Acceptor acceptor_;
    Admission admission_;
    Broadcaster broadcaster_;
    HealthPresence state_;
    PluginBridge bridge_;
    SessionDirectory sessions_;
    std::atomic<bool> stopRequested_{false}; ///< stop() runs once
    std::atomic<bool> stopping_{false};      ///< sessions and the HTTP handler wind down
    std::function<void(const std::string&)> stateChanged_;
};

} // namespace openclaw::server
