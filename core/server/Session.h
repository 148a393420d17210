// The authenticated session of a connection: who the client is (its call context and granted scopes), the
// hello-ok it gets, and its requests: parsed, dispatched (inline, or on a worker for methods that may wait,
// at most gateway.limits.maxInflightPerSession at a time) and answered in the order they finish.
#pragma once

#include "protocol/Connect.h"
#include "protocol/HelloOk.h"
#include "rpc/Registry.h"
#include "server/ConnectHandshake.h"

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace openclaw::server {

class GatewayServer;

/// Where a session's answers go. Called on the connection's loop thread.
class SessionOutput {
  public:
    virtual ~SessionOutput() = default;
    /// Sends a text frame.
    virtual void sendText(const std::string& text) = 0;
    /// A function that any thread may call at any time, even after the connection has gone: it runs its
    /// argument on the connection's loop while the connection exists.
    virtual std::function<void(std::function<void()>)> poster() = 0;
};

/// One authenticated session.
class Session {
  public:
    Session(GatewayServer& gw, SessionOutput& out, const std::string& connId);

    /// The session begins: its id, the granted scopes, and the hello-ok facts for this client.
    protocol::HelloInfo begin(const protocol::ConnectParams& params, const char* authMethod,
                              long long maxBufferedBytes, const std::string& remote, bool loopback,
                              const ConnectHandshake::Admitted* admitted = nullptr);
    /// Who the client is (shared with the session directory); null before begin().
    const std::shared_ptr<const rpc::CallContext>& context() const { return ctx_; }
    /// A text frame after hello-ok.
    void onFrame(const std::string& text);

  private:
    void dispatchLater(const rpc::Registry::Method* method, const protocol::Request& req,
                       std::chrono::steady_clock::time_point started);
    void finish(const protocol::Request& req, const rpc::Outcome& outcome,
                std::chrono::steady_clock::time_point started);
    void hookRequest(const protocol::Request& req, const rpc::Outcome& outcome, long long us);

    GatewayServer& gw_;
    SessionOutput& out_;
    const std::string& connId_;
    std::shared_ptr<const rpc::CallContext> ctx_;
    int inflight_ = 0;
};

} // namespace openclaw::server
