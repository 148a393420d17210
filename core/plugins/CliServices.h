// The host services of a CLI command that loads plugins (`plugins info`, later `gateway discover` and
// `probe --ssh`): timers, child processes and descriptor watching as in the gateway; no sessions, so no
// events.
#pragma once

#include "net/TimerService.h"
#include "plugins/PluginHost.h"

namespace openclaw::plugins {

/// PluginServices for a command: its own timer thread; emit_event answers OC_ERR (nobody listens).
class CliServices : public PluginServices {
  public:
    explicit CliServices(config::GatewayConfigPtr config) : config_(std::move(config)) {}
    bool emitEvent(const std::string& event, const std::string& payloadJson) override;
    std::string runtimeJson() const override;
    uint64_t addTimer(uint32_t intervalMs, bool repeat, std::function<void()> fn) override;
    void cancelTimer(uint64_t id) override;

  private:
    config::GatewayConfigPtr config_;
    net::TimerService timers_;
};

} // namespace openclaw::plugins
