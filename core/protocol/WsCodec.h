// RFC 6455 framing, incremental and pure: feed bytes as they arrive, take whole frames out.
// Used by the client (and by the server's reactor later); fuzzed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace openclaw::protocol {

/// WebSocket opcodes.
enum class WsOpcode : uint8_t {
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA
};

/// One decoded frame (payload already unmasked).
struct WsFrame {
    bool fin = true;
    WsOpcode opcode = WsOpcode::Text;
    std::string payload;
};

/// Incremental decoder. Errors are sticky: after one, feed() is ignored and error() says why.
class WsDecoder {
  public:
    /// maxPayload: a frame announcing more is an error (close 1009 territory).
    explicit WsDecoder(uint64_t maxPayload) : maxPayload_(maxPayload) {}
    /// Appends received bytes.
    void feed(const char* data, size_t len);
    /// The next whole frame, or nothing until more bytes arrive (or after an error).
    std::optional<WsFrame> next();
    /// "" while healthy; otherwise what went wrong ("payload too big", "reserved bits set", …).
    const std::string& error() const { return error_; }
    /// True when the error was an oversized frame.
    bool tooBig() const { return tooBig_; }
    void setMaxPayload(uint64_t max) { maxPayload_ = max; }
    /// Gives the buffer's memory back when every byte received has been decoded (a session going idle
    /// after its connect frame, the largest it sends); false, keeping it, while a frame is partly here.
    bool releaseIfDrained();

  private:
    void consumed(size_t n);

    std::string buffer_;
    size_t at_ = 0; ///< first byte of buffer_ not yet decoded
    uint64_t maxPayload_;
    std::string error_;
    bool tooBig_ = false;
};

/// Appends one frame to `out` (no allocation when `out` has the capacity). `maskKey` as for encodeWsFrame.
void appendWsFrame(std::string& out, WsOpcode opcode, const char* payload, size_t len,
                   std::optional<uint32_t> maskKey = {}, bool fin = true);

/// Encodes one frame. `maskKey` (4 bytes) masks the payload, as clients must; nothing = unmasked (server).
std::string encodeWsFrame(WsOpcode opcode, const std::string& payload, std::optional<uint32_t> maskKey = {},
                          bool fin = true);

/// Encodes a close frame payload: 2-byte code + reason (truncated to fit 125 bytes).
std::string encodeClosePayload(int code, const std::string& reason);

/// The code of a close frame's payload (0 when the payload carries none).
int decodeCloseCode(const std::string& payload);

/// Sec-WebSocket-Accept for a Sec-WebSocket-Key.
std::string wsAcceptKey(const std::string& key);

} // namespace openclaw::protocol
