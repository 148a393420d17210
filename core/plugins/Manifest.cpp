#include "plugins/Manifest.h"

#include <algorithm>

#include "config/Json5Parser.h"
#include "json/SchemaValidator.h"

#include "openclaw/plugin.h"

namespace openclaw::plugins {

namespace {
const std::vector<std::pair<std::string, uint32_t>> kCaps = {
    {"auth", OC_CAP_AUTH},     {"exposure", OC_CAP_EXPOSURE},  {"discovery", OC_CAP_DISCOVERY},
    {"tunnel", OC_CAP_TUNNEL}, {"methods", OC_CAP_METHODS},    {"hooks", OC_CAP_HOOKS},
    {"http", OC_CAP_HTTP},     {"admission", OC_CAP_ADMISSION}};
}

std::optional<AbiVersion> parseAbiVersion(const std::string& text) {
    AbiVersion v;
    const size_t dot = text.find('.');
    const std::string major = text.substr(0, dot);
    const std::string minor = dot == std::string::npos ? "0" : text.substr(dot + 1);
    auto number = [](const std::string& s, uint32_t& out) {
        if (s.empty() || s.size() > 3 || s.find_first_not_of("0123456789") != std::string::npos) return false;
        out = static_cast<uint32_t>(std::stoul(s));
        return true;
    };
    if (!number(major, v.major) || !number(minor, v.minor) || v.major == 0) return std::nullopt;
    return v;
}

uint32_t capabilityBit(const std::string& name) {
    for (const auto& [n, bit] : kCaps)
        if (n == name) return bit;
    return 0;
}

std::vector<std::string> capabilityNames(uint32_t mask) {
    std::vector<std::string> out;
    for (const auto& [n, bit] : kCaps)
        if (mask & bit) out.push_back(n);
    return out;
}

namespace {

/// "abi": "major.minor" (a bare integer N means N.0).
AbiVersion abiOf(const config::Document& doc, const json::ObjectPtr& o) {
    const json::Var abi = o->has("abi") ? o->get("abi") : json::Var();
    std::optional<AbiVersion> version;
    if (json::isInteger(abi) && json::asInt64(abi).value_or(0) > 0 && json::asInt64(abi).value_or(0) < 1000)
        version = AbiVersion{static_cast<uint32_t>(*json::asInt64(abi)), 0};
    else if (json::isString(abi))
        version = parseAbiVersion(abi.convert<std::string>());
    if (!version)
        throw doc.error("abi", abi.isEmpty() ? "missing \"abi\" (the plugin ABI version, e.g. \"1.1\")"
                                             : "invalid \"abi\" " + json::stringify(abi) +
                                                   " (major.minor, e.g. \"1.1\"; a bare 1 means 1.0)");
    return *version;
}

/// "capabilities": known names only.
std::vector<std::string> capabilitiesOf(const config::Document& doc, const json::ObjectPtr& o) {
    json::ArrayPtr caps = json::getArray(o, "capabilities");
    if (!caps) throw doc.error("capabilities", "missing \"capabilities\" (an array of capability names)");
    std::vector<std::string> names;
    for (size_t i = 0; i < caps->size(); ++i) {
        json::Var c = caps->get(static_cast<unsigned>(i));
        std::string name = json::isString(c) ? c.convert<std::string>() : "";
        if (!capabilityBit(name))
            throw doc.error("capabilities[" + std::to_string(i) + "]",
                            "unknown capability " + json::stringify(c) +
                                " (known: auth, exposure, discovery, tunnel, methods, hooks)");
        names.push_back(name);
    }
    return names;
}

/// "authOverlay": a priority, for a plugin with the auth capability.
void readAuthOverlay(const config::Document& doc, const json::ObjectPtr& o, Manifest& m) {
    if (!o->has("authOverlay")) return;
    const json::Var p = o->get("authOverlay");
    const std::optional<long long> priority = json::isInteger(p) ? json::asInt64(p) : std::nullopt;
    if (!priority || *priority < -1000 || *priority > 1000)
        throw doc.error("authOverlay",
                        "\"authOverlay\" must be an integer priority -1000..1000 (higher is asked first)");
    if (std::find(m.capabilities.begin(), m.capabilities.end(), "auth") == m.capabilities.end())
        throw doc.error("authOverlay", "\"authOverlay\" needs the \"auth\" capability");
    m.authOverlay = static_cast<int>(*priority);
}

/// "configAccess": from ABI 1.2 on, what of the gateway config the plugin reads (nothing when absent); a
/// 1.0/1.1 plugin keeps the whole section (legacy) and may not say otherwise.
void readConfigAccess(const config::Document& doc, const json::ObjectPtr& o, Manifest& m) {
    const bool legacy = m.abi.major == 1 && m.abi.minor < 2;
    if (legacy) {
        if (o->has("configAccess"))
            throw doc.error("configAccess", "\"configAccess\" needs \"abi\": \"1.2\" or later (older plugins "
                                            "see the whole gateway section)");
        return;
    }
    if (std::string problem =
            parseConfigAccess(o->has("configAccess") ? o->get("configAccess") : json::Var(), m.configAccess);
        !problem.empty())
        throw doc.error("configAccess", problem);
}

} // namespace

bool Manifest::servesOnlyCommands() const {
    constexpr uint32_t kCommandSide = OC_CAP_TUNNEL;
    uint32_t all = 0;
    for (const auto& c : capabilities)
        all |= capabilityBit(c);
    return all != 0 && (all & ~kCommandSide) == 0;
}

std::vector<json::SchemaViolation> Manifest::checkConfig(const json::Var& section) const {
    if (!compiledSchema) return {};
    return json::validateSchema(compiledSchema->tables(), 0, section);
}

Manifest parseManifest(const std::string& text, const std::string& manifestPath) {
    // Parsed with the JSON5 reader for its positions; manifests are plain JSON in practice.
    config::Document doc = config::parseJson5(text, manifestPath);
    json::ObjectPtr o = json::asObject(doc.root);
    if (!o) throw doc.error("", "a plugin manifest must be a JSON object");
    Manifest m;
    m.manifestPath = manifestPath;
    size_t slash = manifestPath.find_last_of('/');
    m.dir = slash == std::string::npos ? "." : manifestPath.substr(0, slash);

    auto requireString = [&](const std::string& key) {
        auto v = json::getString(o, key);
        if (!v || v->empty()) throw doc.error(key, "missing or empty \"" + key + "\" (a non-empty string)");
        return *v;
    };
    m.id = requireString("id");
    for (char c : m.id)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
            throw doc.error("id",
                            "invalid id \"" + m.id + "\": use lower-case letters, digits, '-', '_' and '.'");
    m.name = json::getString(o, "name").value_or(m.id);
    m.version = json::getString(o, "version").value_or("0.0.0");
    m.description = json::getString(o, "description").value_or("");
    m.abi = abiOf(doc, o);
    m.capabilities = capabilitiesOf(doc, o);
    if (!o->has("configSchema"))
        throw doc.error("configSchema", "missing \"configSchema\" (a JSON Schema object)");
    m.configSchema = o->get("configSchema");
    auto problems = json::checkSchema(m.configSchema);
    if (!problems.empty()) throw doc.error("configSchema", problems.front());
    m.compiledSchema = std::make_shared<const json::CompiledSchema>(json::compileSchema(m.configSchema));
    m.library = json::getString(o, "library").value_or(m.id + ".so");
    if (m.library.find('/') != std::string::npos || m.library.find("..") != std::string::npos)
        throw doc.error("library", "\"library\" must be a file name next to the manifest");
    m.enabledByDefault = json::getBool(o, "enabledByDefault").value_or(true);
    m.unfinished = json::getString(o, "unfinished").value_or("");
    m.authMode = json::getString(o, "authMode").value_or("");
    readAuthOverlay(doc, o, m);
    readConfigAccess(doc, o, m);
    return m;
}

} // namespace openclaw::plugins
