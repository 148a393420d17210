// The gateway's plain HTTP surface (what a request that is not a WebSocket upgrade gets): a table of exact
// paths, one place where a route is added. Liveness and readiness answer always; every other route
// answers 429 while the caller is locked out after failed logins, as the reference's HTTP surfaces do.
#pragma once

#include "protocol/HttpHead.h"

#include <vector>

#include <functional>
#include <string>
#include <unordered_map>

namespace openclaw::plugins {
class LoadedPlugin;
}

namespace openclaw::server {

class GatewayServer;

/// One HTTP answer.
struct HttpResponse {
    int status = 200;
    std::string body;
    std::string contentType = "application/json; charset=utf-8";
    std::string extraHeaders; ///< whole lines, each ending in CRLF

    /// The response as it goes on the wire (status line, headers, body).
    std::string wire(bool keepAlive) const;
};

/// Exact-path routes.
class HttpRoutes {
  public:
    using Handler = std::function<HttpResponse(const protocol::HttpHead&)>;
    /// How long the caller is still locked out after failed logins (ms; 0 = not locked out).
    using Lockout = std::function<long long()>;

    /// A route that answers even while the caller is locked out (probes must see a live gateway).
    void addOpen(const std::string& path, Handler handler);
    /// A route that answers 429 while the caller is locked out.
    void addGuarded(const std::string& path, Handler handler);
    /// The answer for `req`: its route's, 429 when locked out, else 404.
    HttpResponse respond(const protocol::HttpHead& req, const Lockout& lockedForMs) const;

    /// A plugin's path prefix (ABI 1.2 http capability).
    struct PluginRoute {
        std::string prefix;
        plugins::LoadedPlugin* plugin = nullptr;
        bool isPublic = false;
    };
    /// Adds a plugin's prefix; "" when added, else why not (a built-in path, or another plugin's prefix).
    std::string addPlugin(PluginRoute route);
    /// The plugin route serving `path` ("/p" serves "/p" and "/p/…"; the longest prefix wins), or null.
    const PluginRoute* pluginFor(const std::string& path) const;

  private:
    struct Route {
        Handler handler;
        bool guarded = true;
    };
    std::unordered_map<std::string, Route> routes_;
    std::vector<PluginRoute> pluginRoutes_;
};

/// The gateway's credentials on a plain HTTP request: `Authorization: Bearer <token or password>` against
/// gateway.auth (mode none needs nothing).
bool httpCredentialsOk(const GatewayServer& gw, const protocol::HttpHead& req);

/// The built-in routes: /healthz, /readyz and / (a short page).
HttpRoutes builtinRoutes(const GatewayServer& gw);

} // namespace openclaw::server
