// The gateway's listeners and sessions: HTTP (/healthz, /readyz) and WebSocket protocol v4 on one
// port, on every bind address. Owns the broadcaster (tick, health, presence, shutdown) and serves
// plugins' host services.
//
// Sessions currently hold one pooled thread each for their lifetime (POCO HTTPServer); moving them
// to a reactor is tracked by the performance issue (docs/architecture.md).
#pragma once

#include "config/GatewayConfig.h"
#include "plugins/PluginHost.h"
#include "rpc/BuiltinMethods.h"
#include "rpc/Registry.h"
#include "server/AuthLimiter.h"
#include "server/TimerService.h"
#include "tls/TlsCertificate.h"

#include <Poco/Net/HTTPServer.h>
#include <Poco/ThreadPool.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace openclaw::server {

class Session;

/// How the server logs and where it listens.
struct ServerSettings {
    std::vector<std::string> hosts; ///< addresses to bind ("127.0.0.1", "::1", "0.0.0.0", …)
    int port = 18789;
    std::string wsLog = "auto"; ///< auto | full | compact
    std::string rawStreamPath;  ///< JSONL of plugin events ("" = off)
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

    /// "host:port" strings actually listening.
    const std::vector<std::string>& listening() const { return listening_; }
    rpc::Registry& registry() { return registry_; }

    /// Sends an event to every authenticated session (each with its own seq).
    void broadcast(const std::string& event, const json::Var& payload, bool withStateVersion = false);

    // plugins::PluginServices
    bool emitEvent(const std::string& event, const std::string& payloadJson) override;
    std::string runtimeJson() const override;
    uint64_t addTimer(uint32_t intervalMs, bool repeat, std::function<void()> fn) override;
    void cancelTimer(uint64_t id) override;

    // rpc::GatewayState
    config::GatewayConfigPtr config() const override { return config_; }
    json::ObjectPtr health() const override;
    json::ArrayPtr presence() const override;
    json::ObjectPtr runtimeStatus() const override;
    std::string logFile() const override;
    void healthServed(const json::ObjectPtr& snapshot) override;

    // used by sessions
    const ServerSettings& settings() const { return settings_; }
    const std::string& bootId() const { return bootId_; }
    long long uptimeMs() const;
    long long presenceVersion() const { return presenceVersion_; }
    long long healthVersion() const { return healthVersion_; }
    AuthLimiter& limiter() { return limiter_; }
    plugins::PluginHost& plugins() { return plugins_; }
    void addSession(Session* s);
    /// Bumps the presence version and broadcasts the `presence` event.
    void presenceChanged();
    void removeSession(Session* s);
    bool stopping() const { return stopping_; }

  private:
    config::GatewayConfigPtr config_;
    plugins::PluginHost& plugins_;
    ServerSettings settings_;
    rpc::Registry registry_;
    AuthLimiter limiter_;
    std::string bootId_;
    std::chrono::steady_clock::time_point started_;
    Poco::ThreadPool pool_;
    std::vector<std::unique_ptr<Poco::Net::HTTPServer>> servers_;
    std::vector<std::string> listening_;
    mutable std::mutex sessionsMu_;
    std::set<Session*> sessions_;
    TimerService timers_;
    uint64_t tickTimer_ = 0;
    std::atomic<long long> presenceVersion_{1};
    std::atomic<long long> healthVersion_{1};
    std::atomic<bool> stopRequested_{false}; ///< stop() runs once
    std::atomic<bool> stopping_{false};      ///< sessions and the HTTP handler wind down
    std::mutex rawMu_;
};

} // namespace openclaw::server
