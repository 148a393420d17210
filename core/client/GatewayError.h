// Client-side failures, classified as the reference CLI reports them.
#pragma once

#include "protocol/Frames.h"

#include <stdexcept>
#include <string>

namespace openclaw::client {

/// A failure talking to a gateway.
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
    std::string reason;     ///< transport detail, e.g. "connect ECONNREFUSED 127.0.0.1:18789"
    protocol::RpcError rpc; ///< for Request
    int closeCode = 0;      ///< close frame seen, if any
    std::string closeReason;
};

} // namespace openclaw::client
