// libFuzzer target: a client's WebSocket bytes and text frames, as the server meets them
// (RFC 6455 decoding, frame parsing, connect validation, origin checks). The frame reader (simdjson
// On-Demand, no tree) is checked against json::parse: both must take the same frames and read the same
// envelope and params from them.
#include "protocol/Connect.h"
#include "protocol/Frames.h"
#include "protocol/WsCodec.h"
#include "json/Json.h"
#include "json/RawJson.h"

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

using namespace openclaw;

[[noreturn]] void mismatch(const char* what, const std::string& text) {
    std::fprintf(stderr, "frame reader and json::parse disagree (%s) on: %s\n", what, text.c_str());
    std::abort();
}

/// What json::parse makes of the frame, in the terms parseFrame answers in.
void checkAgainstTree(const std::string& text, const protocol::ParsedFrame& f) {
    // Text that is not UTF-8 is refused. json::parse is no oracle there: it reads a 0xFF byte as the end of
    // its input and takes what came before.
    if (!simdjson::validate_utf8(text.data(), text.size())) {
        if (f.kind != protocol::ParsedFrame::Kind::NotJson)
            mismatch("the reader takes text that is not UTF-8", text);
        return;
    }
    std::optional<json::Var> tree = json::tryParse(text);
    json::ObjectPtr o = tree ? json::asObject(*tree) : nullptr;
    const bool readable = f.kind != protocol::ParsedFrame::Kind::NotJson;
    if (readable != static_cast<bool>(o))
        mismatch(readable ? "only the reader takes it" : "only the tree takes it", text);
    if (!o) return;
    const std::string id = json::getString(o, "id").value_or("");
    if (f.id != id) mismatch("id", text);
    if (f.kind != protocol::ParsedFrame::Kind::Request) return;
    if (json::getString(o, "method").value_or("") != f.request.method) mismatch("method", text);
    if (o->has("params") != f.request.hasParams()) mismatch("params present", text);
    if (f.request.hasParams() && json::stringify(o->get("params")) != json::stringify(f.request.params()))
        mismatch("params", text);
}

} // namespace

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
    checkAgainstTree(text, f);
    if (f.kind == ParsedFrame::Kind::Request) {
        const auto params = f.request.params();
        auto r = parseConnect(params);
        if (auto* e = std::get_if<HandshakeError>(&r)) (void)truncateCloseReason(e->closeReason);
        (void)encodeOk(f.request.id, params);
    }
    // Any JSON container, as a plugin's answer is checked before it is spliced into a frame (a scalar is
    // JSON too, but POCO's parser takes only containers).
    const std::string_view trimmed = openclaw::json::trimWhitespace(text);
    if (!trimmed.empty() && simdjson::validate_utf8(text.data(), text.size()) &&
        (trimmed.front() == '{' || trimmed.front() == '[') &&
        openclaw::json::isValid(text) != openclaw::json::tryParse(text).has_value())
        mismatch("isValid", text);
    (void)originAllowed(text, {"https://ui.example"}, 18800);
    return 0;
}
