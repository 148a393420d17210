// The plugin host: discovers manifests (without loading code), decides what is enabled, validates
// each plugin's config against its manifest's schema, negotiates the ABI and loads with Boost.DLL.
// A plugin that cannot be loaded is recorded with the reason and the host carries on without it.
#pragma once

#include "config/GatewayConfig.h"
#include "config/Modes.h"
#include "plugins/Manifest.h"

#include "openclaw/plugin.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace openclaw::plugins {

/// Where a plugin was found, highest precedence first.
enum class PluginOrigin {
    Config,  ///< plugins.load.paths
    Bundled, ///< shipped with the gateway
    State    ///< ~/.openclaw/plugins
};

/// Where a plugin is in its life.
enum class PluginState {
    Discovered, ///< manifest read, enabled, not checked yet
    Disabled,   ///< turned off by config (enabledReason says how)
    Shadowed,   ///< another plugin with the same id takes precedence
    Ready,      ///< binary checked (ABI, entry point), not created
    Loaded,     ///< instance created
    Error       ///< could not be loaded (error says why)
};

/// What the host knows about one discovered plugin.
struct PluginRecord {
    Manifest manifest;
    PluginOrigin origin = PluginOrigin::Bundled;
    bool enabled = false;
    std::string enabledReason; ///< why enabled or disabled, in words
    PluginState state = PluginState::Discovered;
    std::string error;                   ///< the load error, naming the file and what is wrong
    std::optional<AbiVersion> binaryAbi; ///< the ABI the binary answered (unset: not opened)
    std::string configJson = "{}";       ///< validated plugins.entries.<id>.config
    std::string libraryStamp;            ///< the binary's identity when it was opened (file, size, mtime)
};

/// Services the gateway offers to plugins beyond logging and config.
class PluginServices {
  public:
    virtual ~PluginServices() = default;
    /// Broadcasts an event to authenticated sessions.
    virtual bool emitEvent(const std::string& event, const std::string& payloadJson) = 0;
    /// Facts about the running gateway, as JSON ({"port","bindHost","stateDir","version","tls"}).
    virtual std::string runtimeJson() const = 0;
    /// A plugin said that what it reports changed (oc_host_api.state_changed); any thread.
    virtual void pluginStateChanged(const std::string& pluginId) { (void)pluginId; }
};

class HostServices;

/// Which plugins a load creates (the CLI loads only what a command needs); empty = every enabled one.
struct LoadFilter {
    std::string id;          ///< this plugin only ("" = any)
    uint32_t capability = 0; ///< only plugins with this OC_CAP_* bit (0 = any)
    bool matches(const Manifest& m) const;
};

class LoadedPlugin;

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
    /// (what `plugins list` reports). Call after discover().
    void check();
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

    /// Creates the plugin's instance; null (the record says why) when it fails or hangs.
    std::unique_ptr<LoadedPlugin> createInstance(PluginRecord& rec, std::unique_ptr<LoadedPlugin> lp,
                                                 PluginServices* services, const std::atomic<int>* cancel);
    /// adoptReload() for one plugin: reconfigure() when offered, else (or on failure) a new instance; null
    /// when that fails.
    std::unique_ptr<LoadedPlugin> reconfigureOne(std::unique_ptr<LoadedPlugin> lp, PluginServices* services,
                                                 const std::atomic<int>* cancel);

    config::GatewayConfigPtr config_;
    std::vector<std::string> bundledDirs_;
    std::shared_ptr<HostServices> services_; ///< plugin I/O thread, workers (created on first load)
    std::vector<PluginRecord> records_;
    std::vector<std::string> discoveryErrors_;
    std::vector<std::unique_ptr<LoadedPlugin>> loaded_;
};

/// A plugin whose binary is open and (after load) whose instance exists. The descriptor and its vtables
/// are the host's own copies, sized as this host knows them (fields a plugin built against an older
/// minor does not have read as zero/NULL). Every call is exception-safe and returns the plugin's result
/// or error text.
class LoadedPlugin {
  public:
    ~LoadedPlugin();

    const PluginRecord& record() const { return *record_; }
    const oc_plugin_descriptor& descriptor() const { return descriptor_; }
    void* instance() const { return instance_; }
    /// The plugin's methods (copied; strided by the plugin's element size).
    const std::vector<oc_method_def>& methods() const { return methods_; }
    /// The events the plugin announces.
    const std::vector<std::string>& events() const { return events_; }

    /// Result of a call across the ABI.
    struct CallResult {
        int status = OC_ERR;
        std::string result; ///< result JSON on OC_OK
        std::string error;  ///< error text or JSON on failure
    };

    /// auth.verify
    CallResult verifyAuth(const std::string& requestJson) const;
    /// A method from the methods vtable.
    CallResult callMethod(const oc_method_def& def, const std::string& params) const;

    /// Runs once with a call's result (on the thread that produced it).
    using Done = std::function<void(CallResult)>;
    /// auth.verify for a caller that can wait: `done` gets the plugin's answer, or — when it answers
    /// OC_PENDING — its later complete() or a timeout error past `limit`.
    void verifyAuthAsync(const std::string& requestJson, std::chrono::milliseconds limit, Done done) const;
    /// A method, the same way.
    void callMethodAsync(const oc_method_def& def, const std::string& params, std::chrono::milliseconds limit,
                         Done done) const;
    /// descriptor.reconfigure (1.1) with the new config section, within `limit`; OC_ERR_NOT_FOUND when the
    /// plugin offers none.
    CallResult reconfigure(const std::string& configJson, std::chrono::milliseconds limit) const;
    /// exposure.start / exposure.stop
    CallResult exposureStart(const std::string& requestJson) const;
    CallResult exposureStop() const;
    /// exposure.resolve_bind: the tailnet address to bind, or "" when there is none (yet).
    std::string resolveBind() const;
    /// exposure.status (when the plugin has it)
    CallResult exposureStatus() const;
    /// discovery.advertise / withdraw / browse
    CallResult advertise(const std::string& beaconJson) const;
    CallResult withdraw() const;
    CallResult browse(const std::string& requestJson) const;
    /// tunnel.open / tunnel.close (the caller bounds them through the request's budgets)
    CallResult tunnelOpen(const std::string& requestJson) const;
    CallResult tunnelClose(const std::string& handle) const;

    /// Runs `call` on a thread of its own and waits at most `limit`: a plugin that does not answer in time
    /// gets an error result naming `what`, and the caller goes on (the call finishes on its thread; destroy
    /// waits for it, boundedly).
    CallResult within(std::chrono::milliseconds limit, const std::string& what,
                      std::function<CallResult()> call) const;

    /// Host-side state behind oc_host_api.host_ctx (opaque outside the plugin host's sources).
    struct Impl;

  private:
    friend class PluginHost;
    LoadedPlugin();
    /// Copies the plugin's descriptor and vtables; "" when they are sound, else what is wrong.
    std::string adopt(const oc_plugin_descriptor& d);
    std::string adoptCapabilities(const oc_plugin_descriptor& d);
    std::string adoptMethods(const oc_methods_vtable* m);
    void deferrable(const std::function<CallResult()>& call, std::chrono::milliseconds limit,
                    const std::string& what, Done done) const;

    std::shared_ptr<Impl> impl_; ///< shared with host-service callbacks, which may outlive this object
    struct Overruns;
    std::shared_ptr<Overruns> overruns_; ///< calls still running past their limit
    const PluginRecord* record_ = nullptr;
    oc_plugin_descriptor descriptor_{};
    oc_auth_vtable auth_{};
    oc_exposure_vtable exposure_{};
    oc_discovery_vtable discovery_{};
    oc_tunnel_vtable tunnel_{};
    oc_methods_vtable methodsTable_{};
    oc_hooks_vtable hooks_{};
    std::vector<oc_method_def> methods_;
    std::vector<std::string> events_;
    void* instance_ = nullptr;
};

} // namespace openclaw::plugins

namespace openclaw::config {
template <> struct NameTable<plugins::PluginOrigin> {
    static constexpr NamedValue<plugins::PluginOrigin> values[] = {
        {plugins::PluginOrigin::Config, "config"},
        {plugins::PluginOrigin::Bundled, "bundled"},
        {plugins::PluginOrigin::State, "state"}};
};
template <> struct NameTable<plugins::PluginState> {
    static constexpr NamedValue<plugins::PluginState> values[] = {
        {plugins::PluginState::Discovered, "discovered"}, {plugins::PluginState::Disabled, "disabled"},
        {plugins::PluginState::Shadowed, "shadowed"},     {plugins::PluginState::Ready, "ready"},
        {plugins::PluginState::Loaded, "loaded"},         {plugins::PluginState::Error, "error"}};
};
} // namespace openclaw::config
