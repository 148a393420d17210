#include "server/Session.h"

#include "config/Redact.h"
#include "protocol/Scopes.h"
#include "server/GatewayServer.h"
#include "server/SessionDirectory.h"
#include "server/WsLog.h"
#include "version.h"

namespace openclaw::server {

Session::Session(GatewayServer& gw, SessionOutput& out, const std::string& connId)
    : gw_(gw), out_(out), connId_(connId) {}

protocol::HelloInfo Session::begin(const protocol::ConnectParams& params, const char* authMethod,
                                   long long maxBufferedBytes, const std::string& remote, bool loopback,
                                   const ConnectHandshake::Admitted* admitted) {
    // An admission plugin may have narrowed the scopes (never widened: it keeps them within what was asked).
    const std::vector<std::string>& asked = admitted && admitted->scopes ? *admitted->scopes : params.scopes;
    std::vector<std::string> scopes = params.role == "operator"
                                          ? protocol::grantScopes(asked, params.client.mode)
                                          : std::vector<std::string>{};
    auto ctx = std::make_shared<rpc::CallContext>();
    ctx->connId = connId_;
    ctx->clientId = params.client.id;
    ctx->clientMode = params.client.mode;
    ctx->scopes = scopes;
    ctx->sessionId = SessionDirectory::nextId();
    ctx->node = params.role == "node";
    ctx->clientPlatform = params.client.platform;
    ctx->clientVersion = params.client.version;
    ctx->remoteAddress = remote;
    ctx->loopback = loopback;
    if (admitted) ctx->deviceId = admitted->deviceId;
    if (!params.caps.empty() || !params.commands.empty() || !params.permissions.empty())
        ctx->declared = std::make_shared<const rpc::Declared>(
            rpc::Declared{params.caps, params.commands, params.permissions});
    ctx_ = std::move(ctx);
    protocol::HelloInfo info;
    info.version = OPENCLAW_VERSION;
    info.buildId = std::string("openclaw-gateway-cpp-") + OPENCLAW_NATIVE_VERSION;
    info.bootId = gw_.bootId();
    info.connId = connId_;
    info.methods = &gw_.registry().methods();
    info.events = &gw_.registry().events();
    if (!gw_.registry().featuresJson().empty()) info.featuresJson = &gw_.registry().featuresJson();
    const HealthPresence::PresenceText presence = gw_.presenceJson();
    info.presenceJson = presence.json;
    info.presenceCount = presence.count;
    info.healthJson = gw_.healthJson(false);
    info.presenceVersion = gw_.presenceVersion();
    info.healthVersion = gw_.healthVersion();
    info.uptimeMs = gw_.uptimeMs();
    info.authMethod = authMethod;
    if (admitted) {
        info.deviceToken = admitted->deviceToken;
        info.deviceTokenIssuedAtMs = admitted->deviceTokenIssuedAtMs;
    }
    info.role = params.role;
    info.scopes = std::move(scopes);
    info.tickIntervalMs = gw_.settings().tickIntervalMs;
    info.maxBufferedBytes = maxBufferedBytes;
    return info;
}

void Session::onFrame(const std::string& text) {
    protocol::ParsedFrame f = protocol::parseFrame(text);
    switch (f.kind) {
    case protocol::ParsedFrame::Kind::NotJson:
    case protocol::ParsedFrame::Kind::Other:
        return; // ignored after hello, as the reference does
    case protocol::ParsedFrame::Kind::InvalidFrame:
        out_.sendText(protocol::encodeError(f.id, rpc::Registry::invalidRequest(f.error)));
        return;
    case protocol::ParsedFrame::Kind::Request:
        break;
    }
    const auto started = std::chrono::steady_clock::now();
    const rpc::Registry& registry = gw_.registry();
    const rpc::Registry::Method* method = registry.find(f.request.method);
    if (!method || method->runs == rpc::Runs::Inline) {
        finish(f.request, registry.dispatch(method, f.request, *ctx_), started);
        return;
    }
    const int cap = gw_.config()->limits.maxInflightPerSession;
    if (inflight_ >= cap) {
        out_.sendText(protocol::encodeError(
            f.id, {"UNAVAILABLE",
                   "too many requests in flight on this connection (" + std::to_string(cap) +
                       ", gateway.limits.maxInflightPerSession); wait for answers before sending more",
                   json::Var(), true, 100}));
        return;
    }
    dispatchLater(method, f.request, started);
}

void Session::dispatchLater(const rpc::Registry::Method* method, const protocol::Request& req,
                            std::chrono::steady_clock::time_point started) {
    ++inflight_;
    const rpc::Registry& registry = gw_.registry();
    // The answer comes on another thread, maybe after the connection has gone: only the poster is safe there.
    auto post = out_.poster();
    Session* self = this; // alive whenever the poster runs its function (the connection owns it)
    const bool queued = gw_.workers().submit([post, self, &registry, method, req, ctx = ctx_, started] {
        // A plugin method may answer later: the reply then comes from the plugin's thread.
        registry.dispatchAsync(method, req, *ctx, [post, self, req, started](rpc::Outcome outcome) {
            post([self, req, outcome = std::move(outcome), started] {
                --self->inflight_;
                self->finish(req, outcome, started);
            });
        });
    });
    if (!queued) --inflight_;
}

void Session::finish(const protocol::Request& req, const rpc::Outcome& outcome,
                     std::chrono::steady_clock::time_point started) {
    out_.sendText(outcome.frame);
    const config::WsLogStyle style = gw_.settings().wsLog;
    const bool hook = gw_.bridge().wants(plugins::HookKind::Request);
    if (!hook && !wsLogOn(style, false)) return;
    auto us =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started)
            .count();
    if (hook) hookRequest(req, outcome, us);
    if (!wsLogOn(style, false)) return;
    wsLog(style, std::string("⇄ res ") + (outcome.ok ? "✓ " : "✗ ") + req.method + " " +
                     std::to_string(us / 1000) + "ms id=" + req.id);
    if (wsLogOn(style, true))
        wsLog(style, "  params=" + json::stringify(config::redactSecrets(req.params())) +
                         " bytes=" + std::to_string(outcome.frame.size()));
}

void Session::hookRequest(const protocol::Request& req, const rpc::Outcome& outcome, long long us) {
    // Only the facts here, on the I/O thread; each hook thread builds its JSON.
    gw_.bridge().fireRequest({ctx_->sessionId, req.method, outcome.ok, outcome.code, us});
}

} // namespace openclaw::server
