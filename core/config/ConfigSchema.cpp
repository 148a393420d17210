#include "config/ConfigSchema.h"

#include "config/ReferenceSchema.h"
#include "json/SchemaValidator.h"

#include <algorithm>
#include <cctype>

namespace openclaw::config {

namespace {

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

bool isTopLevelKey(std::string_view key) {
    for (std::uint32_t i = 0; i < kTopLevelKeys.count; ++i)
        if (kReferenceSchema.view(kReferenceSchema.strings[kTopLevelKeys.begin + i]) == key) return true;
    return false;
}

/// The keys as strings, only for the did-you-mean of a key that is not one of them.
std::vector<std::string> topLevelKeys() {
    std::vector<std::string> keys;
    for (std::uint32_t i = 0; i < kTopLevelKeys.count; ++i)
        keys.emplace_back(kReferenceSchema.view(kReferenceSchema.strings[kTopLevelKeys.begin + i]));
    return keys;
}

void checkTopLevel(const Document& doc, const json::ObjectPtr& root) {
    for (const auto& key : root->getNames()) {
        if (isTopLevelKey(key)) continue;
        const std::string near = nearestKey(key, topLevelKeys());
        throw doc.error(key, "unknown top-level key; OpenClaw refuses it" +
                                 (near.empty() ? std::string() : " (did you mean " + near + "?)"));
    }
}

/// Each section the reference's schema has (the root's properties) that the document holds.
void checkSections(const Document& doc, const json::ObjectPtr& root) {
    const json::SchemaTables& schema = kReferenceSchema;
    const json::SchemaSpan sections = schema.nodes[0].properties;
    for (std::uint32_t i = 0; i < sections.count; ++i) {
        const json::SchemaProperty& section = schema.properties[sections.begin + i];
        const std::string name(schema.view(section.name));
        if (!root->has(name)) continue;
        auto violations = json::validateSchema(schema, section.node, root->get(name));
        if (violations.empty()) continue;
        const json::SchemaViolation& v = violations.front();
        const std::string path =
            v.path.empty() ? name : (v.path[0] == '[' ? name + v.path : name + "." + v.path);
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
    checkTopLevel(doc, root);
    checkSections(doc, root);
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
