// The connect step of a WebSocket session: the client's connect request is parsed and checked (origin,
// lockout after failed logins), then the auth chain decides (docs/plugins.md "The auth chain"): each
// overlay in turn may accept, refuse or defer, and the plugin serving gateway.auth.mode decides last. A
// plugin that never blocks is asked on the connection's loop and its answer taken at once; the others are
// asked off the reactor, and their answers come back to the connection's loop.
#pragma once

#include "config/Modes.h"
#include "plugins/LoadedPlugin.h"
#include "protocol/Connect.h"

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace openclaw::server {

class GatewayServer;
struct Peer;

/// What the connect step tells the connection. Called on the connection's loop thread.
class HandshakeOwner {
  public:
    virtual ~HandshakeOwner() = default;
    /// Connect is accepted: send hello-ok and open the session.
    virtual void admitConnect(const std::string& requestId) = 0;
    /// Connect is refused: the error response, then the close.
    virtual void refuseConnect(const protocol::HandshakeError& e, const std::string& requestId) = 0;
    /// Closes without a response (invalid JSON before hello, or the workers are gone).
    virtual void closeConnection(int code, const std::string& reason) = 0;
    /// Nothing more is read from the peer until the plugins have answered (or the refusal is sent).
    virtual void holdReading() = 0;
    /// Runs `fn` on the connection's loop after `delay`, and only if the connection still waits for the auth
    /// decision then. Called on the loop thread.
    virtual void whileDeciding(std::chrono::milliseconds delay, std::function<void()> fn) = 0;
    /// A function that any thread may call at any time, even after the connection has gone: it runs its
    /// argument on the connection's loop while the connection still waits for the auth decision.
    virtual std::function<void(std::function<void()>)> decisionPoster() = 0;
};

/// The connect step of one connection.
class ConnectHandshake {
  public:
    /// `peer` and `connId` are the connection's own (they outlive the handshake).
    ConnectHandshake(GatewayServer& gw, HandshakeOwner& owner, const Peer& peer, const std::string& connId,
                     bool tls);

    /// The upgrade request's headers, for the auth plugins.
    void setUpgradeHeaders(std::map<std::string, std::string> headers);
    /// The origin of the upgrade request ("" when none).
    void setOrigin(std::string origin) { origin_ = std::move(origin); }
    /// The challenge this socket was sent (its nonce and ts), for the admission plugins.
    void setChallenge(std::string nonce, long long ts);
    /// The first frame after the challenge.
    void onConnectFrame(const std::string& text);
    /// Drops what only the auth plugins needed (an idle session should cost little memory).
    void release() { pending_.reset(); }

    /// The accepted connect request's parameters.
    const protocol::ConnectParams& params() const { return params_; }
    /// How the client was authenticated, for hello-ok: the overlay's mode when one decided, else the
    /// configured mode.
    const char* authMethod() const;

    /// What an admission plugin decided beyond the credentials (ABI 1.2).
    struct Admitted {
        std::string method;                             ///< hello-ok auth.method ("" = the credentials')
        std::optional<std::vector<std::string>> scopes; ///< within what was asked
        std::string deviceId;                           ///< the verified device id
        std::string deviceToken;                        ///< for hello-ok auth.deviceToken
        long long deviceTokenIssuedAtMs = 0;            ///< for hello-ok auth.issuedAtMs
    };
    /// Null when no admission plugin admitted with facts of its own.
    const Admitted* admitted() const { return admitted_.get(); }

  private:
    using Answer = plugins::LoadedPlugin::CallResult;
    /// Asks a plugin: `call` hands it the completion and says whether the question could be put (false: the
    /// workers are gone, and the connection closes). An answer given before `call` returns, on this thread,
    /// is handled here by `then` at once; a later one on the connection's loop, with reading held meanwhile.
    void askPlugin(const std::function<bool(plugins::LoadedPlugin::Done)>& call,
                   std::function<void(const Answer&)> then);
    void startAuth(const std::string& id);
    std::string authRequest() const;
    void ask(const std::string& id, size_t step);
    void decided(const std::string& id, size_t step, int status, const std::string& result,
                 const std::string& error);
    void refuseLater(const protocol::RpcError& err, const std::string& id);
    // The admission step (ConnectAdmission.cpp)
    void credentialsDecided(const std::string& id, std::optional<protocol::RpcError> refusal);
    /// Asks admission step `step`; a quick-first step on this loop first unless `quickAllowed` is false.
    void askAdmission(const std::string& id, size_t step, std::optional<protocol::RpcError> refusal,
                      bool quickAllowed = true);
    std::string admissionRequest(const std::optional<protocol::RpcError>& refusal, bool quick = false) const;
    void admissionDecided(const std::string& id, size_t step, std::optional<protocol::RpcError> refusal,
                          int status, const std::string& result, const std::string& error);
    /// Applies an admitting verdict; "" when sound, else what is wrong with it.
    std::string admit(const json::ObjectPtr& verdict, bool overCredentialsRefusal);
    void admissionFailed(const std::string& id, const std::string& plugin, const std::string& why);

    GatewayServer& gw_;
    HandshakeOwner& owner_;
    const Peer& peer_;
    const std::string& connId_;
    bool tls_;
    std::string origin_;
    protocol::ConnectParams params_;
    config::AuthMode mode_ = config::AuthMode::None;
    const char* overlayMethod_ =
        nullptr; ///< the overlay's mode when an overlay decided (the plugin's string)
    /// What only the auth plugins need, from the upgrade until connect has been decided.
    struct Pending {
        std::map<std::string, std::string> headers; ///< the upgrade request's
        std::string request;                        ///< what each auth plugin is asked (JSON)
        std::string paramsJson;                     ///< connect params as sent (for admission plugins)
        std::string nonce;                          ///< this socket's challenge
        long long ts = 0;
    };
    std::unique_ptr<Pending> pending_;
    std::unique_ptr<Admitted> admitted_;
};

} // namespace openclaw::server
