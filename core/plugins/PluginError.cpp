#include "plugins/PluginError.h"

namespace openclaw::plugins {

bool PluginError::internal() const {
    if (code.empty()) return true;
    const json::ObjectPtr d = json::asObject(details);
    return d && json::getString(d, "code") == kPluginInternalError;
}

std::string PluginError::text() const {
    if (internal() || code.empty()) return message;
    return message + " (" + code + ")";
}

PluginError parsePluginError(const std::string& raw) {
    PluginError e;
    const std::optional<json::Var> parsed =
        raw.empty() || raw.front() != '{' ? std::nullopt : json::tryParse(raw);
    const json::ObjectPtr o = parsed ? json::asObject(*parsed) : nullptr;
    const std::optional<std::string> code = o ? json::getString(o, "code") : std::nullopt;
    const std::optional<std::string> message = o ? json::getString(o, "message") : std::nullopt;
    if (!code || code->empty() || !message) {
        e.message = raw.empty() ? "no reason given" : raw;
        return e;
    }
    e.code = *code;
    e.message = *message;
    if (o->has("details") && json::asObject(o->get("details"))) e.details = o->get("details");
    return e;
}

} // namespace openclaw::plugins
