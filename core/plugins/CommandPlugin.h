// One plugin loaded for a CLI command (`gateway discover`, `probe --ssh`, `status`'s tailnet facts,
// `plugins info`): its own plugin host and CLI services, torn down in the right order, and — when nothing
// was loaded — the reason in words that name the missing capability and the installed plugin offering it.
#pragma once

#include "plugins/CliServices.h"
#include "plugins/PluginHost.h"

#include <memory>
#include <string>

namespace openclaw::plugins {

/// Loads the plugins a command needs (a LoadFilter: one capability or one id) and unloads them when it
/// goes. The services outlive the host, so a plugin's destroy() never sees them freed.
class CommandPlugin {
  public:
    /// Discovers with `config` and loads what `filter` selects; never throws for a plugin that fails
    /// (the record says why).
    CommandPlugin(const config::GatewayConfigPtr& config, const LoadFilter& filter);
    ~CommandPlugin();
    CommandPlugin(const CommandPlugin&) = delete;
    CommandPlugin& operator=(const CommandPlugin&) = delete;

    /// The loaded plugin the filter asked for (by capability, else by id), or null.
    LoadedPlugin* plugin() const;
    /// Why plugin() is null, e.g. "no installed plugin offers discovery" or "the bonjour plugin, which
    /// offers discovery, is not loaded (disabled in config)"; "" when it is loaded.
    std::string unavailable() const;
    /// The host (records, load errors).
    const PluginHost& host() const { return *host_; }

  private:
    LoadFilter filter_;
    std::unique_ptr<CliServices> services_; ///< declared before the host: destroyed after it
    std::unique_ptr<PluginHost> host_;
};

} // namespace openclaw::plugins
