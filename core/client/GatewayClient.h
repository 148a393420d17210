// A protocol v4 client: connect handshake, calls, timeouts. Used by the CLI and the tests.
#pragma once

#include "client/GatewayError.h"
#include "client/WsConnection.h"
#include "protocol/Frames.h"

#include <optional>
#include <string>
#include <vector>

namespace openclaw::client {

/// How to reach and identify to a gateway.
struct ClientOptions {
    std::string url = "ws://127.0.0.1:18789";
    std::optional<std::string> token;
    std::optional<std::string> password;
    int timeoutMs = 10000;
    std::string clientId = "cli";
    std::string clientMode = "cli";
    std::string clientVersion; ///< default: this build's protocol-compat version
    std::vector<std::string> scopes = {"operator.read"};
    int minProtocol = 4;
    int maxProtocol = 4;
    std::string tlsFingerprint; ///< wss:// pin (SHA-256 of the certificate); "" = verify against CAs
};

/// One connection to a gateway.
class GatewayClient {
  public:
    explicit GatewayClient(ClientOptions opts);
    ~GatewayClient();

    /// Opens the socket and performs the handshake. Returns the hello-ok payload. Throws GatewayError.
    json::ObjectPtr connect();
    /// Calls a method and returns its payload. With expectFinal, a payload {"status":"accepted"} (or any
    /// payload marked "final": false) is skipped and the next response with the same id is awaited.
    json::Var call(const std::string& method, const json::Var& params = json::Var(),
                   bool expectFinal = false);
    /// The next event frame (any name), or null when none arrives before timeoutMs.
    json::ObjectPtr nextEvent(int timeoutMs);
    /// Sends a close frame (1000) and closes.
    void close();
    /// Milliseconds from socket open to hello-ok.
    long long connectLatencyMs() const { return latencyMs_; }
    /// After a refused request (the gateway closes after refusing a connect): the close frame's code and
    /// reason, read within timeoutMs; nothing when the connection just dropped or stayed open.
    std::optional<std::pair<int, std::string>> awaitClose(int timeoutMs);

  private:
    json::ObjectPtr receiveObject(WsConnection::Deadline deadline, bool eventsOnly = false);
    void sendJson(const json::Var& v);
    /// Sends a request frame; returns its id.
    std::string sendRequest(const std::string& method, const json::Var& params);
    /// Waits for the response with `id`; returns it when ok, throws GatewayError(Request) otherwise.
    json::ObjectPtr awaitResponse(const std::string& id, WsConnection::Deadline deadline);
    std::string nextId();

    ClientOptions opts_;
    WsConnection ws_;
    std::string message_; ///< reassembly of fragmented messages
    std::vector<json::ObjectPtr> pendingEvents_;
    int counter_ = 0;
    std::string instanceId_;
    long long latencyMs_ = 0;
};

} // namespace openclaw::client
