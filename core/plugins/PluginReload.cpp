// A SIGUSR1 reload that keeps the plugins: what the plugins hold (a DNS-SD registration, a tailscale route,
// a tunnel) survives when the reload enables the same plugins from the same binaries. The plugin host's
// own services (timers, the plugin I/O thread, workers) stay up throughout; only the server changes.
#include "plugins/HostApi.h"
#include "plugins/PluginHost.h"

#include "log/Logger.h"

#include <sys/stat.h>

namespace openclaw::plugins {

std::string PluginHost::stampOf(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return "";
    return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino) + ":" + std::to_string(st.st_size) +
           ":" + std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec);
}

namespace {

/// Whether two records of the same slot describe the same plugin in a state a reload can keep.
bool sameSlot(const PluginRecord& now, const PluginRecord& next) {
    if (now.manifest.id != next.manifest.id || now.manifest.manifestPath != next.manifest.manifestPath ||
        now.origin != next.origin)
        return false;
    switch (now.state) {
    case PluginState::Disabled:
    case PluginState::Shadowed:
        return next.state == now.state;
    case PluginState::Discovered: // enabled and left unloaded by the gateway's load: it serves only commands
        return next.state == now.state && now.manifest.servesOnlyCommands() &&
               next.manifest.servesOnlyCommands();
    case PluginState::Loaded:
        return next.state == PluginState::Discovered && next.manifest.version == now.manifest.version &&
               next.manifest.abi == now.manifest.abi && !now.libraryStamp.empty() &&
               PluginHost::stampOf(next.manifest.libraryPath()) == now.libraryStamp;
    default:
        return false; // a plugin that failed is retried by a full restart
    }
}

} // namespace

bool PluginHost::canKeep(const PluginHost& next) const {
    if (loaded_.empty() || records_.size() != next.records_.size()) return false;
    for (size_t i = 0; i < records_.size(); ++i)
        if (!sameSlot(records_[i], next.records_[i])) return false;
    return true;
}

void PluginHost::detachServices() {
    for (auto& lp : loaded_)
        lp->impl_->rebind(nullptr, nullptr, "");
}

void PluginHost::adoptReload(const PluginHost& next, PluginServices* services,
                             const std::atomic<int>* cancel) {
    config_ = next.config_;
    for (size_t i = 0; i < records_.size(); ++i)
        records_[i].configJson = next.records_[i].configJson;
    if (services_) services_->reopenCalls();
    std::vector<std::unique_ptr<LoadedPlugin>> kept;
    InitThread initThread;
    for (auto& lp : loaded_)
        if (auto again = reconfigureOne(std::move(lp), services, cancel, initThread))
            kept.push_back(std::move(again));
    loaded_ = std::move(kept);
}

std::unique_ptr<LoadedPlugin> PluginHost::reconfigureOne(std::unique_ptr<LoadedPlugin> lp,
                                                         PluginServices* services,
                                                         const std::atomic<int>* cancel,
                                                         InitThread& initThread) {
    auto& log = log::Logger::get();
    PluginRecord& rec = *lp->record_;
    lp->impl_->rebind(services, config_, rec.configJson);
    const auto limit = std::chrono::milliseconds(config_->plugins.initTimeoutMs);
    const LoadedPlugin::CallResult r = lp->reconfigure(rec.configJson, limit);
    if (r.status == OC_OK) {
        log.debug("plugins", rec.manifest.id + ": reconfigured in place");
        return lp;
    }
    if (r.status != OC_ERR_NOT_FOUND)
        log.warn("plugins", rec.manifest.id + ": reconfigure failed: " + r.errorText() +
                                "; destroying it and creating it again with the new config");
    lp.reset(); // destroy() + retire, before the new instance is created
    rec.state = PluginState::Discovered;
    std::unique_ptr<LoadedPlugin> fresh;
    if (!openBinary(rec, fresh)) {
        log.warn("plugins", rec.manifest.id + ": " + rec.error + "; continuing without it");
        return nullptr;
    }
    return createInstance(rec, std::move(fresh), services, cancel, initThread);
}

} // namespace openclaw::plugins
