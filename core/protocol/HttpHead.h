// The HTTP request head a connection starts with (routes or the WebSocket upgrade), parsed purely
// from its bytes so it can be unit-tested and fuzzed.
#pragma once

#include <map>
#include <string>

namespace openclaw::protocol {

/// What the gateway needs from a request head.
struct HttpHead {
    bool ok = false;    ///< false: malformed (see error)
    std::string error;  ///< why it is malformed
    std::string method; ///< GET, HEAD, …
    std::string path;   ///< the URI's path ("/readyz"), without the query
    std::string query;  ///< what follows "?" in the target, as sent ("" when none)
    bool keepAlive = false;
    bool upgradeWebSocket = false;  ///< `Upgrade: websocket`
    std::string wsKey;              ///< Sec-WebSocket-Key
    std::string wsVersion;          ///< Sec-WebSocket-Version
    bool connectionUpgrade = false; ///< `Connection` lists "upgrade"
    std::string origin;             ///< Origin ("" when absent)
    std::string firstSubprotocol;   ///< the first Sec-WebSocket-Protocol offered ("" when none)
    /// Every header: lower-cased name -> its first value (bounded by the parser's limits on fields and
    /// lines).
    std::map<std::string, std::string> headers;
};

/// Parses one request head: the request line and headers through the blank line.
HttpHead parseHttpHead(const std::string& block);

} // namespace openclaw::protocol
