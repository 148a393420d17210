#include "protocol/WsCodec.h"

#include "protocol/ByteBuffers.h"
#include "protocol/Frames.h"

#include <Poco/Base64Encoder.h>
#include <Poco/SHA1Engine.h>

#include <sstream>

namespace openclaw::protocol {

namespace {
/// An emptied buffer keeps up to this much capacity for the next frames; beyond, it is given back (an idle
/// session should not hold the memory of one large frame).
constexpr size_t kKeptCapacity = 4096;
} // namespace

void WsDecoder::feed(const char* data, size_t len) {
    if (!error_.empty()) return;
    // Decoded frames are dropped here, once per read, not once per frame: a peer pipelining many small
    // frames in one write would otherwise cost a move of the rest per frame (quadratic).
    if (at_ > 0) {
        buffer_.erase(0, at_);
        at_ = 0;
    }
    buffer_.append(data, len);
}

void WsDecoder::consumed(size_t n) {
    at_ += n;
    if (at_ < buffer_.size()) return;
    at_ = 0;
    clearKeeping(buffer_, kKeptCapacity);
}

bool WsDecoder::releaseIfDrained() {
    if (at_ < buffer_.size()) return false;
    std::string().swap(buffer_);
    at_ = 0;
    return true;
}

std::optional<WsFrame> WsDecoder::next() {
    const size_t have = buffer_.size() - at_;
    if (!error_.empty() || have < 2) return std::nullopt;
    const auto* b = reinterpret_cast<const unsigned char*>(buffer_.data()) + at_;
    if (b[0] & 0x70) {
        error_ = "reserved bits set (no extension was negotiated)";
        return std::nullopt;
    }
    uint8_t op = b[0] & 0x0F;
    if (!(op <= 2 || (op >= 8 && op <= 10))) {
        error_ = "unknown opcode " + std::to_string(op);
        return std::nullopt;
    }
    bool masked = b[1] & 0x80;
    uint64_t len = b[1] & 0x7F;
    size_t pos = 2;
    if (len == 126) {
        if (have < 4) return std::nullopt;
        len = (static_cast<uint64_t>(b[2]) << 8) | b[3];
        pos = 4;
    } else if (len == 127) {
        if (have < 10) return std::nullopt;
        len = 0;
        for (int i = 0; i < 8; ++i)
            len = (len << 8) | b[2 + i];
        pos = 10;
    }
    if (op >= 8 && (len > 125 || !(b[0] & 0x80))) {
        error_ = "invalid control frame";
        return std::nullopt;
    }
    if (len > maxPayload_) {
        error_ = "payload too big";
        tooBig_ = true;
        return std::nullopt;
    }
    size_t need = pos + (masked ? 4 : 0) + static_cast<size_t>(len);
    if (have < need) return std::nullopt;
    WsFrame f;
    f.fin = b[0] & 0x80;
    f.opcode = static_cast<WsOpcode>(op);
    const unsigned char* key = masked ? b + pos : nullptr;
    size_t start = pos + (masked ? 4 : 0);
    f.payload.assign(reinterpret_cast<const char*>(b) + start, static_cast<size_t>(len));
    if (key)
        for (size_t i = 0; i < f.payload.size(); ++i)
            f.payload[i] = static_cast<char>(f.payload[i] ^ key[i % 4]);
    consumed(need);
    return f;
}

void appendWsFrame(std::string& out, WsOpcode opcode, const char* payload, size_t size,
                   std::optional<uint32_t> maskKey, bool fin) {
    out += static_cast<char>((fin ? 0x80 : 0) | static_cast<uint8_t>(opcode));
    uint8_t maskBit = maskKey ? 0x80 : 0;
    uint64_t len = size;
    if (len < 126) {
        out += static_cast<char>(maskBit | len);
    } else if (len <= 0xFFFF) {
        out += static_cast<char>(maskBit | 126);
        out += static_cast<char>((len >> 8) & 0xFF);
        out += static_cast<char>(len & 0xFF);
    } else {
        out += static_cast<char>(maskBit | 127);
        for (int i = 7; i >= 0; --i)
            out += static_cast<char>((len >> (8 * i)) & 0xFF);
    }
    if (!maskKey) {
        out.append(payload, size);
        return;
    }
    unsigned char key[4] = {static_cast<unsigned char>(*maskKey >> 24),
                            static_cast<unsigned char>(*maskKey >> 16),
                            static_cast<unsigned char>(*maskKey >> 8), static_cast<unsigned char>(*maskKey)};
    out.append(reinterpret_cast<const char*>(key), 4);
    size_t base = out.size();
    out.append(payload, size);
    for (size_t i = 0; i < size; ++i)
        out[base + i] = static_cast<char>(out[base + i] ^ key[i % 4]);
}

std::string encodeWsFrame(WsOpcode opcode, const std::string& payload, std::optional<uint32_t> maskKey,
                          bool fin) {
    std::string out;
    out.reserve(payload.size() + 14);
    appendWsFrame(out, opcode, payload.data(), payload.size(), maskKey, fin);
    return out;
}

std::string encodeClosePayload(int code, const std::string& reason) {
    std::string out;
    out += static_cast<char>((code >> 8) & 0xFF);
    out += static_cast<char>(code & 0xFF);
    return out + truncateCloseReason(reason);
}

int decodeCloseCode(const std::string& payload) {
    if (payload.size() < 2) return 0;
    return (static_cast<unsigned char>(payload[0]) << 8) | static_cast<unsigned char>(payload[1]);
}

std::string wsAcceptKey(const std::string& key) {
    Poco::SHA1Engine sha;
    sha.update(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
    const Poco::DigestEngine::Digest& d = sha.digest();
    std::ostringstream ss;
    Poco::Base64Encoder enc(ss);
    enc.write(reinterpret_cast<const char*>(d.data()), static_cast<std::streamsize>(d.size()));
    enc.close();
    return ss.str();
}

} // namespace openclaw::protocol
