// libFuzzer target: a client's WebSocket bytes and text frames, as the server meets them
// (RFC 6455 decoding, frame parsing, connect validation, origin checks). The frame reader (simdjson
// On-Demand, no tree) and json::parse (simdjson too, building the tree) are checked against POCO's JSON
// parser: all must take the same frames and read the same envelope, params and trees from them. The connect
// params read without a tree must be the tree path's, and a connect step's flags json::getBool's.
#include "protocol/Connect.h"
#include "protocol/Frames.h"
#include "protocol/WsCodec.h"
#include "server/StepVerdict.h"
#include "json/Json.h"
#include "json/RawJson.h"

#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
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

/// POCO's JSON parser, the oracle: what json::parse was before it read with simdjson.
std::optional<json::Var> pocoTree(const std::string& text) {
    try {
        Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
        return parser.parse(text);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

/// Where POCO is no oracle: it reads a 0xFF byte as the end of its input (so text that is not UTF-8 may
/// pass), wraps or clamps integers of 19 digits and more, and reads negative ones of 16 and more through a
/// double
/// (-44440400000066666 became -44440400000066664). Both readers refuse what is not UTF-8.
bool pocoIsNoOracle(const std::string& text) {
    size_t run = 0;
    for (char c : text) {
        run = (c >= '0' && c <= '9') ? run + 1 : 0;
        if (run >= 16) return true;
    }
    return false;
}

/// The frame reader, json::parse and POCO's parser must take the same frames and read the same from them.
void checkAgainstTree(const std::string& text, const protocol::ParsedFrame& f) {
    if (!simdjson::validate_utf8(text.data(), text.size())) {
        if (f.kind != protocol::ParsedFrame::Kind::NotJson)
            mismatch("the reader takes text that is not UTF-8", text);
        if (json::tryParse(text)) mismatch("json::parse takes text that is not UTF-8", text);
        return;
    }
    if (pocoIsNoOracle(text)) return;
    std::optional<json::Var> tree = pocoTree(text);
    std::optional<json::Var> ours = json::tryParse(text);
    if (tree.has_value() != ours.has_value() && (tree || json::asObject(*ours) || json::asArray(*ours)))
        mismatch(tree ? "only POCO takes it" : "only json::parse takes it", text);
    if (tree && json::stringify(*tree) != json::stringify(*ours)) mismatch("trees", text);
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

/// The tree-free connect reader takes only what the tree path accepts, and reads the same from it.
void checkPlainConnect(const std::string& text, const protocol::ParsedFrame& f,
                       const std::variant<protocol::ConnectParams, protocol::HandshakeError>& tree) {
    const std::optional<protocol::ConnectParams> plain = protocol::readPlainConnect(f.request.paramsJson);
    if (!plain) return;
    const auto* t = std::get_if<protocol::ConnectParams>(&tree);
    if (!t) mismatch("the connect reader takes params the tree path refuses", text);
    const auto& a = plain->client;
    const auto& b = t->client;
    const bool same =
        plain->minProtocol == t->minProtocol && plain->maxProtocol == t->maxProtocol && a.id == b.id &&
        a.version == b.version && a.platform == b.platform && a.mode == b.mode &&
        a.deviceFamily == b.deviceFamily && a.instanceId == b.instanceId && a.displayName == b.displayName &&
        plain->caps == t->caps && plain->commands == t->commands && plain->permissions == t->permissions &&
        plain->role == t->role && plain->scopes == t->scopes &&
        std::string(plain->providedAuth) == t->providedAuth && plain->hasDevice == t->hasDevice &&
        (plain->authJson.empty() ? t->authJson.empty()
                                 : json::stringify(json::parse(plain->authJson)) == t->authJson);
    if (!same) mismatch("the connect reader and the tree path read different params", text);
}

/// A connect step's flags read without a tree are json::getBool's on the tree.
void checkStepFlags(const std::string& text) {
    const std::optional<server::StepFlags> flags = server::readStepFlags(text);
    const std::optional<json::Var> tree = json::tryParse(text);
    const json::ObjectPtr o = tree ? json::asObject(*tree) : nullptr;
    if (flags.has_value() != static_cast<bool>(o)) mismatch("step flags: object or not", text);
    if (flags && (flags->ok != json::getBool(o, "ok").value_or(false) ||
                  flags->defer != json::getBool(o, "defer").value_or(false) ||
                  flags->pass != json::getBool(o, "pass").value_or(false)))
        mismatch("step flags", text);
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
        checkPlainConnect(text, f, r);
        (void)encodeOk(f.request.id, params);
    }
    // Any JSON container, as a plugin's answer is checked before it is spliced into a frame (a scalar is
    // JSON too, but POCO's parser takes only containers).
    const std::string_view trimmed = openclaw::json::trimWhitespace(text);
    if (!trimmed.empty() && simdjson::validate_utf8(text.data(), text.size()) && !pocoIsNoOracle(text) &&
        (trimmed.front() == '{' || trimmed.front() == '[') &&
        openclaw::json::isValid(text) != pocoTree(text).has_value())
        mismatch("isValid", text);
    if (simdjson::validate_utf8(text.data(), text.size()) && !pocoIsNoOracle(text)) checkStepFlags(text);
    (void)originAllowed(text, {"https://ui.example"}, 18800);
    return 0;
}
