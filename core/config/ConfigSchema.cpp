#include "config/ConfigSchema.h"

#include "json/SchemaValidator.h"

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>

namespace openclaw::config {

extern const char* const kReferenceSchemaText; // generated from reference-config-schema.json

namespace {

/// The schemas of the gateway's own settings, grafted into the reference's sections so that one schema
/// checks both files (which file may hold them is decided apart: see ownSettings()).
const char* const kOwnSchemas = R"({
  "gateway.limits": {"type": "object", "additionalProperties": false, "properties": {
      "maxSessions": {"type": "integer", "minimum": 1, "maximum": 1000000},
      "maxPreauthConnections": {"type": "integer", "minimum": 1, "maximum": 100000},
      "maxInflightPerSession": {"type": "integer", "minimum": 1, "maximum": 100000},
      "maxBufferedBytes": {"type": "integer", "minimum": 4096, "maximum": 1099511627776}}},
  "plugins.initTimeoutMs": {"type": "integer", "minimum": 1, "maximum": 600000},
  "plugins.callTimeoutMs": {"type": "integer", "minimum": 1, "maximum": 600000},
  "plugins.authOverlays": {"type": "array", "items": {"type": "string"}},
  "gateway.tailscale.resetOnExit": {"type": "boolean"}
})";

struct Schema {
    std::vector<std::string> topLevelKeys;
    json::ObjectPtr sections; ///< section name -> its schema (with our own settings grafted in)
};

/// Puts `schema` at `path` ("gateway.limits") inside the sections' properties.
void graft(const json::ObjectPtr& sections, const std::string& path, const json::Var& schema) {
    json::ObjectPtr node = sections;
    std::string rest = path;
    while (true) {
        const size_t dot = rest.find('.');
        const std::string key = rest.substr(0, dot);
        if (dot == std::string::npos) {
            node->set(key, schema);
            return;
        }
        json::ObjectPtr next = json::getObject(node, key);
        node = json::getObject(next, "properties");
        rest = rest.substr(dot + 1);
    }
}

Schema readSchema() {
    Schema out;
    json::ObjectPtr root = json::asObject(json::parse(kReferenceSchemaText));
    json::ArrayPtr keys = json::getArray(root, "topLevelKeys");
    for (size_t i = 0; keys && i < keys->size(); ++i)
        out.topLevelKeys.push_back(keys->get(static_cast<unsigned>(i)).convert<std::string>());
    out.sections = json::getObject(root, "properties");
    json::ObjectPtr own = json::asObject(json::parse(kOwnSchemas));
    for (const auto& path : own->getNames())
        graft(out.sections, path, own->get(path));
    return out;
}

std::mutex& schemaMutex() {
    static std::mutex mu;
    return mu;
}

/// The cached schema. The holder is never destroyed: freeing the parsed tree at exit cost a short-lived
/// CLI command as much as a tenth of reading it (measured with perf on `gateway health`); the process's
/// end gives the memory back anyway. The gateway gives it back after each read of its config instead.
std::shared_ptr<const Schema>& cachedSchema() {
    static auto* held = new std::shared_ptr<const Schema>();
    return *held;
}

std::shared_ptr<const Schema> schema() {
    std::lock_guard<std::mutex> lock(schemaMutex());
    std::shared_ptr<const Schema>& held = cachedSchema();
    if (!held) held = std::make_shared<const Schema>(readSchema());
    return held;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

size_t editDistance(const std::string& a, const std::string& b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            const size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = up;
        }
    }
    return row[b.size()];
}

/// "unknown key (did you mean gateway.auth.token?)", else the keys allowed there.
std::string unknownKeyMessage(const std::string& fullPath, const std::vector<std::string>& known) {
    const size_t cut = fullPath.find_last_of('.');
    const std::string parent = cut == std::string::npos ? "" : fullPath.substr(0, cut + 1);
    const std::string key = cut == std::string::npos ? fullPath : fullPath.substr(cut + 1);
    const std::string near = nearestKey(key, known);
    if (!near.empty()) return "unknown key (did you mean " + parent + near + "?)";
    std::string allowed;
    for (size_t i = 0; i < known.size() && i < 12; ++i)
        allowed += (i ? ", " : "") + known[i];
    if (known.size() > 12) allowed += ", …";
    return "unknown key" + (allowed.empty() ? std::string() : " (allowed here: " + allowed + ")");
}

void checkTopLevel(const Schema& schema, const Document& doc, const json::ObjectPtr& root) {
    const auto& keys = schema.topLevelKeys;
    for (const auto& key : root->getNames()) {
        if (std::find(keys.begin(), keys.end(), key) != keys.end()) continue;
        const std::string near = nearestKey(key, keys);
        throw doc.error(key, "unknown top-level key; OpenClaw refuses it" +
                                 (near.empty() ? std::string() : " (did you mean " + near + "?)"));
    }
}

void checkSections(const Schema& schema, const Document& doc, const json::ObjectPtr& root) {
    for (const auto& section : schema.sections->getNames()) {
        if (!root->has(section)) continue;
        auto violations = json::validateSchema(schema.sections->get(section), root->get(section));
        if (violations.empty()) continue;
        const json::SchemaViolation& v = violations.front();
        const std::string path =
            v.path.empty() ? section : (v.path[0] == '[' ? section + v.path : section + "." + v.path);
        throw doc.error(path, v.unknownKey ? unknownKeyMessage(path, v.known) : v.message);
    }
}

} // namespace

const std::vector<OwnSetting>& ownSettings() {
    static const std::vector<OwnSetting> k = {
        {"gateway.limits", "gateway.limits"},
        {"plugins.initTimeoutMs", "plugins.initTimeoutMs"},
        {"plugins.callTimeoutMs", "plugins.callTimeoutMs"},
        {"plugins.authOverlays", "plugins.authOverlays"},
        {"plugins.entries.tailscale.config.resetOnExit", "gateway.tailscale.resetOnExit"},
    };
    return k;
}

void releaseSchema() {
    std::lock_guard<std::mutex> lock(schemaMutex());
    cachedSchema().reset();
}

std::string nearestKey(const std::string& word, const std::vector<std::string>& candidates) {
    std::string best;
    size_t bestDistance = std::max<size_t>(2, word.size() / 3) + 1;
    for (const auto& c : candidates) {
        const size_t d = editDistance(lower(word), lower(c));
        if (d < bestDistance) {
            best = c;
            bestDistance = d;
        }
    }
    return best;
}

std::vector<std::string> checkConfigDocument(const Document& doc, ConfigRole role,
                                             const std::string& nativePath) {
    json::ObjectPtr root = json::asObject(doc.root);
    if (!root) throw doc.error("", "the config file must hold an object at the top level");
    const std::shared_ptr<const Schema> held = schema();
    checkTopLevel(*held, doc, root);
    checkSections(*held, doc, root);
    std::vector<std::string> warnings;
    for (const OwnSetting& s : ownSettings()) {
        const bool moved = s.oldPath != s.path;
        if (valueAtPath(root, s.oldPath).isEmpty() || (role == ConfigRole::Native && !moved)) continue;
        Position p = doc.positionOf(s.oldPath);
        std::string where = (p.file.empty() ? doc.file : p.file) + ":" + std::to_string(p.line) + ":" +
                            std::to_string(p.column);
        warnings.push_back(
            where + ": " + s.oldPath + " is the gateway's own setting: move it to " + s.path + " in " +
            nativePath +
            (role == ConfigRole::Shared
                 ? " (OpenClaw's `config validate` refuses it here and `doctor --fix` deletes it)"
                 : "") +
            "; read from here for now");
    }
    return warnings;
}

} // namespace openclaw::config
