// The plugins' side of the server: their methods and events in the RPC registry (each plugin method
// called off the reactor, its answer or error turned into the RPC reply), the auth chain fixed at attach,
// and the events plugins emit (also written to the raw stream file when one is configured).
#pragma once

#include "config/GatewayConfig.h"
#include "plugins/PluginHost.h"
#include "rpc/Registry.h"
#include "json/Json.h"

#include <mutex>
#include <string>
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
    /// A plugin's event: written to the raw stream when configured; returns the payload to broadcast.
    /// Throws on a payload that is not JSON (the host answers the plugin OC_ERR).
    json::Var recordEvent(const std::string& event, const std::string& payloadJson);

  private:
    config::GatewayConfigPtr config_;
    plugins::PluginHost& plugins_;
    std::string rawStreamPath_;
    std::mutex rawMu_;
    std::vector<plugins::LoadedPlugin*> authChain_;
};

} // namespace openclaw::server
