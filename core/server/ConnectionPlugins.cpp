// What plugins reach in a connection (ABI 1.2): a plain HTTP request to a plugin's route (the gate the
// gateway keeps — lockout, credentials, a bounded body — the request the plugin is asked on a worker, its
// answer back on the loop), an event to this session alone, the filter of scoped broadcasts, and the
// auth_result hook of a refused connect.
#include "server/Connection.h"

#include "protocol/Scopes.h"
#include "server/GatewayServer.h"
#include "server/PluginHttp.h"
#include "server/SessionHooks.h"

namespace openclaw::server {

void Connection::servePluginRoute(const protocol::HttpHead& req, const HttpRoutes::PluginRoute& route,
                                  size_t headLength) {
    const BodyFraming framing = bodyFraming(req);
    std::optional<HttpResponse> early = pluginRouteGate(req, route);
    if (!early && framing.refusal) early = framing.refusal;
    if (early) {
        partial_.erase(0, headLength);
        // Its body is not read (or its framing is unknown): the connection cannot go on.
        if (framing.length > 0 || framing.refusal) keepAlive_ = false;
        respondHttp(*early);
        return;
    }
    if (partial_.size() < headLength + framing.length) return; // the rest of the body is still coming
    const std::string body = partial_.substr(headLength, framing.length);
    partial_.erase(0, headLength + framing.length);
    if (!route.isPublic) gw_.limiter().recordSuccess(peer_.remote);
    // The plugin answers on a worker (or later); nothing more is read from this peer meanwhile.
    pauseReading();
    auto post = posterWhile(false);
    Connection* self = this;
    const std::chrono::milliseconds limit(gw_.config()->plugins.callTimeoutMs);
    plugins::LoadedPlugin* plugin = route.plugin;
    const bool queued = gw_.workers().submit(
        [post, self, plugin, limit, request = pluginHttpRequest(req, body, peer_.remote, peer_.loopback)] {
            plugin->serveHttpAsync(request, limit, [post, self](plugins::LoadedPlugin::CallResult r) {
                post([self, r = std::move(r)] { self->pluginAnswered(r); });
            });
        });
    if (!queued) respondHttp({503, "shutting down\n", "text/plain; charset=utf-8"});
}

std::optional<HttpResponse> Connection::pluginRouteGate(const protocol::HttpHead& req,
                                                        const HttpRoutes::PluginRoute& route) {
    AuthLimiter& limiter = gw_.limiter();
    if (const long long wait = limiter.lockedForMs(peer_.remote, peer_.loopback)) {
        HttpResponse r{429, R"({"ok":false,"error":"too many failed authentication attempts"})"};
        r.extraHeaders = "Retry-After: " + std::to_string((wait + 999) / 1000) + "\r\n";
        return r;
    }
    if (!route.isPublic && !httpCredentialsOk(gw_, req)) {
        limiter.recordFailure(peer_.remote, peer_.loopback);
        HttpResponse r{
            401,
            R"({"ok":false,"error":"unauthorized: send Authorization: Bearer <gateway token or password>"})"};
        r.extraHeaders = "WWW-Authenticate: Bearer realm=\"openclaw\"\r\n";
        return r;
    }
    return std::nullopt;
}

void Connection::pluginAnswered(const plugins::LoadedPlugin::CallResult& r) {
    respondHttp(pluginHttpResponse(r));
    if (state_ != State::Http) return;
    resumeReading();
    handleHttp(); // a request pipelined behind this one
}

void Connection::sendEventTo(const std::string& event, const std::string& payloadJson, bool withSeq) {
    if (state_ != State::Open) return;
    sendText(protocol::encodeEventJson(event, payloadJson,
                                       withSeq ? std::optional<long long>(++seq_) : std::nullopt, ""));
}

bool Connection::sessionMatches(int roleFilter, const std::string& scope) const {
    if (state_ != State::Open || !session_.context()) return false;
    const rpc::CallContext& ctx = *session_.context();
    if ((roleFilter == 1 && ctx.node) || (roleFilter == 2 && !ctx.node)) return false;
    return protocol::hasScope(ctx.scopes, scope);
}

void Connection::hookRefusal(const protocol::HandshakeError& e) {
    json::ObjectPtr details = json::asObject(e.error.details);
    const std::string reason =
        details ? json::getString(details, "code").value_or(e.error.code) : e.error.code;
    const protocol::ConnectParams* params = handshake_ ? &handshake_->params() : nullptr;
    connectDecided(gw_, false, reason, params, handshake_ ? handshake_->authMethod() : "", peer_.remote,
                   peer_.loopback);
}

} // namespace openclaw::server
