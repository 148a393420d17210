// `openclaw plugins list [--json]` and `openclaw plugins info <id> [--json]`.
#include "Args.h"
#include "Context.h"

#include "config/ConfigEditor.h"
#include "config/ConfigLoader.h"
#include "config/ConfigWriter.h"
#include "plugins/CommandPlugin.h"
#include "plugins/PluginHost.h"
#include "json/Json.h"

#include <iostream>

namespace openclaw::cli {

namespace {

/// The state, except that a plugin whose feature is not implemented yet is never called "ready".
std::string status(const plugins::PluginRecord& r) {
    if (r.state == plugins::PluginState::Ready && !r.manifest.unfinished.empty()) return "unfinished";
    return config::nameOf(r.state);
}

/// The state as a person reads it.
std::string statusText(const plugins::PluginRecord& r) {
    return status(r) == "unfinished" ? "not implemented yet: " + r.manifest.unfinished : status(r);
}

json::ObjectPtr toJson(const plugins::PluginRecord& r) {
    json::ObjectPtr o = json::makeObject();
    o->set("id", r.manifest.id);
    o->set("name", r.manifest.name);
    o->set("version", r.manifest.version);
    o->set("abi", r.manifest.abi.text());
    o->set("binaryAbi", r.binaryAbi ? json::Var(r.binaryAbi->text()) : json::Var());
    json::ArrayPtr caps = json::makeArray();
    for (const auto& c : r.manifest.capabilities)
        caps->add(c);
    o->set("capabilities", caps);
    if (!r.manifest.authMode.empty()) o->set("authMode", r.manifest.authMode);
    o->set("origin", std::string(config::nameOf(r.origin)));
    o->set("path", r.manifest.libraryPath());
    o->set("manifest", r.manifest.manifestPath);
    o->set("enabled", r.enabled);
    o->set("enabledReason", r.enabledReason);
    o->set("status", status(r));
    o->set("unfinished", r.manifest.unfinished.empty() ? json::Var() : json::Var(r.manifest.unfinished));
    o->set("error", r.error.empty() ? json::Var() : json::Var(r.error));
    return o;
}

/// "configAccess" as `plugins info --json` shows it: "legacy" (all of it), or the paths and the secrets flag.
json::Var configAccessJson(const plugins::ConfigAccess& a) {
    if (a.legacy) return json::Var(std::string("all (legacy: ABI 1.0/1.1)"));
    json::ObjectPtr o = json::makeObject();
    json::ArrayPtr paths = json::makeArray();
    for (const auto& p : a.gateway)
        paths->add(p);
    o->set("gateway", paths);
    o->set("secrets", a.secrets);
    return o;
}

std::string configAccessText(const plugins::ConfigAccess& a) {
    if (a.legacy) return "all of the gateway section, secrets included (legacy: ABI 1.0/1.1)";
    if (a.gateway.empty()) return "none";
    std::string s;
    for (const auto& p : a.gateway)
        s += (s.empty() ? "gateway." : ", gateway.") + p;
    return s + (a.secrets ? " (secrets included)" : " (secrets redacted)");
}

std::string capsText(const plugins::PluginRecord& r) {
    std::string s;
    for (const auto& c : r.manifest.capabilities)
        s += (s.empty() ? "" : ",") + c;
    return s;
}

const std::vector<OptionSpec> kSpecs = {{"json", false, "machine-readable output"},
                                        {"help", false, "show this help"}};

/// Whether a plugin the binary check passed also creates (its init runs), tried by loading just that plugin
/// with the CLI's host services; not tried for a plugin that is disabled or already failed the check.
struct LoadCheck {
    bool tried = false;
    std::string error;        ///< "" when it loaded
    json::ObjectPtr exposure; ///< what an exposure plugin reports (exposure.status), when it has it
};

LoadCheck tryLoading(const config::GatewayConfigPtr& cfg, const std::string& id,
                     const plugins::PluginRecord& checked) {
    LoadCheck c;
    if (checked.state != plugins::PluginState::Ready) return c;
    plugins::LoadFilter only;
    only.id = id;
    const plugins::CommandPlugin loaded(cfg, only);
    c.tried = true;
    const plugins::PluginRecord* r = loaded.host().find(id);
    if (r && r->state != plugins::PluginState::Loaded) c.error = r->error;
    // An exposure plugin says what it sees (the tailscale plugin: which CLI it found, the tailnet state).
    if (plugins::LoadedPlugin* p = loaded.host().withCapability(OC_CAP_EXPOSURE)) {
        const plugins::LoadedPlugin::CallResult status = p->exposureStatus();
        const std::optional<json::Var> parsed =
            status.status == OC_OK ? json::tryParse(status.result) : std::nullopt;
        if (parsed) c.exposure = json::asObject(*parsed);
    }
    return c;
}

/// `plugins enable|disable <id>...`: every id must be known; one validated write for all of them.
int switchPlugins(const Context& ctx, const plugins::PluginHost& host, const std::vector<std::string>& pos) {
    if (pos.size() < 2) throw UsageError("plugins " + pos[0] + " needs at least one plugin id");
    const bool enable = pos[0] == "enable";
    for (size_t i = 1; i < pos.size(); ++i)
        if (!host.find(pos[i])) {
            std::cerr << "Plugin not found: " << pos[i]
                      << " (see `openclaw plugins list`). Nothing was written.\n";
            return 1;
        }
    const config::Paths paths = config::resolvePaths(ctx.env, ctx.profile, &config::fileExists);
    try {
        auto old = config::readConfigText(paths.configPath);
        std::string text = old ? *old : "{\n}\n";
        for (size_t i = 1; i < pos.size(); ++i)
            text = config::setConfigValue(text, paths.configPath, "plugins.entries." + pos[i] + ".enabled",
                                          json::Var(enable));
        config::writeValidatedConfig(paths.configPath, old, text, config::ConfigRole::Shared, paths, ctx.env);
    } catch (const config::ConfigError& e) {
        std::cerr << "Cannot " << pos[0] << ": " << e.what() << "\nNothing was written.\n";
        return 1;
    }
    for (size_t i = 1; i < pos.size(); ++i)
        std::cout << (enable ? "Enabled " : "Disabled ") << pos[i] << " (plugins.entries." << pos[i]
                  << ".enabled: " << (enable ? "true" : "false") << ").\n";
    std::cout << "Send SIGUSR1 to the running gateway, or run `openclaw gateway restart` for the service, to "
                 "apply.\n";
    return 0;
}

} // namespace

int runPlugins(Context& ctx, size_t argIndex) {
    Args args = Args::parse(ctx.argv, argIndex, kSpecs);
    const auto& pos = args.positionals();
    if (args.has("help") || pos.empty()) {
        std::cout << renderHelp(
            "openclaw plugins <list|info <id>|enable <id>...|disable <id>...> [--json]",
            "Lists the plugins the gateway discovers, with version, ABI, capabilities,\n"
            "path, whether each is enabled and why, and any load error. info <id> also\n"
            "loads that plugin (its init runs, then it is destroyed) and says whether it\n"
            "loads. enable/disable write plugins.entries.<id>.enabled in openclaw.json.",
            kSpecs);
        return pos.empty() && !args.has("help") ? 1 : 0;
    }
    auto cfg = std::make_shared<const config::GatewayConfig>(ctx.loadConfig({}));
    plugins::PluginHost host(cfg, {plugins::PluginHost::defaultBundledDir()});
    host.discover();
    host.check();
    const bool asJson = args.has("json");

    if (pos[0] == "list") {
        if (asJson) {
            json::ObjectPtr out = json::makeObject();
            json::ArrayPtr list = json::makeArray();
            for (const auto& r : host.records())
                list->add(toJson(r));
            out->set("plugins", list);
            json::ArrayPtr errors = json::makeArray();
            for (const auto& e : host.discoveryErrors())
                errors->add(e);
            out->set("errors", errors);
            std::cout << json::stringify(out, 2) << "\n";
            return 0;
        }
        std::cout << "Plugins (" << host.records().size() << ")\n";
        for (const auto& r : host.records()) {
            std::cout << "- " << r.manifest.id << " " << r.manifest.version << "  abi "
                      << r.manifest.abi.text() << "  [" << capsText(r) << "]  " << statusText(r) << " ("
                      << r.enabledReason << ")\n"
                      << "    " << r.manifest.libraryPath() << "\n";
            if (!r.error.empty()) std::cout << "    error: " << r.error << "\n";
        }
        for (const auto& e : host.discoveryErrors())
            std::cout << "! " << e << "\n";
        return 0;
    }
    if (pos[0] == "info") {
        if (pos.size() < 2) throw UsageError("plugins info needs a plugin id (see `openclaw plugins list`)");
        const plugins::PluginRecord* r = host.find(pos[1]);
        if (!r) {
            std::cerr << "Plugin not found: " << pos[1] << " (see `openclaw plugins list`)\n";
            return 1;
        }
        const LoadCheck loads = tryLoading(cfg, pos[1], *r);
        if (asJson) {
            json::ObjectPtr o = toJson(*r);
            o->set("description", r->manifest.description);
            o->set("configSchema", r->manifest.configSchema);
            o->set("configAccess", configAccessJson(r->manifest.configAccess));
            o->set("loads", loads.tried ? json::Var(loads.error.empty()) : json::Var());
            if (loads.tried && !loads.error.empty()) o->set("loadError", loads.error);
            if (loads.exposure) o->set("exposureStatus", loads.exposure);
            std::cout << json::stringify(o, 2) << "\n";
            return 0;
        }
        std::cout << r->manifest.name << " (" << r->manifest.id << ")\n"
                  << "Version: " << r->manifest.version << "\n"
                  << "ABI: " << r->manifest.abi.text()
                  << (r->binaryAbi ? " (binary " + r->binaryAbi->text() + ")" : "")
                  << " (this gateway: " << plugins::PluginHost::hostAbi().text() << ")\n"
                  << "Capabilities: " << capsText(*r) << "\n"
                  << "Origin: " << config::nameOf(r->origin) << "\n"
                  << "Path: " << r->manifest.libraryPath() << "\n"
                  << "Status: " << statusText(*r) << " (" << r->enabledReason << ")\n";
        if (!r->manifest.description.empty()) std::cout << "Description: " << r->manifest.description << "\n";
        std::cout << "Gateway config it reads: " << configAccessText(r->manifest.configAccess) << "\n";
        if (!r->error.empty()) std::cout << "Error: " << r->error << "\n";
        if (loads.tried)
            std::cout << "Loads: "
                      << (loads.error.empty() ? "yes (created and destroyed by this command)"
                                              : "no: " + loads.error)
                      << "\n";
        if (loads.exposure) {
            std::cout << "Exposure status:\n";
            for (const auto& [key, value] : *loads.exposure)
                std::cout << "  " << key << ": " << (value.isEmpty() ? "-" : value.toString()) << "\n";
        }
        return 0;
    }
    if (pos[0] == "enable" || pos[0] == "disable") return switchPlugins(ctx, host, pos);
    throw UsageError("unknown plugins command \"" + pos[0] + "\" (use list, info, enable or disable)");
}

} // namespace openclaw::cli
