// `openclaw config get|set|unset|file|validate` and `openclaw setup`: the reference's names and exit codes.
// Edits keep the JSON5 file's comments and key order (config/ConfigEditor), are validated before anything
// is written, and keep the previous file as <file>.bak (config/ConfigWriter).
#include "Args.h"
#include "Context.h"
#include "PluginConfigCheck.h"

#include "config/ConfigEditor.h"
#include "config/ConfigLoader.h"
#include "config/ConfigWriter.h"
#include "config/Json5Parser.h"
#include "config/Redact.h"

#include <iostream>

namespace openclaw::cli {

namespace {

const std::vector<OptionSpec> kConfigSpecs = {
    {"json", false, "machine-readable output"},
    {"native", false, "the native settings file (native.json5) instead of openclaw.json"},
    {"help", false, "show this help"},
};

const char* kConfigSummary =
    "Reads and edits the config by dot path. Commands:\n"
    "  file                  print the config file's path\n"
    "  get <path>            print a value (objects as JSON)\n"
    "  set <path> <value>    set a value (a JSON5 value, else a string)\n"
    "  unset <path>          remove a value\n"
    "  validate              check the config without starting the gateway\n"
    "Edits keep comments and key order, are checked before anything is written, and\n"
    "keep the previous file as <file>.bak. The gateway's own settings (gateway.limits,\n"
    "plugins.initTimeoutMs) live in native.json5: use --native for them.";

const char* kApplyHint =
    "Restart the gateway to apply (send it SIGUSR1, or `openclaw gateway restart` for the "
    "service).";

/// Which file a command edits.
struct Target {
    std::string path;
    config::ConfigRole role;
};

Target targetFile(const config::Paths& paths, bool native) {
    return native ? Target{paths.nativeConfigPath, config::ConfigRole::Native}
                  : Target{paths.configPath, config::ConfigRole::Shared};
}

/// The value at a dot path of a parsed file, or nothing.
std::optional<json::Var> valueAt(const json::Var& root, const std::string& path) {
    json::Var v = config::valueAtPath(root, path);
    if (v.isEmpty()) return std::nullopt;
    return v;
}

/// A value given on the command line: JSON5 when it parses as such, else the text itself.
json::Var parseValue(const std::string& text) {
    try {
        return config::parseJson5(text, "<value>").root;
    } catch (const config::ConfigError&) {
        return json::Var(text);
    }
}

int unknownPath(const std::string& path, const std::string& file) {
    std::cerr << "Unknown config path: " << path << " (not set in " << file << ").\n";
    return 1;
}

int runGet(const Target& t, const std::string& path, bool asJson) {
    auto text = config::readConfigText(t.path);
    if (!text) return unknownPath(path, t.path);
    // Secrets are shown redacted, as the reference does: a terminal or a log is no place for them.
    auto value = valueAt(config::redactSecrets(config::parseConfigText(*text, t.path).root), path);
    if (!value) return unknownPath(path, t.path);
    if (!asJson && json::isString(*value))
        std::cout << value->convert<std::string>() << "\n";
    else
        std::cout << json::stringify(*value, json::asObject(*value) || json::asArray(*value) ? 2 : 0) << "\n";
    return 0;
}

/// The config file as a document (for positions); nothing when it cannot be read.
std::optional<config::Document> documentOf(const std::string& configPath) {
    try {
        if (auto text = config::readConfigText(configPath)) return config::parseConfigText(*text, configPath);
    } catch (const std::exception&) {
        // It was just loaded successfully; a race with an editor leaves the messages without positions.
    }
    return std::nullopt;
}

/// What a write to the shared config at `keyPath` must also pass: the plugins' own schemas (a section the
/// plugin refuses would drop it at the next reload). The native file holds no plugin sections.
config::ExtraCheck pluginCheckFor(const Target& t, const std::string& keyPath) {
    if (t.role != config::ConfigRole::Shared) return {};
    const PluginCheckScope scope = PluginCheckScope::ofEdit(keyPath);
    return [scope](const config::GatewayConfig& cfg, const config::Document& doc) {
        requirePluginConfigs(cfg, doc, scope);
    };
}

int runSet(const Context& ctx, const config::Paths& paths, const Target& t, const std::string& path,
           const std::string& valueText) {
    auto old = config::readConfigText(t.path);
    const std::string base = old ? *old : "{\n}\n";
    const std::string next = config::setConfigValue(base, t.path, path, parseValue(valueText));
    for (const auto& w :
         config::writeValidatedConfig(t.path, old, next, t.role, paths, ctx.env, pluginCheckFor(t, path)))
        std::cerr << "Warning: " << w << "\n";
    std::cout << "Updated " << path << ". " << kApplyHint << "\n";
    return 0;
}

int runUnset(const Context& ctx, const config::Paths& paths, const Target& t, const std::string& path) {
    auto old = config::readConfigText(t.path);
    if (!old || !valueAt(config::parseConfigText(*old, t.path).root, path)) return unknownPath(path, t.path);
    const std::string next = config::unsetConfigValue(*old, t.path, path);
    config::writeValidatedConfig(t.path, old, next, t.role, paths, ctx.env, pluginCheckFor(t, path));
    std::cout << "Removed " << path << ". " << kApplyHint << "\n";
    return 0;
}

int runValidate(const Context& ctx, const config::Paths& paths, bool asJson) {
    json::ObjectPtr out = json::makeObject();
    json::ArrayPtr warnings = json::makeArray();
    std::string error;
    try {
        auto cfg =
            std::make_shared<const config::GatewayConfig>(config::loadConfig(ctx.env, ctx.profile, {}));
        for (const auto& w : cfg->warnings)
            warnings->add(w);
        // The plugins' own schemas and load paths: a section the plugin refuses would drop it at the next
        // start.
        const std::optional<config::Document> doc = documentOf(paths.configPath);
        for (const std::string& problem : pluginConfigProblems(cfg, doc ? &*doc : nullptr))
            error += (error.empty() ? "" : "\n") + problem;
    } catch (const std::exception& e) {
        error = e.what();
    }
    if (asJson) {
        out->set("valid", error.empty());
        out->set("path", paths.configPath);
        if (!error.empty()) out->set("error", error);
        out->set("warnings", warnings);
        std::cout << json::stringify(out) << "\n";
    } else if (error.empty()) {
        std::cout << "Config valid: " << paths.configPath << "\n";
        for (size_t i = 0; i < warnings->size(); ++i)
            std::cerr << "Warning: " << warnings->get(static_cast<unsigned>(i)).convert<std::string>()
                      << "\n";
    } else {
        std::cerr << "Config invalid: " << error << "\n";
    }
    return error.empty() ? 0 : 1;
}

} // namespace

int runConfig(Context& ctx, size_t argIndex) {
    Args args = Args::parse(ctx.argv, argIndex, kConfigSpecs);
    const auto& pos = args.positionals();
    if (args.has("help") || pos.empty()) {
        std::cout << renderHelp("openclaw config <file|get|set|unset|validate> [options]", kConfigSummary,
                                kConfigSpecs);
        return pos.empty() && !args.has("help") ? 1 : 0;
    }
    const config::Paths paths = config::resolvePaths(ctx.env, ctx.profile, &config::fileExists);
    const Target t = targetFile(paths, args.has("native"));
    const std::string& cmd = pos[0];
    auto need = [&](size_t n, const char* usage) {
        if (pos.size() != n) throw UsageError(std::string("usage: openclaw config ") + usage);
    };
    try {
        if (cmd == "file") {
            std::cout << t.path << "\n";
            return 0;
        }
        if (cmd == "get") {
            need(2, "get <path> [--json]");
            return runGet(t, pos[1], args.has("json"));
        }
        if (cmd == "set") {
            need(3, "set <path> <value>");
            return runSet(ctx, paths, t, pos[1], pos[2]);
        }
        if (cmd == "unset") {
            need(2, "unset <path>");
            return runUnset(ctx, paths, t, pos[1]);
        }
        if (cmd == "validate") return runValidate(ctx, paths, args.has("json"));
    } catch (const config::ConfigError& e) {
        std::cerr << "Config validation failed: " << e.what() << "\nNothing was written.\n";
        return 1;
    }
    throw UsageError("unknown config command \"" + cmd + "\" (file, get, set, unset, validate)");
}

int runSetup(Context& ctx, size_t argIndex) {
    Args args = Args::parse(ctx.argv, argIndex, {{"help", false, "show this help"}});
    if (args.has("help")) {
        std::cout << renderHelp("openclaw setup",
                                "Creates a minimal working config: gateway.mode=local and a generated token\n"
                                "(shown once), mode 0600. An existing config keeps everything it has.",
                                {{"help", false, "show this help"}});
        return 0;
    }
    const config::Paths paths = config::resolvePaths(ctx.env, ctx.profile, &config::fileExists);
    try {
        auto old = config::readConfigText(paths.configPath);
        std::string text = old ? *old : "{\n}\n";
        const json::Var root = old ? config::parseConfigText(*old, paths.configPath).root : json::Var();
        std::optional<std::string> token;
        if (!valueAt(root, "gateway.mode"))
            text = config::setConfigValue(text, paths.configPath, "gateway.mode", "local");
        if (!valueAt(root, "gateway.auth.token") && !valueAt(root, "gateway.auth.password")) {
            token = config::generateGatewayToken();
            text = config::setConfigValue(text, paths.configPath, "gateway.auth.token", *token);
            if (!valueAt(root, "gateway.auth.mode"))
                text = config::setConfigValue(text, paths.configPath, "gateway.auth.mode", "token");
        }
        if (old && text == *old) {
            std::cout << "Config already set up: " << paths.configPath << " (nothing changed).\n";
            return 0;
        }
        config::writeValidatedConfig(paths.configPath, old, text, config::ConfigRole::Shared, paths, ctx.env);
        std::cout << (old ? "Updated " : "Created ") << paths.configPath << " (gateway.mode=local).\n";
        if (token) std::cout << "Gateway token (stored in the config; shown only now): " << *token << "\n";
        std::cout
            << "Next: openclaw gateway run   (or `openclaw gateway install` for a background service)\n";
        return 0;
    } catch (const config::ConfigError& e) {
        std::cerr << "Cannot set up: " << e.what() << "\nNothing was written.\n";
        return 1;
    }
}

} // namespace openclaw::cli
