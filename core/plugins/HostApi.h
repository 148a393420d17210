// The host side of oc_host_api: the per-plugin state behind host_ctx (LoadedPlugin::Impl) and the C
// functions a plugin calls. Internal to the plugin host.
//
// Lifetimes: a plugin's Impl and its library stay alive for the rest of the process (keepForever), so
// code of a plugin that misbehaves (a create() abandoned past its timeout, a thread left running after
// destroy) never reaches freed memory; after retire() every call is a harmless no-op returning OC_ERR.
#pragma once

#include "plugins/ConfigAccess.h"
#include "plugins/HostServices.h"
#include "plugins/PluginHost.h"
#include "process/Subprocess.h"

#include <boost/dll/shared_library.hpp>

#include <map>
#include <mutex>
#include <set>
#include <shared_mutex>

namespace openclaw::plugins {

struct LoadedPlugin::Impl {
    boost::dll::shared_library library;
    std::string pluginId;
    std::string configJson;
    ConfigAccess configAccess; ///< what of the gateway section get_config("gateway") hands over
    config::GatewayConfigPtr config;
    std::shared_ptr<HostServices> shared;
    oc_host_api api{}; ///< handed to create(); lives as long as this Impl (for the process)

    std::shared_mutex mu;                ///< guards services, live, config and configJson
    PluginServices* services = nullptr;  ///< the gateway's, while live (null during a reload)
    bool live = true;                    ///< false once retired
    std::atomic<bool> callbacksOn{true}; ///< timer, fd and exit callbacks reach the plugin only while set

    std::mutex ownedMu; ///< guards what the plugin started through the host
    std::set<uint64_t> timers;
    std::set<uint64_t> watches;
    std::map<uint64_t, std::unique_ptr<process::Child>> children;
    uint64_t nextChildId = 1;

    /// After destroy(): no more callbacks into the plugin; its leftover timers, watches and children are
    /// cancelled, unwatched and stopped; from then on every host function answers OC_ERR.
    void retire();
    /// A reload keeps the plugin: the services of the new server (null while there is none), and the new
    /// config and config section (unchanged when null / empty). No-op once retired.
    void rebind(PluginServices* next, config::GatewayConfigPtr nextConfig, std::string nextConfigJson);
};

/// The call the host is making into a plugin on this thread (for oc_host_api.defer).
struct CurrentCall {
    explicit CurrentCall(LoadedPlugin::Impl* impl);
    ~CurrentCall();
    CurrentCall(const CurrentCall&) = delete;
    CurrentCall& operator=(const CurrentCall&) = delete;
    /// The call on this thread, or null.
    static CurrentCall* get();

    LoadedPlugin::Impl* impl;
    uint64_t deferred = 0; ///< the handle defer() gave out during the call (0: none)

  private:
    CurrentCall* previous_;
};

/// The host API table for one plugin (host_ctx = impl).
oc_host_api makeHostApi(LoadedPlugin::Impl* impl);

/// Keeps a plugin's Impl (and with it its library: Envoy's do_not_close) for the rest of the process.
void keepForever(std::shared_ptr<LoadedPlugin::Impl> impl);

/// Appends bytes to a std::string (an oc_sink's write).
void appendToString(void* ctx, const char* data, size_t len);

} // namespace openclaw::plugins
