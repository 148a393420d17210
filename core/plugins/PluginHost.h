// The plugin host: discovers manifests (without loading code), decides what is enabled, validates
// each plugin's config against its manifest's schema, negotiates the ABI and loads with Boost.DLL.
// A plugin that cannot be loaded is recorded with the reason and the host carries on without it.
#pragma once

#include "config/GatewayConfig.h"
#include "config/Modes.h"
#include "plugins/InitThread.h"
#include "plugins/LoadedPlugin.h"
#include "plugins/Manifest.h"
#include "plugins/PluginRecord.h"

#include "openclaw/plugin.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace openclaw::plugins {

/// Services the gateway offers to plugins beyond logging and config.
class PluginServices {
  public:
    virtual ~PluginServices() = default;
    /// Broadcasts an event to authenticated sessions; `payloadJson` is JSON text already validated (it goes
    /// into the frames as it is).
    virtual bool emitEvent(const std::string& event, const std::string& payloadJson) = 0;
    /// Facts about the running gateway, as JSON ({"port","bindHost","stateDir","version","tls"}).
    virtual std::string runtimeJson() const = 0;
    /// A plugin said that what it reports changed (oc_host_api.state_changed); any thread.
    virtual void pluginStateChanged(const std::string& pluginId) { (void)pluginId; }

    // --- 1.2: sessions (any thread) ---
    /// Sends an event to one session (with its next seq only when `withSeq`); false when it has gone.
    virtual bool sendToSession(uint64_t sessionId, const std::string& event, const std::string& payloadJson,
                               bool withSeq) {
        (void)sessionId, (void)event, (void)payloadJson, (void)withSeq;
        return false; // a command has no sessions
    }
    /// Closes one session; false when it has gone.
    virtual bool closeSession(uint64_t sessionId, int code, const std::string& reason) {
        (void)sessionId, (void)code, (void)reason;
        return false;
    }
    /// Broadcasts to the sessions of a role (0 = all, else an oc_role) holding `scope` ("" = any); false when
    /// the scope is not an operator scope.
    virtual bool broadcastFiltered(const std::string& event, const std::string& payloadJson, int roleFilter,
                                   const std::string& scope) {
        (void)event, (void)payloadJson, (void)roleFilter, (void)scope;
        return false;
    }
    /// The open sessions as JSON (oc_host_api.list_sessions); roleFilter 0 = all, else an oc_role.
    virtual std::string listSessions(int roleFilter) const {
        (void)roleFilter;
        return "[]";
    }
    /// What the plugins' bounded hook queues dropped, as JSON ({"<id>":{"request":N}}).
    virtual std::string hookDrops() const { return "{}"; }
};

class HostServices;

/// Which plugins a load creates (the CLI loads only what a command needs); empty = every enabled one.
struct LoadFilter {
    std::string id;          ///< this plugin only ("" = any)
    uint32_t capability = 0; ///< only plugins with this OC_CAP_* bit (0 = any)
    /// Leaves out plugins that serve only CLI commands (Manifest::servesOnlyCommands): a gateway's load.
    bool skipCommandOnly = false;
    bool matches(const Manifest& m) const;
};

/// Discovers, checks and loads plugins.
class PluginHost {
  public:
    /// `bundledDirs`: folders of the plugins shipped with the gateway.
    PluginHost(config::GatewayConfigPtr config, std::vector<std::string> bundledDirs);
    ~PluginHost();
    PluginHost(const PluginHost&) = delete;
    PluginHost& operator=(const PluginHost&) = delete;

    /// Reads every manifest and decides enablement. Cheap; loads no code.
    void discover();
    /// Opens each enabled plugin's binary and negotiates the ABI without creating it
    /// (what `plugins list` reports). Call after discover(). `inspect`, when given, sees each binary that
    /// passed while it is open (its methods, events, routes), and may refuse it by returning a reason.
    void check(const std::function<std::string(const LoadedPlugin&)>& inspect = {});
    /// check() + create() for each enabled plugin; failures are recorded and logged. When `cancel`
    /// becomes non-zero (a stop request during start-up) the wait for a create() ends and no further
    /// plugin is created.
    void load(PluginServices* services, const std::atomic<int>* cancel = nullptr,
              const LoadFilter& only = {});
    /// Destroys every instance (reverse order) and unloads the binaries.
    void unload();

    // --- a SIGUSR1 reload that keeps the plugins ---
    /// Whether the plugins loaded now can serve `next` (discovered with the new config, not loaded): it
    /// enables the same plugins from the same, unchanged binaries, and none of them failed.
    bool canKeep(const PluginHost& next) const;
    /// The server is going: the loaded plugins' host calls that need it answer OC_ERR until adoptReload().
    void detachServices();
    /// Keeps the loaded plugins: `next`'s config, each plugin's new config section and the new server's
    /// `services`; then each plugin's reconfigure(), or destroy + create for one that has none or whose
    /// reconfigure fails.
    void adoptReload(const PluginHost& next, PluginServices* services, const std::atomic<int>* cancel);
    /// Drops every call a plugin has not answered yet (their callers are going) and waits until no
    /// completion callback runs any more. The server calls it before its threads go.
    void closePendingCalls();

    /// Every discovered plugin, highest precedence first.
    const std::vector<PluginRecord>& records() const { return records_; }
    /// Manifests or folders that could not be read (with file and reason).
    const std::vector<std::string>& discoveryErrors() const { return discoveryErrors_; }
    /// Destroys a loaded plugin the server cannot take (a method or event name that is already taken): its
    /// record says `reason` (plugins list/info, health.plugins.errors). Before the server registers it.
    void refuse(LoadedPlugin* plugin, const std::string& reason);
    /// Loaded plugins in load order.
    std::vector<LoadedPlugin*> loaded() const;
    /// The loaded plugin serving an auth mode, or null (overlays never serve a mode).
    LoadedPlugin* authPlugin(config::AuthMode mode) const;
    /// Who is asked about a connect, in order: the auth overlays (plugins.authOverlays, else by manifest
    /// priority, higher first), then the plugin serving `mode` (last; absent when none is loaded).
    std::vector<LoadedPlugin*> authChain(config::AuthMode mode) const;
    /// The first loaded plugin with a capability bit, or null.
    LoadedPlugin* withCapability(uint32_t cap) const;
    /// A record by id, or null.
    const PluginRecord* find(const std::string& id) const;

    /// The bundled plugin folder for this executable: $OPENCLAW_BUNDLED_PLUGINS_DIR, else
    /// <exe>/../lib/openclaw/plugins.
    static std::string defaultBundledDir();

    /// A binary's identity for canKeep(): device, inode, size and modification time ("" when absent).
    static std::string stampOf(const std::string& path);

    /// The ABI this host speaks.
    static AbiVersion hostAbi() { return {OC_ABI_VERSION_MAJOR, OC_ABI_VERSION_MINOR}; }

  private:
    void scanRoot(const std::string& dir, PluginOrigin origin);
    void addManifest(const std::string& manifestPath, PluginOrigin origin);
    bool openBinary(PluginRecord& rec, std::unique_ptr<LoadedPlugin>& out);
    /// Opens and checks the binary into `lp`; the error ("" = none) names the file and what is wrong.
    std::string openInto(PluginRecord& rec, LoadedPlugin& lp);

    /// Gives the plugin its host API (services, config, its config section).
    void bindHostApi(const PluginRecord& rec, LoadedPlugin& lp, PluginServices* services);
    /// Creates the plugin's instance; null (the record says why) when it fails or hangs.
    std::unique_ptr<LoadedPlugin> createInstance(PluginRecord& rec, std::unique_ptr<LoadedPlugin> lp,
                                                 PluginServices* services, const std::atomic<int>* cancel,
                                                 InitThread& initThread);
    /// adoptReload() for one plugin: reconfigure() when offered, else (or on failure) a new instance; null
    /// when that fails.
    std::unique_ptr<LoadedPlugin> reconfigureOne(std::unique_ptr<LoadedPlugin> lp, PluginServices* services,
                                                 const std::atomic<int>* cancel, InitThread& initThread);

    config::GatewayConfigPtr config_;
    std::vector<std::string> bundledDirs_;
    std::shared_ptr<HostServices> services_; ///< plugin I/O thread, workers (created on first load)
    std::vector<PluginRecord> records_;
    std::vector<std::string> discoveryErrors_;
    std::vector<std::unique_ptr<LoadedPlugin>> loaded_;
};

} // namespace openclaw::plugins
