// libFuzzer target: a client's WebSocket bytes and text frames, as the server meets them
// (RFC 6455 decoding, frame parsing, connect validation, origin checks).
#include "protocol/Connect.h"
#include "protocol/Frames.h"
#include "protocol/WsCodec.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace openclaw::protocol;
    const std::string text(reinterpret_cast<const char*>(data), size);
    // As raw socket bytes, split at an arbitrary point.
    WsDecoder decoder(kMaxPreauthPayload);
    size_t cut = size ? data[0] % (size + 1) : 0;
    decoder.feed(text.data(), cut);
    while (decoder.next()) {
    }
    decoder.feed(text.data() + cut, size - cut);
    while (auto f = decoder.next())
        (void)f->payload.size();
    // As a text frame.
    ParsedFrame f = parseFrame(text);
    if (f.kind == ParsedFrame::Kind::Request) {
        auto r = parseConnect(f.request.params);
        if (auto* e = std::get_if<HandshakeError>(&r)) (void)truncateCloseReason(e->closeReason);
        (void)encodeOk(f.request.id, f.request.params);
    }
    (void)originAllowed(text, {"https://ui.example"}, 18800);
    return 0;
}
