#include "PluginConfigCheck.h"

#include "plugins/PluginHost.h"
#include "json/SchemaValidator.h"

namespace openclaw::cli {

PluginCheckScope PluginCheckScope::ofEdit(const std::string& keyPath) {
    const std::string entries = "plugins.entries.";
    PluginCheckScope scope;
    if (keyPath != "plugins" && keyPath.rfind("plugins.", 0) != 0) {
        scope.discovery = false;
        scope.configs = false;
    } else if (keyPath.rfind(entries, 0) == 0) {
        scope.discovery = false;
        scope.onlyPlugin = keyPath.substr(entries.size(), keyPath.find('.', entries.size()) - entries.size());
    }
    return scope;
}

namespace {

/// One problem: where in the config (a key path; "" for a file or folder outside it) and what.
struct Problem {
    std::string keyPath;
    std::string message;
};

/// The schema's verdict on one plugin's section.
void addSchemaProblems(const config::GatewayConfig& cfg, const plugins::PluginRecord& rec,
                       std::vector<Problem>& problems) {
    const std::string& id = rec.manifest.id;
    auto entry = cfg.plugins.entries.find(id);
    const json::Var section = entry == cfg.plugins.entries.end() || entry->second.config.isEmpty()
                                  ? json::Var(json::makeObject())
                                  : entry->second.config;
    for (const auto& v : rec.manifest.checkConfig(section)) {
        const std::string path = "plugins.entries." + id + ".config" + (v.path.empty() ? "" : "." + v.path);
        const std::string what =
            v.message + " (the " + id + " plugin's configSchema, in " + rec.manifest.manifestPath + ")";
        problems.push_back({path, what});
    }
}

std::vector<Problem> findProblems(const config::GatewayConfigPtr& cfg, const PluginCheckScope& scope) {
    std::vector<Problem> problems;
    if (!scope.discovery && !scope.configs) return problems;
    plugins::PluginHost host(cfg, {plugins::PluginHost::defaultBundledDir()});
    host.discover();
    if (scope.discovery)
        for (const std::string& e : host.discoveryErrors())
            problems.push_back({"", e});
    if (!scope.configs) return problems;
    for (const plugins::PluginRecord& rec : host.records()) {
        if (rec.state == plugins::PluginState::Shadowed) continue;
        // An edit of one plugin's section is checked even while the plugin is off: it is what enabling runs.
        if (scope.onlyPlugin.empty() ? !rec.enabled : rec.manifest.id != scope.onlyPlugin) continue;
        addSchemaProblems(*cfg, rec, problems);
    }
    return problems;
}

/// A problem as an error placed in the file (file:line:col) when it has a key path and `doc` is given.
config::ConfigError located(const Problem& p, const config::Document* doc, const std::string& suffix = "") {
    if (p.keyPath.empty() || !doc) return config::ConfigError("", {}, p.keyPath, p.message + suffix);
    return doc->error(p.keyPath, p.message + suffix);
}

} // namespace

std::vector<std::string> pluginConfigProblems(const config::GatewayConfigPtr& cfg,
                                              const config::Document* doc, const PluginCheckScope& scope) {
    std::vector<std::string> out;
    for (const Problem& p : findProblems(cfg, scope))
        out.push_back(p.keyPath.empty() ? p.message : located(p, doc).what());
    return out;
}

void requirePluginConfigs(const config::GatewayConfig& cfg, const config::Document& doc,
                          const PluginCheckScope& scope) {
    const std::vector<Problem> problems =
        findProblems(std::make_shared<const config::GatewayConfig>(cfg), scope);
    if (problems.empty()) return;
    const std::string more =
        problems.size() > 1 ? " (and " + std::to_string(problems.size() - 1) + " more problem(s))" : "";
    if (problems.front().keyPath.empty())
        throw config::ConfigError(doc.file, {}, "", problems.front().message + more);
    throw located(problems.front(), &doc, more);
}

} // namespace openclaw::cli
