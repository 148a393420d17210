#include "server/PluginHttp.h"

#include "json/Json.h"

namespace openclaw::server {

namespace {

HttpResponse badGateway(const std::string& why) {
    json::ObjectPtr o = json::makeObject();
    o->set("ok", false);
    o->set("error", why);
    return {502, json::stringify(o)};
}

/// A header name or value that could end the line or the head early is refused.
bool safeHeader(const std::string& name, const std::string& value) {
    if (name.empty()) return false;
    for (char c : name)
        if (c == ':' || c == '\r' || c == '\n' || c == ' ') return false;
    return value.find_first_of("\r\n") == std::string::npos;
}

HttpResponse checkedResponse(const plugins::LoadedPlugin::CallResult& r);

} // namespace

HttpResponse pluginHttpResponse(const plugins::LoadedPlugin::CallResult& r) {
    try {
        return checkedResponse(r);
    } catch (const std::exception& e) {
        return badGateway(std::string("the plugin's answer is not valid: ") +
                          e.what()); // e.g. a header object
    }
}

namespace {

HttpResponse checkedResponse(const plugins::LoadedPlugin::CallResult& r) {
    if (r.status != OC_OK) return badGateway("the plugin failed: " + r.error);
    const std::optional<json::Var> parsed = json::tryParse(r.result);
    json::ObjectPtr o = parsed ? json::asObject(*parsed) : nullptr;
    if (!o) return badGateway("the plugin's answer is not a JSON object");
    HttpResponse out;
    out.status = static_cast<int>(json::getInt(o, "status").value_or(200));
    if (out.status < 100 || out.status > 599)
        return badGateway("the plugin answered status " + std::to_string(out.status));
    out.body = json::getString(o, "body").value_or("");
    out.contentType = "text/plain; charset=utf-8";
    if (json::ObjectPtr headers = json::getObject(o, "headers")) {
        for (const std::string& name : headers->getNames()) {
            const std::string value = headers->getValue<std::string>(name);
            if (!safeHeader(name, value)) return badGateway("the plugin's header " + name + " is not valid");
            std::string lower = name;
            for (char& c : lower)
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if (lower == "content-type")
                out.contentType = value;
            else if (lower != "content-length" && lower != "connection")
                out.extraHeaders += name + ": " + value + "\r\n";
        }
    }
    return out;
}

} // namespace

} // namespace openclaw::server
