// The running gateway's life as explicit phases. `gateway run` (server/GatewayRunner) drives them and
// owns the signals; tests drive them in-process, one phase at a time.
//
//   loadConfig → resolveAuth → loadPlugins → bind → startExposure → advertise → ready
//   reload (SIGUSR1): loadConfig; when it enables the same, unchanged plugins, they are kept (reconfigure or
//     destroy + create, each) around a new server, the route stays unless port or mode changed, and the
//     beacon is replaced, never withdrawn; otherwise stop + the phases above with the new config
//   stop: withdraw the beacon, reset the exposure, close sessions, destroy plugins
//
// The tailscale plugin is started in startExposure() and reset in stop(); the bonjour plugin is handed
// its beacon in advertise() and withdrawn in stop().
#pragma once

#include "config/ConfigLoader.h"
#include "config/Modes.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace openclaw::plugins {
class PluginHost;
}

namespace openclaw::server {

class GatewayServer;

/// sysexits' EX_CONFIG: config and guard refusals.
constexpr int kExitConfig = 78;

/// What a run needs beyond the config: `gateway run` flags and the test knobs of the environment.
struct LifecycleOptions {
    bool allowUnconfigured = false;
    bool force = false; ///< stop whatever listens on the port first
    config::WsLogStyle wsLog = config::WsLogStyle::Auto;
    std::string rawStreamPath;                  ///< JSONL of plugin events ("" = off)
    std::vector<std::string> bundledPluginDirs; ///< empty: PluginHost::defaultBundledDir()
    int tickIntervalMs = 30000;                 ///< OPENCLAW_TICK_INTERVAL_MS
    int pingIntervalMs = 25000;                 ///< OPENCLAW_PING_INTERVAL_MS
};

/// The gateway's phases. Each phase returns 0 to go on, kInterrupted when a stop request ended it, or
/// the exit code to stop with; after anything but 0 the caller calls stop().
class GatewayLifecycle {
  public:
    static constexpr int kInterrupted = -1;

    GatewayLifecycle(config::Environment env, config::ProfileOptions profile, config::Overrides overrides,
                     LifecycleOptions options);
    /// Stops whatever is still up.
    ~GatewayLifecycle();
    GatewayLifecycle(const GatewayLifecycle&) = delete;
    GatewayLifecycle& operator=(const GatewayLifecycle&) = delete;

    /// Reads, checks and builds the config; throws config::ConfigError (nothing changes then).
    config::GatewayConfigPtr loadConfig() const;
    /// Makes `cfg` the config the next start() brings up, and logs its warnings.
    void useConfig(config::GatewayConfigPtr cfg);

    /// resolveAuth … ready in order. `stopRequested` (non-zero once a stop was asked for) is read between
    /// phases and ends a wait for a plugin's init.
    int start(const std::atomic<int>* stopRequested = nullptr);
    /// The guards that need no plugin (mode, bind without auth, tailscale rules), then plugin discovery
    /// and the plugins the config needs (tailscale for serve/funnel/tailnet).
    int resolveAuth();
    /// Creates the server and the plugins; the configured auth mode must be served by one of them.
    int loadPlugins(const std::atomic<int>* cancel = nullptr);
    /// The addresses (the tailnet one from the exposure plugin), --force, TLS, then listening.
    int bind();
    /// tailscale serve/funnel through the exposure plugin; a failure warns and the gateway keeps serving.
    /// Then reads the plugin's status (its tailnet name) for the beacon.
    void startExposure();
    /// Hands the beacon (port, TLS, the exposure's tailnet name) to the discovery plugin, when one is
    /// loaded; a failure warns. A plugin's state_changed later re-reads the exposure and re-advertises.
    void advertise();
    /// Logs where the gateway listens, with which auth and plugins, and "ready".
    void ready();

    /// SIGUSR1: the new config, then a new server around the same plugins (when it enables the same,
    /// unchanged ones) or stop + start. An invalid config or commands.restart=false keeps the running
    /// gateway (0). Returns what start() returns otherwise.
    int reload(const std::atomic<int>* stopRequested = nullptr);
    /// Withdraws the beacon, resets the exposure (resetOnExit), closes every session with 1012 and
    /// `reason`, destroys the plugins. Safe to call at any point and more than once.
    void stop(const std::string& reason);

    const config::GatewayConfigPtr& config() const { return config_; }
    /// The server once loadPlugins() created it (null before and after stop()).
    GatewayServer* server() const { return server_.get(); }
    /// The plugin host once resolveAuth() discovered the plugins (null before and after stop()).
    plugins::PluginHost* plugins() const { return host_.get(); }
    /// The addresses bind() listens on.
    const std::vector<std::string>& hosts() const { return hosts_; }

  private:
    bool needsExposure() const;
    int checkStartGuards() const;
    int checkExposureAvailable(const plugins::PluginHost& host) const;
    void createServer();
    int checkAuthServed() const;
    /// A reload finished: the plugins' config_reload hooks hear the new gateway section (secrets redacted).
    void announceReload();
    int restartKeepingPlugins(config::GatewayConfigPtr next, const plugins::PluginHost& candidate,
                              const std::atomic<int>* stopRequested);
    /// Stops the exposure when `reset` and it was started; forgets its facts either way.
    void resetExposureLocked(bool reset);
    std::string tailnetAddress() const;
    void readExposureFacts();
    void advertiseLocked();
    /// The beacon handed to the discovery plugin: {gatewayPort, gatewayTls, gatewayTlsSha256, tailnetDns,
    /// tailnetIPv4, mdnsMode, wideAreaDomain, sshPort, cliPath, stateDir}.
    json::ObjectPtr beacon() const;
    void onPluginStateChanged(const std::string& pluginId);
    void addTailnetListener();
    void withdrawAndReset();
    void stopPortOwners() const;
    int serveTls();

    config::Environment env_;
    config::ProfileOptions profile_;
    config::Overrides overrides_;
    LifecycleOptions options_;
    config::GatewayConfigPtr config_;
    std::unique_ptr<plugins::PluginHost> host_;
    std::unique_ptr<GatewayServer> server_;
    std::vector<std::string> hosts_;
    /// Taken by advertise, a plugin's state change and stop: the beacon and the exposure facts change
    /// together.
    std::mutex orchestration_;
    bool exposureAttempted_ = false; ///< exposure start was asked (reset on exit even when it failed)
    bool exposureStarted_ = false;   ///< and it succeeded: the route is up
    bool advertised_ = false;
    bool serving_ = false;    ///< between ready() and stop(): state changes are acted on
    std::string tailnetDns_;  ///< from exposure.status (dnsName), for the beacon
    std::string tailnetIPv4_; ///< from exposure.status (address), for the wide-area zone
};

} // namespace openclaw::server
