#include "server/HttpRoutes.h"

#include "server/GatewayServer.h"
#include "version.h"
#include "json/Json.h"

#include "protocol/HttpStatus.h"

namespace openclaw::server {

std::string HttpResponse::wire(bool keepAlive) const {
    std::string r = "HTTP/1.1 " + std::to_string(status) + " " + protocol::httpReason(status) + "\r\n";
    r += "Content-Type: " + contentType + "\r\n";
    r += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    r += "Cache-Control: no-store\r\n";
    r += extraHeaders;
    r += keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
    r += body;
    return r;
}

void HttpRoutes::addOpen(const std::string& path, Handler handler) {
    routes_[path] = Route{std::move(handler), false};
}

void HttpRoutes::addGuarded(const std::string& path, Handler handler) {
    routes_[path] = Route{std::move(handler), true};
}

HttpResponse HttpRoutes::respond(const protocol::HttpHead& req, const Lockout& lockedForMs) const {
    const auto it = routes_.find(req.path);
    if (it != routes_.end() && !it->second.guarded) return it->second.handler(req);
    if (const long long wait = lockedForMs()) {
        HttpResponse r;
        r.status = 429;
        r.body = R"({"ok":false,"error":"too many failed authentication attempts","retryAfterMs":)" +
                 std::to_string(wait) + "}";
        r.extraHeaders = "Retry-After: " + std::to_string((wait + 999) / 1000) + "\r\n";
        return r;
    }
    if (it != routes_.end()) return it->second.handler(req);
    json::ObjectPtr o = json::makeObject();
    o->set("ok", false);
    o->set("error", std::string("not found: ") + req.path);
    return {404, json::stringify(o)};
}

std::string HttpRoutes::addPlugin(PluginRoute route) {
    if (routes_.count(route.prefix)) return "the gateway's own path " + route.prefix + " cannot be taken";
    for (const PluginRoute& r : pluginRoutes_)
        if (r.prefix == route.prefix)
            return "the path " + route.prefix + " is already served by another plugin";
    pluginRoutes_.push_back(std::move(route));
    return "";
}

const HttpRoutes::PluginRoute* HttpRoutes::pluginFor(const std::string& path) const {
    if (routes_.count(path)) return nullptr; // the built-in routes stay the gateway's
    const PluginRoute* best = nullptr;
    for (const PluginRoute& r : pluginRoutes_) {
        const bool under = path.compare(0, r.prefix.size(), r.prefix) == 0 &&
                           (path.size() == r.prefix.size() || path[r.prefix.size()] == '/');
        if (under && (!best || r.prefix.size() > best->prefix.size())) best = &r;
    }
    return best;
}

namespace {

/// Compares without stopping at the first difference (the time taken says nothing about the secret).
bool sameSecret(const std::string& a, const std::string& b) {
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    for (size_t i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
    return diff == 0;
}

} // namespace

bool httpCredentialsOk(const GatewayServer& gw, const protocol::HttpHead& req) {
    const config::AuthConfig& auth = gw.config()->auth;
    if (auth.mode == config::AuthMode::None) return true;
    const auto it = req.headers.find("authorization");
    if (it == req.headers.end() || it->second.compare(0, 7, "Bearer ") != 0) return false;
    const std::string offered = it->second.substr(7);
    const std::optional<std::string>& secret =
        auth.mode == config::AuthMode::Password ? auth.password : auth.token;
    return secret && !secret->empty() && sameSecret(offered, *secret);
}

HttpRoutes builtinRoutes(const GatewayServer& gw) {
    HttpRoutes routes;
    routes.addOpen("/healthz", [](const protocol::HttpHead&) {
        return HttpResponse{200, R"({"ok":true,"status":"live"})"};
    });
    routes.addOpen("/readyz", [&gw](const protocol::HttpHead&) {
        const bool ready = !gw.stopping();
        json::ObjectPtr o = json::makeObject();
        o->set("ready", ready);
        o->set("failing", json::makeArray());
        o->set("uptimeMs", static_cast<Poco::Int64>(gw.uptimeMs()));
        return HttpResponse{ready ? 200 : 503, json::stringify(o)};
    });
    routes.addGuarded("/", [](const protocol::HttpHead&) {
        return HttpResponse{200,
                            std::string("<!doctype html><title>OpenClaw Gateway</title><p>OpenClaw Gateway "
                                        "(native) ") +
                                OPENCLAW_VERSION + ". Connect a client over WebSocket on this port.</p>\n",
                            "text/html; charset=utf-8"};
    });
    return routes;
}

} // namespace openclaw::server
