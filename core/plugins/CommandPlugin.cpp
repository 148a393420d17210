#include "plugins/CommandPlugin.h"

namespace openclaw::plugins {

CommandPlugin::CommandPlugin(const config::GatewayConfigPtr& config, const LoadFilter& filter)
    : filter_(filter), services_(std::make_unique<CliServices>(config)),
      host_(std::make_unique<PluginHost>(config, std::vector<std::string>{PluginHost::defaultBundledDir()})) {
    host_->discover();
    host_->load(services_.get(), nullptr, filter_);
}

CommandPlugin::~CommandPlugin() {
    host_->unload();
}

LoadedPlugin* CommandPlugin::plugin() const {
    if (filter_.capability != 0) return host_->withCapability(filter_.capability);
    for (LoadedPlugin* p : host_->loaded())
        if (filter_.matches(p->record().manifest)) return p;
    return nullptr;
}

std::string CommandPlugin::unavailable() const {
    if (plugin()) return "";
    const std::string what = filter_.capability != 0 ? capabilityNames(filter_.capability).front() : "";
    for (const PluginRecord& r : host_->records()) {
        if (r.state == PluginState::Shadowed || !filter_.matches(r.manifest)) continue;
        const std::string reason = r.error.empty() ? r.enabledReason : r.error;
        return "the " + r.manifest.id + " plugin" + (what.empty() ? "" : ", which offers " + what + ",") +
               " is not loaded (" + reason + ")";
    }
    return what.empty() ? "no installed plugin has the id \"" + filter_.id + "\""
                        : "no installed plugin offers " + what;
}

} // namespace openclaw::plugins
