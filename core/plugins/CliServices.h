// The host services of a CLI command that loads plugins (`plugins info`, later `gateway discover` and
// `probe --ssh`): timers, child processes and descriptor watching as in the gateway; no sessions, so no
// events.
#pragma once

#include "plugins/PluginHost.h"

namespace openclaw::plugins {

/// PluginServices for a command: emit_event answers OC_ERR (nobody listens); timers, processes and
/// descriptors come from the plugin host's own services, as in the gateway.
class CliServices : public PluginServices {
  public:
    explicit CliServices(config::GatewayConfigPtr config) : config_(std::move(config)) {}
    bool emitEvent(const std::string& event, const std::string& payloadJson) override;
    std::string runtimeJson() const override;

  private:
    config::GatewayConfigPtr config_;
};

} // namespace openclaw::plugins
