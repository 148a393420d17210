// The `connect` request: validation with the reference's messages, error codes and close codes. Pure.
#pragma once

#include "protocol/Frames.h"

#include <string>
#include <variant>
#include <vector>

namespace openclaw::protocol {

/// connect.params.client
struct ClientInfo {
    std::string id; ///< closed enum (cli, openclaw-macos, …)
    std::string version;
    std::string platform;
    std::string mode; ///< closed enum (cli, probe, ui, …)
    std::string deviceFamily;
    std::string instanceId;
    std::string displayName;
};

/// Validated connect params.
struct ConnectParams {
    int minProtocol = 0;
    int maxProtocol = 0;
    ClientInfo client;
    std::vector<std::string> caps;
    std::vector<std::string> commands;                     ///< what a node says it can run (node role)
    std::vector<std::pair<std::string, bool>> permissions; ///< {name: granted} a node reports (node role)
    std::string role = "operator";
    std::vector<std::string> scopes;
    /// The auth object as JSON text ("" when absent), handed to the auth plugins: as the client wrote it for
    /// a plain connect, re-written from the tree otherwise (so never with a repeated key).
    std::string authJson;
    /// Which secret the client offered, for logs: "password", "token" or "none".
    const char* providedAuth = "none";
    bool hasDevice = false;
};

/// A refused handshake: the error response, then the close code and reason.
struct HandshakeError {
    RpcError error;
    int closeCode = 1008;
    std::string closeReason;
};

/// Appends the client object as JSON (the fields that were sent), for the auth plugins and hooks.
void appendClientJson(std::string& out, const ClientInfo& c);

/// Validates connect params (schema, then protocol range).
std::variant<ConnectParams, HandshakeError> parseConnect(const json::Var& params);

/// The same from the params' JSON text as parseFrame leaves it (valid JSON; "" when absent): a plain connect
/// is read without a tree (readPlainConnect), anything else through parseConnect, whose answer stands.
std::variant<ConnectParams, HandshakeError> parseConnectText(const std::string& paramsJson);

/// The tree-free read alone (simdjson On-Demand, one pass): the params of a connect that parseConnect
/// accepts as it is — no `device`, no repeated key in what is read, protocol numbers written as plain
/// integers — and nothing for anything else, which parseConnect then decides. `paramsJson` must be valid
/// JSON.
std::optional<ConnectParams> readPlainConnect(std::string_view paramsJson);

/// The refusal for a first request that is not `connect`.
HandshakeError notConnectFirst();

/// The refusal for a browser Origin that is not allowed.
HandshakeError originNotAllowed();

/// True when `origin` may connect: allowed list, or http(s)://localhost|127.0.0.1[:port] of this gateway.
bool originAllowed(const std::string& origin, const std::vector<std::string>& allowed, int port);

/// The closed enums, as the reference defines them.
const std::vector<std::string>& clientIds();
const std::vector<std::string>& clientModes();

} // namespace openclaw::protocol
