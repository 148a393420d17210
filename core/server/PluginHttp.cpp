#include "server/PluginHttp.h"

#include "json/Json.h"

#include <Poco/Base64Encoder.h>
#include <Poco/UTF8Encoding.h>

#include <algorithm>
#include <sstream>

namespace openclaw::server {

namespace {

HttpResponse jsonRefusal(int status, const std::string& why) {
    json::ObjectPtr o = json::makeObject();
    o->set("ok", false);
    o->set("error", why);
    return {status, json::stringify(o)};
}

bool validUtf8(const std::string& s) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(s.data());
    size_t i = 0;
    while (i < s.size()) {
        const int remaining = static_cast<int>(std::min<size_t>(s.size() - i, 4));
        const int n = Poco::UTF8Encoding().sequenceLength(bytes + i, remaining);
        if (n <= 0 || n > remaining || !Poco::UTF8Encoding::isLegal(bytes + i, n)) return false;
        i += static_cast<size_t>(n);
    }
    return true;
}

std::string base64(const std::string& data) {
    std::ostringstream out;
    Poco::Base64Encoder enc(out);
    enc.rdbuf()->setLineLength(0);
    enc << data;
    enc.close();
    return out.str();
}

HttpResponse badGateway(const std::string& why) {
    return jsonRefusal(502, why);
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

BodyFraming bodyFraming(const protocol::HttpHead& req) {
    BodyFraming f;
    if (req.headers.count("transfer-encoding")) {
        f.refusal = jsonRefusal(411, "send the request body with a Content-Length (no transfer coding)");
        return f;
    }
    const auto length = req.headers.find("content-length");
    if (length == req.headers.end()) return f;
    const std::string& v = length->second;
    if (v.empty() || v.size() > 18 || v.find_first_not_of("0123456789") != std::string::npos) {
        f.refusal = jsonRefusal(400, "Content-Length is not a number: " + v);
        return f;
    }
    f.length = static_cast<size_t>(std::stoull(v));
    if (f.length > kMaxPluginBody)
        f.refusal = jsonRefusal(413, "request body of " + v + " bytes; plugin routes take at most " +
                                         std::to_string(kMaxPluginBody) + " bytes");
    return f;
}

std::string pluginHttpRequest(const protocol::HttpHead& req, const std::string& body,
                              const std::string& remote, bool loopback) {
    json::ObjectPtr o = json::makeObject();
    o->set("method", req.method);
    o->set("path", req.path);
    o->set("query", req.query);
    json::ObjectPtr headers = json::makeObject();
    for (const auto& [name, value] : req.headers)
        if (name != "authorization") headers->set(name, value); // the gateway's secret stays with the gateway
    o->set("headers", headers);
    if (validUtf8(body))
        o->set("body", body);
    else
        o->set("bodyBase64", base64(body));
    o->set("remoteAddress", remote);
    o->set("isLoopback", loopback);
    return json::stringify(o);
}

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
    if (r.status != OC_OK) return badGateway("the plugin failed: " + r.errorText());
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
