// `openclaw plugins list|info|check|enable|disable`: what the gateway discovers, loads and refuses.
#include "Args.h"
#include "Context.h"
#include "PluginCheck.h"
#include "PluginConfigCheck.h"
#include "RunningPlugins.h"
#include "TargetOptions.h"

#include "config/ConfigEditor.h"
#include "config/ConfigLoader.h"
#include "config/ConfigWriter.h"
#include "plugins/CommandPlugin.h"
#include "plugins/PluginHost.h"
#include "json/Json.h"

#include <algorithm>
#include <iostream>

namespace openclaw::cli {

namespace {

/// What a plugin's state comes to, once the running gateway (when one answered) had its say.
enum class Verdict {
    Disabled,    ///< off by config
    Shadowed,    ///< another folder's plugin of the same id wins
    Error,       ///< the files say it cannot load (manifest, binary, ABI, config)
    Unfinished,  ///< its feature is not implemented yet
    Loaded,      ///< the running gateway loaded it
    Failed,      ///< the running gateway tried it and it failed there
    NotLoaded,   ///< the running gateway has not loaded it (enabled since it started)
    ForCommands, ///< it serves only CLI commands (an ssh tunnel): a gateway never loads it
    NotTried     ///< the files check out; no gateway answered, so it has not been tried
};

} // namespace
} // namespace openclaw::cli

namespace openclaw::config {
template <> struct NameTable<cli::Verdict> {
    static constexpr NamedValue<cli::Verdict> values[] = {{cli::Verdict::Disabled, "disabled"},
                                                          {cli::Verdict::Shadowed, "shadowed"},
                                                          {cli::Verdict::Error, "error"},
                                                          {cli::Verdict::Unfinished, "unfinished"},
                                                          {cli::Verdict::Loaded, "loaded"},
                                                          {cli::Verdict::Failed, "failed"},
                                                          {cli::Verdict::NotLoaded, "not-loaded"},
                                                          {cli::Verdict::NotTried, "not-tried"},
                                                          {cli::Verdict::ForCommands, "for-commands"}};
};
} // namespace openclaw::config

namespace openclaw::cli {

namespace {

/// One plugin as the commands report it.
struct PluginView {
    const plugins::PluginRecord* rec = nullptr;
    Verdict verdict = Verdict::NotTried;
    std::string error; ///< the files' error, or the running gateway's
};

PluginView judge(const plugins::PluginRecord& r, const RunningPlugins& running) {
    PluginView v{&r, Verdict::NotTried, r.error};
    using S = plugins::PluginState;
    if (r.state == S::Disabled)
        v.verdict = Verdict::Disabled;
    else if (r.state == S::Shadowed)
        v.verdict = Verdict::Shadowed;
    else if (r.state == S::Error)
        v.verdict = Verdict::Error;
    else if (!r.manifest.unfinished.empty())
        v.verdict = Verdict::Unfinished;
    else if (!running.answered)
        v.verdict = Verdict::NotTried;
    else if (running.loaded.count(r.manifest.id))
        v.verdict = Verdict::Loaded;
    else if (r.manifest.servesOnlyCommands())
        v.verdict = Verdict::ForCommands;
    else if (auto e = running.errors.find(r.manifest.id); e != running.errors.end()) {
        v.verdict = Verdict::Failed;
        v.error = e->second;
    } else
        v.verdict = Verdict::NotLoaded;
    return v;
}

/// Whether --strict fails for this plugin.
bool unusable(const PluginView& v) {
    return v.verdict == Verdict::Error || v.verdict == Verdict::Failed || v.verdict == Verdict::NotLoaded ||
           v.verdict == Verdict::Unfinished;
}

/// The verdict as a person reads it.
std::string verdictText(const PluginView& v) {
    switch (v.verdict) {
    case Verdict::Unfinished:
        return "not implemented yet: " + v.rec->manifest.unfinished;
    case Verdict::Loaded:
        return "loaded by the running gateway";
    case Verdict::Failed:
        return "failed in the running gateway";
    case Verdict::NotLoaded:
        return "not loaded by the running gateway (send it SIGUSR1 to apply)";
    case Verdict::ForCommands:
        return "checked; CLI commands load it when they need it (a running gateway has no use for it)";
    case Verdict::NotTried:
        return "checked, not tried (no gateway running)";
    default:
        return config::nameOf(v.verdict);
    }
}

/// The line about the running gateway that heads a human listing.
std::string runningText(const RunningPlugins& running) {
    if (running.answered) return "Running gateway: " + running.url + " (statuses below are its own)";
    return "Running gateway: none answered (" + running.why + "); statuses below come from the files only";
}

json::ObjectPtr runningJson(const RunningPlugins& running) {
    json::ObjectPtr o = json::makeObject();
    o->set("url", running.url);
    o->set("answered", running.answered);
    if (!running.answered) o->set("why", running.why);
    return o;
}

json::ObjectPtr toJson(const PluginView& v) {
    const plugins::PluginRecord& r = *v.rec;
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
    o->set("status", std::string(config::nameOf(v.verdict)));
    o->set("unfinished", r.manifest.unfinished.empty() ? json::Var() : json::Var(r.manifest.unfinished));
    o->set("error", v.error.empty() ? json::Var() : json::Var(v.error));
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

const std::vector<OptionSpec> kSpecs = {
    {"json", false, "machine-readable output"},
    {"strict", false, "list/info: exit 1 when an enabled plugin is not usable (failed, refused, not loaded)"},
    {"config", true, "check: the plugin's config section to check (JSON; default {})", "json"},
    {"timeout", true, "list/info: how long to wait for the running gateway (default 2000)", "ms"},
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
        // Enabling a plugin whose section its schema refuses would only fail at the next reload: refuse now.
        PluginCheckScope scope;
        scope.discovery = false;
        config::writeValidatedConfig(
            paths.configPath, old, text, config::ConfigRole::Shared, paths, ctx.env,
            [&scope, &pos, enable](const config::GatewayConfig& cfg, const config::Document& doc) {
                for (size_t i = 1; enable && i < pos.size(); ++i) {
                    scope.onlyPlugin = pos[i];
                    requirePluginConfigs(cfg, doc, scope);
                }
            });
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

/// The discovered plugins as the running gateway (when one answers) and the files see them.
struct Survey {
    config::GatewayConfigPtr cfg;
    std::unique_ptr<plugins::PluginHost> host;
    RunningPlugins running;
};

Survey survey(const Context& ctx, const Args& args) {
    Survey s;
    s.cfg = std::make_shared<const config::GatewayConfig>(ctx.loadConfig({}));
    s.host = std::make_unique<plugins::PluginHost>(
        s.cfg, std::vector<std::string>{plugins::PluginHost::defaultBundledDir()});
    s.host->discover();
    s.host->check();
    s.running = askRunningGateway(*s.cfg, ctx.env, timeoutOption(args, 2000));
    return s;
}

int listPlugins(const Survey& s, bool asJson, bool strict) {
    std::vector<PluginView> views;
    for (const auto& r : s.host->records())
        views.push_back(judge(r, s.running));
    const bool failing =
        !s.host->discoveryErrors().empty() ||
        std::any_of(views.begin(), views.end(), [](const PluginView& v) { return unusable(v); });
    if (asJson) {
        json::ObjectPtr out = json::makeObject();
        json::ArrayPtr list = json::makeArray();
        for (const auto& v : views)
            list->add(toJson(v));
        out->set("plugins", list);
        json::ArrayPtr errors = json::makeArray();
        for (const auto& e : s.host->discoveryErrors())
            errors->add(e);
        out->set("errors", errors);
        out->set("runningGateway", runningJson(s.running));
        std::cout << json::stringify(out, 2) << "\n";
        return strict && failing ? 1 : 0;
    }
    std::cout << "Plugins (" << views.size() << ")\n" << runningText(s.running) << "\n";
    for (const auto& v : views) {
        const plugins::PluginRecord& r = *v.rec;
        std::cout << "- " << r.manifest.id << " " << r.manifest.version << "  abi " << r.manifest.abi.text()
                  << "  [" << capsText(r) << "]  " << verdictText(v) << " (" << r.enabledReason << ")\n"
                  << "    " << r.manifest.libraryPath() << "\n";
        if (!v.error.empty()) std::cout << "    error: " << v.error << "\n";
    }
    for (const auto& e : s.host->discoveryErrors())
        std::cout << "! " << e << "\n";
    return strict && failing ? 1 : 0;
}

void printInfo(const PluginView& v, const LoadCheck& loads, const RunningPlugins& running) {
    const plugins::PluginRecord& r = *v.rec;
    std::cout << r.manifest.name << " (" << r.manifest.id << ")\n"
              << "Version: " << r.manifest.version << "\n"
              << "ABI: " << r.manifest.abi.text()
              << (r.binaryAbi ? " (binary " + r.binaryAbi->text() + ")" : "")
              << " (this gateway: " << plugins::PluginHost::hostAbi().text() << ")\n"
              << "Capabilities: " << capsText(r) << "\n"
              << "Origin: " << config::nameOf(r.origin) << "\n"
              << "Path: " << r.manifest.libraryPath() << "\n"
              << "Status: " << verdictText(v) << " (" << r.enabledReason << ")\n"
              << runningText(running) << "\n";
    if (!r.manifest.description.empty()) std::cout << "Description: " << r.manifest.description << "\n";
    std::cout << "Gateway config it reads: " << configAccessText(r.manifest.configAccess) << "\n";
    if (!v.error.empty()) std::cout << "Error: " << v.error << "\n";
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
}

int showInfo(const Survey& s, const std::string& id, bool asJson, bool strict) {
    const plugins::PluginRecord* r = s.host->find(id);
    if (!r) {
        std::cerr << "Plugin not found: " << id << " (see `openclaw plugins list`)\n";
        return 1;
    }
    const PluginView v = judge(*r, s.running);
    const LoadCheck loads = tryLoading(s.cfg, id, *r);
    const bool failing = unusable(v) || (loads.tried && !loads.error.empty());
    if (asJson) {
        json::ObjectPtr o = toJson(v);
        o->set("description", r->manifest.description);
        o->set("configSchema", r->manifest.configSchema);
        o->set("configAccess", configAccessJson(r->manifest.configAccess));
        o->set("loads", loads.tried ? json::Var(loads.error.empty()) : json::Var());
        if (loads.tried && !loads.error.empty()) o->set("loadError", loads.error);
        if (loads.exposure) o->set("exposureStatus", loads.exposure);
        o->set("runningGateway", runningJson(s.running));
        std::cout << json::stringify(o, 2) << "\n";
    } else {
        printInfo(v, loads, s.running);
    }
    return strict && failing ? 1 : 0;
}

/// `plugins check <folder> [--config <json>]`: the gateway's own checks on one folder, nothing created.
int checkFolder(const Args& args, const std::vector<std::string>& pos, bool asJson) {
    if (pos.size() != 2)
        throw UsageError("plugins check needs one plugin folder (the one with openclaw.plugin.json)");
    json::Var pluginConfig = json::makeObject();
    if (auto text = args.value("config")) {
        std::optional<json::Var> parsed = json::tryParse(*text);
        if (!parsed) throw UsageError("--config is not JSON: " + *text);
        pluginConfig = *parsed;
    }
    const PluginCheckResult r = checkPluginFolder(pos[1], pluginConfig);
    if (asJson) {
        json::ObjectPtr o = json::makeObject();
        o->set("ok", r.ok);
        o->set("id", r.id.empty() ? json::Var() : json::Var(r.id));
        o->set("error", r.ok ? json::Var() : json::Var(r.error));
        std::cout << json::stringify(o) << "\n";
    } else if (r.ok) {
        std::cout << "OK: " << r.id << " " << r.version << " (abi " << r.abi
                  << ") would load in this gateway\n";
    } else {
        std::cerr << r.error << "\n";
    }
    return r.ok ? 0 : 1;
}

} // namespace

int runPlugins(Context& ctx, size_t argIndex) {
    Args args = Args::parse(ctx.argv, argIndex, kSpecs);
    const auto& pos = args.positionals();
    if (args.has("help") || pos.empty()) {
        std::cout << renderHelp(
            "openclaw plugins <list|info <id>|check <folder>|enable <id>...|disable <id>...> [options]",
            "Lists the plugins the gateway discovers, with version, ABI, capabilities,\n"
            "path, whether each is enabled and why, and its status: the running gateway\n"
            "on this machine is asked which it loaded and which failed there (without\n"
            "one, a plugin whose files check out is \"not tried\"). A plugin only CLI\n"
            "commands use (ssh-tunnel) is \"for commands\": a gateway never loads it.\n"
            "info <id> also loads that plugin (its init runs, then it is destroyed) and\n"
            "says whether it loads.\n"
            "check <folder> judges one plugin folder with the gateway's own checks\n"
            "(manifest, ABI, id, built-in names, --config against its schema) without\n"
            "creating it. enable/disable write plugins.entries.<id>.enabled.",
            kSpecs);
        return pos.empty() && !args.has("help") ? 1 : 0;
    }
    const bool asJson = args.has("json");
    if (pos[0] == "check") return checkFolder(args, pos, asJson);
    if (pos[0] == "list") return listPlugins(survey(ctx, args), asJson, args.has("strict"));
    if (pos[0] == "info") {
        if (pos.size() < 2) throw UsageError("plugins info needs a plugin id (see `openclaw plugins list`)");
        return showInfo(survey(ctx, args), pos[1], asJson, args.has("strict"));
    }
    if (pos[0] == "enable" || pos[0] == "disable") {
        auto cfg = std::make_shared<const config::GatewayConfig>(ctx.loadConfig({}));
        plugins::PluginHost host(cfg, {plugins::PluginHost::defaultBundledDir()});
        host.discover();
        return switchPlugins(ctx, host, pos);
    }
    throw UsageError("unknown plugins command \"" + pos[0] + "\" (use list, info, check, enable or disable)");
}

} // namespace openclaw::cli
