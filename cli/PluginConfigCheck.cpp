#include "PluginConfigCheck.h"

#include "config/ConfigLoader.h"
#include "plugins/PluginHost.h"
#include "json/SchemaValidator.h"

#include <optional>

namespace openclaw::cli {

namespace {

/// The config file as a document (for positions); nothing when it cannot be read.
std::optional<config::Document> documentOf(const std::string& configPath) {
    try {
        if (auto text = config::readConfigText(configPath)) return config::parseConfigText(*text, configPath);
    } catch (const std::exception&) {
        // It was just loaded successfully; a race with an editor leaves the messages without positions.
    }
    return std::nullopt;
}

} // namespace

std::vector<std::string> pluginConfigProblems(const config::GatewayConfigPtr& cfg,
                                              const std::string& configPath) {
    plugins::PluginHost host(cfg, {plugins::PluginHost::defaultBundledDir()});
    host.discover();
    std::vector<std::string> problems = host.discoveryErrors();
    const std::optional<config::Document> doc = documentOf(configPath);
    for (const plugins::PluginRecord& rec : host.records()) {
        if (!rec.enabled || rec.state == plugins::PluginState::Shadowed) continue;
        const std::string id = rec.manifest.id;
        auto entry = cfg->plugins.entries.find(id);
        if (entry == cfg->plugins.entries.end() || entry->second.config.isEmpty()) continue;
        for (const auto& v : json::validateSchema(rec.manifest.configSchema, entry->second.config)) {
            const std::string path =
                "plugins.entries." + id + ".config" + (v.path.empty() ? "" : "." + v.path);
            const std::string what =
                v.message + " (the " + id + " plugin's configSchema, in " + rec.manifest.manifestPath + ")";
            problems.push_back(doc ? doc->error(path, what).what() : path + ": " + what);
        }
    }
    return problems;
}

} // namespace openclaw::cli
