// The plugins' side of the server: their methods and events in the RPC registry (each plugin method
// called off the reactor, its answer or error turned into the RPC reply), the auth chain fixed at attach,
// and the events plugins emit (also written to the raw stream file when one is configured).
#pragma once

#include "config/GatewayConfig.h"
#include "plugins/HookRunner.h"
#include "plugins/PluginHost.h"
#include "rpc/Registry.h"
#include "json/Json.h"

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace openclaw::server {

/// Plugins to the registry and back.
class PluginBridge {
  public:
    PluginBridge(config::GatewayConfigPtr config, plugins::PluginHost& plugins, std::string rawStreamPath)
        : config_(std::move(config)), plugins_(plugins), rawStreamPath_(std::move(rawStreamPath)) {}

    /// Registers the methods and events of the plugins loaded so far and fixes the auth chain (once,
    /// before the registry is frozen).
    void attach(rpc::Registry& registry);
    /// Who is asked about a connect, in order (overlays, then the configured mode's plugin).
    const std::vector<plugins::LoadedPlugin*>& authChain() const { return authChain_; }
    /// Who decides a connect after its credentials (ABI 1.2 admission), in load order.
    const std::vector<plugins::LoadedPlugin*>& admissionChain() const { return admissionChain_; }
    /// A plugin's event (payload: JSON text already validated): written to the raw stream when configured.
    void recordEvent(const std::string& event, const std::string& payloadJson);

    /// The scope a session needs to get a plugin's event (fixed at attach; any thread).
    const std::string& eventScope(const std::string& event) const;
    /// Whether any plugin has a hook of this kind (one load and a bit test: callers ask before they build
    /// the hook's JSON).
    bool wants(plugins::HookKind kind) const { return (wanted_ & bit(kind)) != 0; }
    /// Queues the hook for every plugin that wants it; `json` is built once, only when someone does.
    void fire(plugins::HookKind kind, const std::function<std::string()>& json);
    /// Queues a request hook for every plugin that wants one; each builds its JSON on its own hook thread.
    void fireRequest(const plugins::RequestFacts& facts);
    /// Request hooks dropped so far, per plugin, as JSON ({"<id>":{"request":N}}).
    std::string hookDrops() const;
    /// Stops the hook threads after what is queued has run (the server is going).
    void stopHooks();

    /// Why the plugin cannot be registered (a method or event name already taken), or "". Public for
    /// `plugins check`, which judges a plugin against the built-in names with this same rule.
    static std::string nameClash(const rpc::Registry& registry, const plugins::LoadedPlugin& p);

  private:
    void attachHooks();
    void registerPlugin(rpc::Registry& registry, plugins::LoadedPlugin& p);
    void fixAuthChain();
    static uint32_t bit(plugins::HookKind kind) { return 1u << static_cast<unsigned>(kind); }
    config::GatewayConfigPtr config_;
    plugins::PluginHost& plugins_;
    /// Filled by registerPlugin, frozen before the hooks start; shared with the hook threads.
    std::shared_ptr<plugins::MethodOwners> methodOwners_ = std::make_shared<plugins::MethodOwners>();
    std::string rawStreamPath_;
    std::mutex rawMu_;
    std::vector<plugins::LoadedPlugin*> authChain_;
    std::vector<plugins::LoadedPlugin*> admissionChain_;
    std::unordered_map<std::string, std::string> eventScopes_; ///< plugin event -> scope it needs
    std::vector<std::unique_ptr<plugins::HookRunner>> hooks_;  ///< fixed at attach
    uint32_t wanted_ = 0;                                      ///< bits of the kinds some plugin wants
};

} // namespace openclaw::server
