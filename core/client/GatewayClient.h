// A protocol v4 client: connect handshake, calls, timeouts. Used by the CLI and the tests.
#pragma once

#include "protocol/Frames.h"

#include "protocol/WsCodec.h"

#include <Poco/Net/StreamSocket.h>

#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
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
    std::string clientVersion;           ///< default: this build's protocol-compat version
    std::vector<std::string> scopes = {"operator.read"};
    int minProtocol = 4;
    int maxProtocol = 4;
};

/// A failure, classified as the reference CLI reports it.
class GatewayError : public std::runtime_error {
public:
    enum class Kind {
        Transport, ///< could not connect, or the connection closed (gateway_transport_error)
        Request,   ///< the gateway answered ok:false (gateway_request_error)
        Timeout    ///< no answer in time
    };
    GatewayError(Kind kind, std::string message, std::string reason = "")
        : std::runtime_error(message), kind(kind), reason(std::move(reason)) {}
    Kind kind;
    std::string reason;            ///< transport detail, e.g. "connect ECONNREFUSED 127.0.0.1:18789"
    protocol::RpcError rpc;        ///< for Request
    int closeCode = 0;             ///< close frame seen, if any
    std::string closeReason;
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
    json::Var call(const std::string& method, const json::Var& params = json::Var(), bool expectFinal = false);
    /// Sends a close frame (1000) and closes.
    void close();
    /// Milliseconds from socket open to hello-ok.
    long long connectLatencyMs() const { return latencyMs_; }

private:
    json::ObjectPtr receiveObject(std::chrono::steady_clock::time_point deadline);
    void sendJson(const json::Var& v);
    void sendFrame(protocol::WsOpcode op, const std::string& payload);
    std::string nextId();

    ClientOptions opts_;
    std::unique_ptr<Poco::Net::StreamSocket> socket_;
    protocol::WsDecoder decoder_{protocol::kMaxPayload};
    std::string message_; ///< reassembly of fragmented messages
    int counter_ = 0;
    std::string instanceId_;
    long long latencyMs_ = 0;
};

} // namespace openclaw::client
