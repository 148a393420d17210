#include "config/Document.h"

#include <iterator>

namespace openclaw::config {

namespace {
std::string describe(const std::string& file, Position pos, const std::string& keyPath,
                     const std::string& msg) {
    std::string out = file.empty() ? "<config>" : file;
    if (pos.line > 0) out += ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column);
    out += ": ";
    if (!keyPath.empty()) out += keyPath + ": ";
    return out + msg;
}
} // namespace

ConfigError::ConfigError(std::string file, Position pos, std::string keyPath, std::string message)
    : std::runtime_error(describe(file, pos, keyPath, message)), file_(std::move(file)), pos_(pos),
      keyPath_(std::move(keyPath)), message_(std::move(message)) {}

Position Document::positionOf(const std::string& keyPath) const {
    std::string path = keyPath;
    while (true) {
        auto it = positions.find(path);
        if (it != positions.end()) return it->second;
        size_t cut = path.find_last_of(".[");
        if (cut == std::string::npos) break;
        path.resize(cut);
    }
    auto root = positions.find("");
    return root == positions.end() ? Position{} : root->second;
}

ConfigError Document::error(const std::string& keyPath, const std::string& message) const {
    Position pos = positionOf(keyPath);
    return ConfigError(pos.file.empty() ? file : pos.file, pos, keyPath, message);
}

namespace {

/// True when key path `key` is `path` or below it ("gateway.portX" is not below "gateway.port").
bool under(const std::string& key, const std::string& path) {
    if (path.empty() || key == path) return true;
    return key.size() > path.size() && key.compare(0, path.size(), path) == 0 &&
           (key[path.size()] == '.' || key[path.size()] == '[');
}

/// Copies the positions of `path` and everything below it from `over` (tagged with its file).
void takePositions(Document& base, const Document& over, const std::string& path) {
    for (auto it = base.positions.lower_bound(path);
         it != base.positions.end() && it->first.rfind(path, 0) == 0;)
        it = under(it->first, path) ? base.positions.erase(it) : std::next(it);
    for (auto it = over.positions.lower_bound(path);
         it != over.positions.end() && it->first.rfind(path, 0) == 0; ++it) {
        if (!under(it->first, path)) continue;
        Position p = it->second;
        if (p.file.empty()) p.file = over.file;
        base.positions[it->first] = p;
    }
}

void mergeObject(json::ObjectPtr& base, const json::ObjectPtr& over, const std::string& path,
                 Document& baseDoc, const Document& overDoc) {
    for (const auto& key : over->getNames()) {
        const std::string child = childPath(path, key);
        json::ObjectPtr b = base->has(key) ? json::asObject(base->get(key)) : nullptr;
        json::ObjectPtr o = json::asObject(over->get(key));
        if (b && o) {
            mergeObject(b, o, child, baseDoc, overDoc);
            continue;
        }
        base->set(key, over->get(key));
        takePositions(baseDoc, overDoc, child);
    }
}

} // namespace

void mergeDocument(Document& base, const Document& over) {
    json::ObjectPtr o = json::asObject(over.root);
    if (!o) return;
    json::ObjectPtr b = json::asObject(base.root);
    if (!b) {
        base.root = over.root;
        takePositions(base, over, "");
        return;
    }
    mergeObject(b, o, "", base, over);
}

json::Var valueAtPath(const json::Var& root, const std::string& dotPath) {
    json::Var cur = root;
    std::string rest = dotPath;
    while (!rest.empty()) {
        const size_t dot = rest.find('.');
        const std::string key = rest.substr(0, dot);
        rest = dot == std::string::npos ? "" : rest.substr(dot + 1);
        json::ObjectPtr o = json::asObject(cur);
        if (!o || !o->has(key)) return json::Var();
        cur = o->get(key);
    }
    return cur;
}

std::string childPath(const std::string& parent, const std::string& key) {
    return parent.empty() ? key : parent + "." + key;
}
std::string indexPath(const std::string& parent, size_t index) {
    return parent + "[" + std::to_string(index) + "]";
}

} // namespace openclaw::config
