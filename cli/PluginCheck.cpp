#include "PluginCheck.h"

#include "plugins/PluginHost.h"
#include "rpc/BuiltinMethods.h"
#include "server/PluginBridge.h"

#include <filesystem>

namespace openclaw::cli {

namespace {

/// The built-in methods' state: never asked, since nothing is called; the registry only serves for names.
class NoGateway : public rpc::GatewayState {
  public:
    config::GatewayConfigPtr config() const override { return nullptr; }
    json::ObjectPtr health() const override { return json::makeObject(); }
    json::ArrayPtr presence() const override { return json::makeArray(); }
    json::ObjectPtr runtimeStatus() const override { return json::makeObject(); }
    std::string logFile() const override { return ""; }
    std::shared_ptr<const std::string> healthJson(bool) override { return nullptr; }
    void healthServed() override {}
};

/// A config that knows only this folder: no user config, no state dir, no bundled plugins, so the check
/// says the same wherever it runs.
config::GatewayConfigPtr configFor(const std::string& folder, const std::string& id,
                                   const json::Var& pluginConfig) {
    auto cfg = std::make_shared<config::GatewayConfig>();
    cfg->paths.stateDir.clear();
    cfg->plugins.loadPaths = {folder};
    if (!id.empty()) {
        config::PluginEntryConfig& entry = cfg->plugins.entries[id];
        entry.enabled = true;
        entry.config = pluginConfig;
    }
    return cfg;
}

/// The folder's own record (origin: config), or null.
const plugins::PluginRecord* folderRecord(const plugins::PluginHost& host) {
    for (const plugins::PluginRecord& r : host.records())
        if (r.origin == plugins::PluginOrigin::Config) return &r;
    return nullptr;
}

/// Refuses what the gateway would refuse once the binary is open: a built-in method or event name.
std::string checkNames(const plugins::LoadedPlugin& p) {
    rpc::Registry registry;
    NoGateway state;
    rpc::registerBuiltins(registry, state);
    return server::PluginBridge::nameClash(registry, p);
}

} // namespace

PluginCheckResult checkPluginFolder(const std::string& folder, const json::Var& pluginConfig) {
    PluginCheckResult out;
    std::error_code ec;
    if (!std::filesystem::is_directory(folder, ec)) {
        out.error =
            folder + ": not a folder (give the plugin's folder, the one with its openclaw.plugin.json)";
        return out;
    }
    plugins::PluginHost first(configFor(folder, "", json::Var()), {});
    first.discover();
    if (!first.discoveryErrors().empty()) {
        out.error = first.discoveryErrors().front();
        return out;
    }
    const plugins::PluginRecord* found = folderRecord(first);
    if (!found) {
        out.error = folder + ": no openclaw.plugin.json here (give the plugin's folder)";
        return out;
    }
    out.id = found->manifest.id;
    // Again with the plugin enabled and, when given, its config section: the gateway's own checks decide.
    plugins::PluginHost host(configFor(folder, out.id, pluginConfig), {});
    host.discover();
    host.check(checkNames);
    const plugins::PluginRecord* rec = folderRecord(host);
    out.version = rec->manifest.version;
    out.abi = rec->manifest.abi.text();
    if (rec->state == plugins::PluginState::Error) out.error = rec->error;
    out.ok = out.error.empty();
    return out;
}

} // namespace openclaw::cli
