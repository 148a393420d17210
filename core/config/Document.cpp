#include "config/Document.h"

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
    return ConfigError(file, positionOf(keyPath), keyPath, message);
}

std::string childPath(const std::string& parent, const std::string& key) {
    return parent.empty() ? key : parent + "." + key;
}
std::string indexPath(const std::string& parent, size_t index) {
    return parent + "[" + std::to_string(index) + "]";
}

} // namespace openclaw::config
