// One WebSocket connection: challenge, connect validation, auth, hello-ok, then requests and events.
#pragma once

#include "protocol/Connect.h"

#include <Poco/Net/WebSocket.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>

namespace openclaw::server {

class GatewayServer;

/// A connection's state. run() is the connection's whole life; send* are thread-safe.
class Session {
  public:
    Session(GatewayServer& gw, const Poco::Net::WebSocket& ws, std::string remoteAddress, bool remoteLoopback,
            std::string origin, std::string localAddress);

    /// Serves the connection until it closes.
    void run();
    /// Sends an event with this session's next seq (only once authenticated).
    void sendEvent(const std::string& event, const json::Var& payload, const json::Var& stateVersion);
    /// Sends a close frame and stops the session.
    void close(int code, const std::string& reason);

    bool authenticated() const { return authed_; }
    const std::string& connId() const { return connId_; }
    /// Presence entry for a node-role session (null for others).
    json::ObjectPtr presenceEntry() const;

  private:
    bool sendText(const std::string& text);
    bool sendTextLocked(const std::string& text); ///< with sendMu_ held
    bool handleHandshakeFrame(const std::string& text);
    void handleFrame(const std::string& text);
    void refuse(const protocol::HandshakeError& e, const std::string& id);
    void wsLog(const std::string& line, bool detailed = false) const;

    GatewayServer& gw_;
    Poco::Net::WebSocket ws_;
    std::string remote_;
    bool remoteLoopback_;
    std::string origin_;
    std::string local_;
    std::string connId_;
    std::chrono::steady_clock::time_point opened_;
    std::mutex sendMu_;
    std::atomic<bool> authed_{false};
    std::atomic<bool> closed_{false};
    long long seq_ = 0; ///< guarded by sendMu_
    protocol::ConnectParams params_;
    std::vector<std::string> scopes_;
    std::string authMethod_;
};

/// Creates the HTTP handler that routes /healthz, /readyz and WebSocket upgrades.
class RequestHandlerFactory;

} // namespace openclaw::server
