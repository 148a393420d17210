#include "config/Environment.h"

extern char** environ;

namespace openclaw::config {

Environment Environment::fromProcess() {
    std::map<std::string, std::string> vars;
    for (char** e = environ; e && *e; ++e) {
        std::string kv = *e;
        size_t eq = kv.find('=');
        if (eq != std::string::npos) vars[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    return Environment(std::move(vars));
}

std::optional<std::string> Environment::get(const std::string& name) const {
    auto it = vars_.find(name);
    if (it == vars_.end() || it->second.empty()) return std::nullopt;
    return it->second;
}

} // namespace openclaw::config
