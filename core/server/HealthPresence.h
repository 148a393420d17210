// What the gateway says about itself: the `health` snapshot (cached briefly, and followed by a `health`
// event that is coalesced under a stream of calls), the `presence` list (the gateway itself and its node
// sessions), and the versions of both that events carry as stateVersion. Any thread.
#pragma once

#include "config/GatewayConfig.h"
#include "net/TimerService.h"
#include "plugins/PluginHost.h"
#include "server/Broadcaster.h"
#include "json/Json.h"

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace openclaw::server {

/// Health and presence.
class HealthPresence {
  public:
    HealthPresence(config::GatewayConfigPtr config, const plugins::PluginHost& plugins, std::string bootId,
                   const Broadcaster& out, net::TimerService& timers);

    /// The health snapshot, built now.
    json::ObjectPtr health() const;
    /// The snapshot serialized: a cached one at most a second old unless `probe`.
    std::shared_ptr<const std::string> healthJson(bool probe);
    /// A `health` call was answered: the health version moves and a `health` event follows (coalesced).
    void healthServed();
    /// The gateway and its node sessions.
    json::ArrayPtr presence() const;
    /// The presence list serialized, and how many entries it has.
    struct PresenceText {
        std::shared_ptr<const std::string> json;
        size_t count = 0;
    };
    /// A cached one at most a second old, rebuilt at once when a node joins or leaves (every connect's
    /// hello-ok carries it).
    PresenceText presenceJson();
    /// A node-role session joined: listed, `presence` broadcast.
    void nodeJoined(const std::string& connId, json::ObjectPtr entry);
    /// A node session left: unlisted, and `presence` broadcast when `announce`.
    void nodeLeft(const std::string& connId, bool announce);
    /// Bumps the presence version and broadcasts `presence`.
    void presenceChanged();
    /// Sends an event, with the current stateVersion when asked.
    void broadcast(const std::string& event, std::shared_ptr<const std::string> payloadJson,
                   bool withStateVersion) const;

    long long presenceVersion() const { return presenceVersion_; }
    long long healthVersion() const { return healthVersion_; }

  private:
    /// The health snapshot one thread last took (healthJson), and whose it is.
    struct ThreadSnapshot {
        uint64_t owner = 0; ///< instanceId_ of the HealthPresence it came from (0: none)
        std::shared_ptr<const std::string> json;
        std::chrono::steady_clock::time_point takenAt{};
    };

    config::GatewayConfigPtr config_;
    uint64_t instanceId_ = 0; ///< unique in the process: tells apart gateways that share a thread
    const plugins::PluginHost& plugins_;
    std::string bootId_;
    const Broadcaster& out_;
    net::TimerService& timers_;
    // Asked of the system once: every connect's hello-ok carries the presence list (two system calls each
    // time otherwise).
    std::string host_;     ///< the host name up to its first dot
    std::string platform_; ///< "linux <kernel release>"
    mutable std::mutex nodesMu_;
    std::map<std::string, json::ObjectPtr> nodes_; ///< connId -> presence entry
    std::mutex healthMu_;
    std::chrono::steady_clock::time_point lastHealthBroadcast_{};
    std::atomic<bool> trailingHealth_{false};        ///< a coalesced health broadcast is scheduled
    std::shared_ptr<const std::string> healthCache_; ///< the last snapshot, serialized (guarded by healthMu_)
    std::chrono::steady_clock::time_point healthCacheAt_{};
    std::atomic<long long> presenceVersion_{1};
    std::atomic<long long> healthVersion_{1};
    std::mutex presenceMu_;
    PresenceText presenceCache_; ///< guarded by presenceMu_ (null json: rebuild)
    std::chrono::steady_clock::time_point presenceCacheAt_{};
};

} // namespace openclaw::server
