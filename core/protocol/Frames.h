// Protocol v4 frames: parse client text frames, encode res/event frames. Pure, no I/O.
#pragma once

#include "json/Json.h"

#include <optional>
#include <string>
#include <string_view>

namespace openclaw::protocol {

/// The protocol version this gateway speaks, and the oldest a probe may ask for.
constexpr int kProtocolVersion = 4;
constexpr int kMinimumProbeProtocol = 3;
/// Frame size caps (bytes): before hello-ok, and after (policy.maxPayload).
constexpr size_t kMaxPreauthPayload = 65536;
constexpr size_t kMaxPayload = 26214400;

/// An RPC error object: {code, message, details?, retryable?, retryAfterMs?}.
struct RpcError {
    std::string code; ///< INVALID_REQUEST, FORBIDDEN, NOT_PAIRED, UNAVAILABLE, …
    std::string message;
    json::Var details; ///< object or null
    std::optional<bool> retryable;
    std::optional<long long> retryAfterMs;

    json::ObjectPtr toJson() const;
    /// Reads an error object ({"code","message","details"}); nothing if it is not one.
    static std::optional<RpcError> fromJson(const json::Var& v);
};

/// A request frame from a client.
struct Request {
    std::string id;
    std::string method;
    /// params as the client wrote them (validated JSON text, any kind of value); "" when absent. Kept as text
    /// so a method that does not read them, or hands them on to a plugin, builds no tree.
    std::string paramsJson;

    bool hasParams() const { return !paramsJson.empty(); }
    /// params parsed (null when absent), for a handler that reads them.
    json::Var params() const;
};

/// Result of parsing one text frame.
struct ParsedFrame {
    enum class Kind {
        Request,      ///< a valid request
        InvalidFrame, ///< JSON but not a valid request; `error` says why; `id` echoed when present
        NotJson,      ///< not parseable as a JSON object
        Other         ///< a valid non-request frame (res/event from a client): ignored
    } kind = Kind::NotJson;
    Request request;
    std::string id;    ///< the id, when one was readable
    std::string error; ///< for InvalidFrame: the reference's message
};

/// Parses one client text frame, without building a JSON tree (json::readObject): the whole frame is
/// validated, params are kept as raw text.
ParsedFrame parseFrame(std::string_view text);

/// {"type":"res","id":…,"ok":true,"payload":…}
std::string encodeOk(const std::string& id, const json::Var& payload);
/// The same with an already-serialized payload.
std::string encodeOkJson(const std::string& id, const std::string& payloadJson);
/// {"type":"res","id":…,"ok":false,"error":{…}}
std::string encodeError(const std::string& id, const RpcError& error);
/// {"type":"event","event":…,"payload":…[,"seq":n][,"stateVersion":{…}]}
std::string encodeEvent(const std::string& event, const json::Var& payload, std::optional<long long> seq = {},
                        const json::Var& stateVersion = json::Var());

/// The same frame from already-serialized payload and stateVersion JSON ("" = absent): broadcasts
/// serialize a payload once and stamp each session's seq.
std::string encodeEventJson(const std::string& event, const std::string& payloadJson,
                            std::optional<long long> seq = {}, const std::string& stateVersionJson = "");

/// One event rendered once for many sessions: only the seq differs from one session to the next, so a
/// broadcast builds this once and each session appends it with its own seq (no JSON work per session).
class EventFrame {
  public:
    /// From already-serialized payload and stateVersion JSON ("" = absent).
    EventFrame(const std::string& event, const std::string& payloadJson,
               const std::string& stateVersionJson = "");
    /// Appends the frame's text with `seq` (nothing: no seq field) to `out`; the same text as
    /// encodeEventJson.
    void appendTo(std::string& out, std::optional<long long> seq) const;

  private:
    std::string head_; ///< {"type":"event","event":…,"payload":…
    std::string tail_; ///< [,"stateVersion":{…}]}
};

/// Truncates a close reason to the 123-byte WebSocket limit on a UTF-8 boundary.
std::string truncateCloseReason(const std::string& reason);

} // namespace openclaw::protocol
