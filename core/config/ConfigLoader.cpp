#include "config/ConfigLoader.h"

#include "config/ConfigReader.h"
#include "config/ConfigSchema.h"
#include "config/Json5Parser.h"
#include "config/YamlParser.h"
#include "files/AtomicFile.h"

#include <arpa/inet.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <sys/stat.h>

namespace openclaw::config {

namespace {

bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// A dotted-quad IPv4 address (inet_pton parses text only: config stays free of networking code).
bool validIPv4(const std::string& s) {
    in_addr addr{};
    return ::inet_pton(AF_INET, s.c_str(), &addr) == 1;
}

/// A command-line word of a closed set, as its enum (nothing when the flag was not given).
template <typename E>
std::optional<E> flagOneOf(const std::optional<std::string>& word, const std::string& flag) {
    if (!word) return std::nullopt;
    if (auto value = parseName<E>(*word)) return value;
    throw ConfigError("command line", {}, flag,
                      "invalid value \"" + *word + "\" (allowed: " + joinQuoted(allowedNames<E>()) + ")");
}

void walkStrings(json::Var& v, const std::string& path, Document& doc, const Environment& env) {
    if (json::ObjectPtr o = json::asObject(v)) {
        for (const auto& k : o->getNames()) {
            json::Var child = o->get(k);
            walkStrings(child, childPath(path, k), doc, env);
            o->set(k, child);
        }
    } else if (json::ArrayPtr a = json::asArray(v)) {
        for (size_t i = 0; i < a->size(); ++i) {
            json::Var child = a->get(static_cast<unsigned>(i));
            walkStrings(child, indexPath(path, i), doc, env);
            a->set(static_cast<unsigned>(i), child);
        }
    } else if (json::isString(v)) {
        const std::string s = v.convert<std::string>();
        if (s.find("${") == std::string::npos) return;
        std::string out;
        for (size_t i = 0; i < s.size();) {
            if (s.compare(i, 3, "$${") == 0) {
                out += "${";
                i += 3;
                continue;
            }
            if (s.compare(i, 2, "${") == 0) {
                size_t end = s.find('}', i + 2);
                std::string name = end == std::string::npos ? "" : s.substr(i + 2, end - i - 2);
                bool valid = !name.empty() && !(name[0] >= '0' && name[0] <= '9') &&
                             std::all_of(name.begin(), name.end(), [](char c) {
                                 return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
                             });
                if (!valid) {
                    out += s[i++];
                    continue;
                }
                auto value = env.get(name);
                if (!value) throw doc.error(path, "environment variable ${" + name + "} is not set or empty");
                out += *value;
                i = end + 1;
                continue;
            }
            out += s[i++];
        }
        v = out;
    }
}

} // namespace

json::ObjectPtr GatewayConfig::gatewaySection() const {
    json::ObjectPtr g = json::makeObject();
    g->set("mode", mode == GatewayMode::Unset ? json::Var() : json::Var(std::string(nameOf(mode))));
    g->set("port", port);
    g->set("bind", std::string(nameOf(bind)));
    if (!customBindHost.empty()) g->set("customBindHost", customBindHost);
    json::ObjectPtr a = json::makeObject();
    a->set("mode", std::string(nameOf(auth.mode)));
    if (auth.token) a->set("token", *auth.token);
    if (auth.password) a->set("password", *auth.password);
    json::ObjectPtr rl = json::makeObject();
    rl->set("maxAttempts", auth.rateLimit.maxAttempts);
    rl->set("windowMs", auth.rateLimit.windowMs);
    rl->set("lockoutMs", auth.rateLimit.lockoutMs);
    rl->set("exemptLoopback", auth.rateLimit.exemptLoopback);
    a->set("rateLimit", rl);
    a->set("allowTailscale", auth.allowTailscale);
    g->set("auth", a);
    json::ObjectPtr ts = json::makeObject();
    ts->set("mode", std::string(nameOf(tailscale.mode)));
    ts->set("resetOnExit", tailscale.resetOnExit);
    g->set("tailscale", ts);
    json::ObjectPtr tl = json::makeObject();
    tl->set("enabled", tls.enabled);
    g->set("tls", tl);
    if (nodes) g->set("nodes", nodes);
    return g;
}

Document parseConfigText(const std::string& text, const std::string& file) {
    if (endsWith(file, ".yaml") || endsWith(file, ".yml")) return parseYaml(text, file);
    return parseJson5(text, file);
}

std::optional<std::string> readConfigText(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return std::nullopt;
    if (S_ISDIR(st.st_mode))
        throw ConfigError(path, {}, "",
                          "is a directory, not a config file (remove or rename it, or point "
                          "OPENCLAW_CONFIG_PATH at a file)");
    std::optional<std::string> text = files::readWholeFile(path);
    if (!text) throw ConfigError(path, {}, "", "cannot read the config file (check its permissions)");
    return text;
}

std::optional<Document> readConfigFile(const std::string& path) {
    std::optional<std::string> text = readConfigText(path);
    if (!text) return std::nullopt;
    return parseConfigText(*text, path);
}

void substituteEnv(Document& doc, const Environment& env) {
    walkStrings(doc.root, "", doc, env);
}

namespace {

/// Port: flag > env > file > default (19001 for the dev profile).
void readPort(const Reader& r, const Environment& env, const Overrides& ov, GatewayConfig& c) {
    if (auto p = r.integer("gateway.port", 1, 65535)) {
        c.port = static_cast<int>(*p);
        c.portSource = "config";
    } else if (c.paths.profile == "dev") {
        c.port = 19001;
    }
    if (auto e = env.get("OPENCLAW_GATEWAY_PORT")) {
        char* end = nullptr;
        long v = std::strtol(e->c_str(), &end, 10);
        if (!end || *end || v < 1 || v > 65535)
            throw ConfigError("environment", {}, "OPENCLAW_GATEWAY_PORT",
                              "invalid port \"" + *e + "\" (expected an integer 1..65535)");
        c.port = static_cast<int>(v);
        c.portSource = "env OPENCLAW_GATEWAY_PORT";
    }
    if (ov.port) {
        if (*ov.port < 1 || *ov.port > 65535)
            throw ConfigError("command line", {}, "--port",
                              "invalid port " + std::to_string(*ov.port) + " (expected 1..65535)");
        c.port = *ov.port;
        c.portSource = "cli --port";
    }
}

void readBind(const Reader& r, const Overrides& ov, GatewayConfig& c) {
    const BindMode fromFile = r.oneOf<BindMode>("gateway.bind").value_or(BindMode::Loopback);
    c.bind = flagOneOf<BindMode>(ov.bind, "--bind").value_or(fromFile);
    c.customBindHost = r.string("gateway.customBindHost").value_or("");
    if (!c.customBindHost.empty() && !validIPv4(c.customBindHost))
        throw r.error("gateway.customBindHost", "\"" + c.customBindHost + "\" is not a valid IPv4 address");
    if (c.bind == BindMode::Custom && c.customBindHost.empty())
        throw r.error("gateway.bind", "bind \"custom\" needs gateway.customBindHost (an IPv4 address)");
}

/// Auth: secrets are flag > config > env (the reference's config-first rule); the mode is flag > config >
/// inferred from which secret there is.
void readAuth(const Reader& r, const Environment& env, const Overrides& ov, GatewayConfig& c) {
    auto cfgMode = r.oneOf<AuthMode>("gateway.auth.mode");
    auto cfgToken = r.secret("gateway.auth.token", env, c.paths.home);
    auto cfgPassword = r.secret("gateway.auth.password", env, c.paths.home);
    c.auth.token = ov.token ? ov.token : cfgToken ? cfgToken : env.get("OPENCLAW_GATEWAY_TOKEN");
    c.auth.password = ov.password   ? ov.password
                      : cfgPassword ? cfgPassword
                                    : env.get("OPENCLAW_GATEWAY_PASSWORD");
    if (auto flagMode = flagOneOf<AuthMode>(ov.authMode, "--auth")) {
        c.auth.mode = *flagMode;
        c.auth.modeSource = "cli";
    } else if (cfgMode) {
        c.auth.mode = *cfgMode;
        c.auth.modeSource = "config";
    } else {
        c.auth.mode = (c.auth.password && !c.auth.token) ? AuthMode::Password : AuthMode::Token;
        c.auth.modeSource = "inferred";
    }
    c.auth.rateLimit.maxAttempts =
        static_cast<int>(r.integer("gateway.auth.rateLimit.maxAttempts", 1, 1000000).value_or(10));
    c.auth.rateLimit.windowMs =
        static_cast<int>(r.integer("gateway.auth.rateLimit.windowMs", 1, 86400000).value_or(60000));
    c.auth.rateLimit.lockoutMs =
        static_cast<int>(r.integer("gateway.auth.rateLimit.lockoutMs", 0, 86400000).value_or(300000));
    c.auth.rateLimit.exemptLoopback = r.boolean("gateway.auth.rateLimit.exemptLoopback").value_or(true);
}

void readTailscaleAndTls(const Reader& r, const Overrides& ov, GatewayConfig& c) {
    const TailscaleMode fromFile =
        r.oneOf<TailscaleMode>("gateway.tailscale.mode").value_or(TailscaleMode::Off);
    c.tailscale.mode = flagOneOf<TailscaleMode>(ov.tailscaleMode, "--tailscale").value_or(fromFile);
    // The reference's default: on with serve, unless a password or a trusted proxy is the auth.
    c.auth.allowTailscale =
        r.boolean("gateway.auth.allowTailscale")
            .value_or(c.tailscale.mode == TailscaleMode::Serve && c.auth.mode != AuthMode::Password &&
                      c.auth.mode != AuthMode::TrustedProxy);
    // Its home is the tailscale plugin's config in the native settings file; the old key still reads.
    c.tailscale.resetOnExit = ov.tailscaleResetOnExit.value_or(
        r.boolean("plugins.entries.tailscale.config.resetOnExit")
            .value_or(r.boolean("gateway.tailscale.resetOnExit").value_or(false)));
    c.tls.enabled = r.boolean("gateway.tls.enabled").value_or(false);
    c.tls.autoGenerate = r.boolean("gateway.tls.autoGenerate").value_or(true);
    c.tls.certPath = expandHome(r.string("gateway.tls.certPath").value_or(""), c.paths.home);
    c.tls.keyPath = expandHome(r.string("gateway.tls.keyPath").value_or(""), c.paths.home);
}

bool truthy(const std::optional<std::string>& v) {
    if (!v || v->empty()) return false;
    const std::string& s = *v;
    return s != "0" && s != "false" && s != "no" && s != "off";
}

void readDiscovery(const Reader& r, const Environment& env, GatewayConfig& c) {
    c.discovery.mdnsMode = r.oneOf<MdnsMode>("discovery.mdns.mode").value_or(MdnsMode::Minimal);
    if (truthy(env.get("OPENCLAW_DISABLE_BONJOUR"))) c.discovery.mdnsMode = MdnsMode::Off;
    std::string domain =
        r.string("discovery.wideArea.domain").value_or(env.get("OPENCLAW_WIDE_AREA_DOMAIN").value_or(""));
    while (!domain.empty() && domain.front() == '.')
        domain.erase(0, 1);
    if (!domain.empty() && domain.back() != '.') domain += '.';
    c.discovery.wideAreaDomain = domain;
}

void readRemote(const Reader& r, const Environment& env, GatewayConfig& c) {
    c.remote.url = r.string("gateway.remote.url").value_or("");
    if (!c.remote.url.empty() && c.remote.url.rfind("ws://", 0) != 0 && c.remote.url.rfind("wss://", 0) != 0)
        throw r.error("gateway.remote.url", "\"" + c.remote.url + "\" must start with ws:// or wss://");
    c.remote.transport = r.oneOf<RemoteTransport>("gateway.remote.transport").value_or(RemoteTransport::Ssh);
    c.remote.token = r.secret("gateway.remote.token", env, c.paths.home);
    c.remote.password = r.secret("gateway.remote.password", env, c.paths.home);
    c.remote.tlsFingerprint = r.string("gateway.remote.tlsFingerprint").value_or("");
    c.remote.sshTarget = r.string("gateway.remote.sshTarget").value_or("");
    c.remote.sshIdentity = expandHome(r.string("gateway.remote.sshIdentity").value_or(""), c.paths.home);
    c.remote.remotePort = static_cast<int>(r.integer("gateway.remote.remotePort", 1, 65535).value_or(0));
}

void readLimits(const Reader& r, const Environment& env, GatewayConfig& c) {
    c.allowedOrigins = r.strings("gateway.controlUi.allowedOrigins");
    c.restartCommandEnabled = r.boolean("commands.restart").value_or(true);
    c.limits.maxSessions =
        static_cast<int>(r.integer("gateway.limits.maxSessions", 1, 1000000).value_or(20000));
    c.limits.maxPreauthConnections =
        static_cast<int>(r.integer("gateway.limits.maxPreauthConnections", 1, 100000).value_or(1024));
    c.limits.maxInflightPerSession =
        static_cast<int>(r.integer("gateway.limits.maxInflightPerSession", 1, 100000).value_or(64));
    c.limits.maxBufferedBytes =
        r.integer("gateway.limits.maxBufferedBytes", 4096, 1LL << 40).value_or(52428800);
    if (auto hs = env.get("OPENCLAW_HANDSHAKE_TIMEOUT_MS")) {
        long v = std::strtol(hs->c_str(), nullptr, 10);
        if (v > 0) c.handshakeTimeoutMs = static_cast<int>(v);
    }
}

void readPlugins(const Reader& r, GatewayConfig& c) {
    c.plugins.enabled = r.boolean("plugins.enabled").value_or(true);
    c.plugins.allow = r.strings("plugins.allow");
    c.plugins.deny = r.strings("plugins.deny");
    c.plugins.initTimeoutMs = static_cast<int>(r.integer("plugins.initTimeoutMs", 1, 600000).value_or(10000));
    if (!r.at("plugins.authOverlays").isEmpty()) c.plugins.authOverlays = r.strings("plugins.authOverlays");
    c.plugins.callTimeoutMs = static_cast<int>(r.integer("plugins.callTimeoutMs", 1, 600000).value_or(30000));
    for (const std::string& p : r.strings("plugins.load.paths"))
        c.plugins.loadPaths.push_back(expandHome(p, c.paths.home));
    json::ObjectPtr entries = r.object("plugins.entries");
    if (!entries) return;
    for (const auto& id : entries->getNames()) {
        std::string base = "plugins.entries." + id;
        json::ObjectPtr entry = json::asObject(entries->get(id));
        if (!entry) throw r.error(base, "expected an object, got " + json::typeName(entries->get(id)));
        PluginEntryConfig e;
        e.enabled = r.boolean(base + ".enabled");
        if (entry->has("config")) e.config = entry->get("config");
        c.plugins.entries[id] = e;
    }
}

} // namespace

GatewayConfig buildConfig(const Document* doc, const Paths& paths, const Environment& env,
                          const Overrides& ov) {
    Reader r(doc);
    GatewayConfig c;
    c.paths = paths;
    c.fileExists = doc != nullptr;
    c.raw = doc ? doc->root : json::Var(json::makeObject());
    r.root(); // the top level must be an object
    c.mode = r.oneOf<GatewayMode>("gateway.mode").value_or(GatewayMode::Unset);
    readPort(r, env, ov, c);
    readBind(r, ov, c);
    c.nodes = r.object("gateway.nodes");
    readAuth(r, env, ov, c);
    readTailscaleAndTls(r, ov, c);
    readDiscovery(r, env, c);
    readRemote(r, env, c);
    readLimits(r, env, c);
    readPlugins(r, c);
    return c;
}

namespace {

/// openclaw.json with the native settings file merged over it (a copy: config.get shows openclaw.json as is).
Document mergedDocument(const std::optional<Document>& shared, const Document& native, const Paths& paths) {
    Document merged;
    merged.file = shared ? shared->file : paths.configPath;
    merged.root = shared ? json::deepCopy(shared->root) : json::Var(json::makeObject());
    if (shared) merged.positions = shared->positions;
    mergeDocument(merged, native);
    return merged;
}

} // namespace

GatewayConfig loadConfig(const Environment& env, const ProfileOptions& profile, const Overrides& overrides) {
    Paths paths = resolvePaths(env, profile, &fileExists);
    std::optional<Document> shared = readConfigFile(paths.configPath);
    if (shared) substituteEnv(*shared, env);
    std::optional<Document> native = readConfigFile(paths.nativeConfigPath);
    if (native) substituteEnv(*native, env);
    if (!shared && !native) return buildConfig(nullptr, paths, env, overrides);

    // The typed reads first: the keys the gateway uses get their own messages (allowed values, ranges).
    GatewayConfig c;
    if (native) {
        Document merged = mergedDocument(shared, *native, paths);
        c = buildConfig(&merged, paths, env, overrides);
        c.fileExists = shared.has_value();
        c.raw = shared ? shared->root : json::Var(json::makeObject());
    } else {
        c = buildConfig(&*shared, paths, env, overrides);
    }
    // Then every other key, in each file, against the reference's schema.
    std::vector<std::string> warnings;
    if (shared) warnings = checkConfigDocument(*shared, ConfigRole::Shared, paths.nativeConfigPath);
    if (native) {
        auto more = checkConfigDocument(*native, ConfigRole::Native, paths.nativeConfigPath);
        warnings.insert(warnings.end(), more.begin(), more.end());
    }
    c.warnings.insert(c.warnings.begin(), warnings.begin(), warnings.end());
    return c;
}

} // namespace openclaw::config
