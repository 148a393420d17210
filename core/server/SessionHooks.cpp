#include "server/SessionHooks.h"

#include "server/GatewayServer.h"
#include "server/SessionDirectory.h"

namespace openclaw::server {

void sessionListed(GatewayServer& gw, std::weak_ptr<Connection> conn, Shard& shard,
                   const std::shared_ptr<const rpc::CallContext>& ctx) {
    gw.sessions().add(ctx->sessionId, std::move(conn), &shard, ctx);
}

void sessionOpened(GatewayServer& gw, const rpc::CallContext& ctx, const std::string& authMethod) {
    gw.bridge().fire(plugins::HookKind::SessionOpen, [&] {
        json::ObjectPtr o = sessionInfo(ctx);
        o->set("authMethod", authMethod);
        return json::stringify(o);
    });
}

void sessionClosed(GatewayServer& gw, const rpc::CallContext& ctx, int code, const std::string& reason,
                   long long durationMs) {
    gw.sessions().remove(ctx.sessionId);
    gw.bridge().fire(plugins::HookKind::SessionClose, [&] {
        json::ObjectPtr o = sessionInfo(ctx);
        o->set("code", code);
        o->set("reason", reason);
        o->set("durationMs", static_cast<Poco::Int64>(durationMs));
        return json::stringify(o);
    });
}

void connectDecided(GatewayServer& gw, bool ok, const std::string& reason,
                    const protocol::ConnectParams* params, const std::string& authMethod,
                    const std::string& remote, bool loopback) {
    gw.bridge().fire(plugins::HookKind::AuthResult, [&] {
        std::string o = ok ? R"({"ok":true,"reason":)" : R"({"ok":false,"reason":)";
        json::appendQuoted(o, reason);
        json::appendMember(o, "method", authMethod);
        json::appendMember(o, "role", params ? params->role : std::string());
        json::appendMember(o, "remoteAddress", remote);
        o += loopback ? R"(,"isLoopback":true,"client":)" : R"(,"isLoopback":false,"client":)";
        if (params)
            protocol::appendClientJson(o, params->client);
        else
            o += "{}";
        o += '}';
        return o;
    });
}

} // namespace openclaw::server
