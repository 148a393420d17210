// What the plugins hear about sessions: a session opened or closed (the session directory and the
// session_open/session_close hooks), and every connect's outcome (auth_result). Called on the connection's
// loop; the hooks' JSON is built only when a plugin wants that kind.
#pragma once

#include "protocol/Connect.h"
#include "rpc/Registry.h"

#include <memory>
#include <string>

namespace openclaw::server {

class Connection;
class GatewayServer;
struct Shard;

/// A session is about to begin: listed in the session directory before its hello-ok is sent, so that a peer
/// reading hello-ok and asking for the sessions (from another loop) finds it.
void sessionListed(GatewayServer& gw, std::weak_ptr<Connection> conn, Shard& shard,
                   const std::shared_ptr<const rpc::CallContext>& ctx);
/// A session began (after hello-ok): the session_open hook.
void sessionOpened(GatewayServer& gw, const rpc::CallContext& ctx, const std::string& authMethod);
/// A session ended, with the close code and reason it ended with.
void sessionClosed(GatewayServer& gw, const rpc::CallContext& ctx, int code, const std::string& reason,
                   long long durationMs);
/// A connect was decided: admitted (`reason` "") or refused with `reason` (the details code, else the
/// error code). `params` is null when the connect frame was not even valid.
void connectDecided(GatewayServer& gw, bool ok, const std::string& reason,
                    const protocol::ConnectParams* params, const std::string& authMethod,
                    const std::string& remote, bool loopback);

} // namespace openclaw::server
