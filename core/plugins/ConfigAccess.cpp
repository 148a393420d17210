#include "plugins/ConfigAccess.h"

#include "config/Redact.h"

namespace openclaw::plugins {

namespace {

std::vector<std::string> segments(const std::string& path) {
    std::vector<std::string> out;
    size_t start = 0;
    for (;;) {
        const size_t dot = path.find('.', start);
        out.push_back(path.substr(start, dot - start));
        if (dot == std::string::npos) return out;
        start = dot + 1;
    }
}

/// Copies the value at `path` in `from` into `to` at the same place, creating the objects on the way.
void copyPath(const json::ObjectPtr& from, const std::vector<std::string>& path, const json::ObjectPtr& to) {
    json::ObjectPtr src = from;
    json::ObjectPtr dst = to;
    for (size_t i = 0; i + 1 < path.size(); ++i) {
        src = src ? json::getObject(src, path[i]) : nullptr;
        if (!src) return; // not set in the config: nothing to hand over
        json::ObjectPtr next = json::getObject(dst, path[i]);
        if (!next) {
            next = json::makeObject();
            dst->set(path[i], next);
        }
        dst = next;
    }
    if (src && src->has(path.back())) dst->set(path.back(), src->get(path.back()));
}

} // namespace

json::ObjectPtr gatewayViewFor(const ConfigAccess& access, const json::ObjectPtr& gateway) {
    if (access.legacy) return gateway;
    json::ObjectPtr view = json::makeObject();
    for (const std::string& path : access.gateway)
        copyPath(gateway, segments(path), view);
    if (access.secrets) return view;
    return json::asObject(config::redactSecrets(view));
}

std::string parseConfigAccess(const json::Var& value, ConfigAccess& out) {
    out = ConfigAccess{};
    out.legacy = false;
    if (value.isEmpty()) return "";
    json::ObjectPtr o = json::asObject(value);
    if (!o) return "\"configAccess\" must be an object: {\"gateway\": [\"port\", …], \"secrets\": false}";
    for (const std::string& key : o->getNames())
        if (key != "gateway" && key != "secrets")
            return "\"configAccess\" has an unknown key \"" + key + "\" (use \"gateway\" and \"secrets\")";
    if (o->has("secrets")) {
        std::optional<bool> secrets = json::getBool(o, "secrets");
        if (!secrets) return "\"configAccess.secrets\" must be true or false";
        out.secrets = *secrets;
    }
    if (!o->has("gateway")) return "";
    json::ArrayPtr paths = json::getArray(o, "gateway");
    if (!paths) return "\"configAccess.gateway\" must be an array of dot paths such as \"tailscale.mode\"";
    for (size_t i = 0; i < paths->size(); ++i) {
        const json::Var p = paths->get(static_cast<unsigned>(i));
        const std::string path = json::isString(p) ? p.toString() : "";
        if (path.empty() || path.front() == '.' || path.back() == '.' || path.find("..") != std::string::npos)
            return "\"configAccess.gateway[" + std::to_string(i) +
                   "]\" is not a dot path such as \"tailscale.mode\"";
        out.gateway.push_back(path);
    }
    return "";
}

} // namespace openclaw::plugins
