#include "protocol/Frames.h"

#include "json/RawJson.h"

namespace openclaw::protocol {

json::ObjectPtr RpcError::toJson() const {
    json::ObjectPtr e = json::makeObject();
    e->set("code", code);
    e->set("message", message);
    if (!details.isEmpty()) e->set("details", details);
    if (retryable) e->set("retryable", *retryable);
    if (retryAfterMs) e->set("retryAfterMs", static_cast<Poco::Int64>(*retryAfterMs));
    return e;
}

std::optional<RpcError> RpcError::fromJson(const json::Var& v) {
    json::ObjectPtr o = json::asObject(v);
    if (!o) return std::nullopt;
    auto code = json::getString(o, "code");
    auto message = json::getString(o, "message");
    if (!code || !message) return std::nullopt;
    RpcError e{*code, *message, o->has("details") ? o->get("details") : json::Var(),
               json::getBool(o, "retryable"), json::getInt(o, "retryAfterMs")};
    return e;
}

namespace {

/// What the envelope's members were (the last of each name wins, as in json::parse). Only facts are kept:
/// the member views die with the visit.
struct Envelope {
    struct Field {
        bool present = false;
        json::RawKind kind = json::RawKind::Null;
        bool isString() const { return present && kind == json::RawKind::String; }
    };
    Field type, id, method, params;
    enum class Type { Other, Req, ResOrEvent } typeValue = Type::Other;
};

/// Records one member of the frame; copies out the text a request keeps.
void readEnvelopeMember(const json::RawMember& m, Envelope& e, ParsedFrame& f) {
    const bool string = m.kind == json::RawKind::String;
    if (m.key == "type") {
        e.type = {true, m.kind};
        e.typeValue = !string                                  ? Envelope::Type::Other
                      : m.text == "req"                        ? Envelope::Type::Req
                      : (m.text == "res" || m.text == "event") ? Envelope::Type::ResOrEvent
                                                               : Envelope::Type::Other;
    } else if (m.key == "id") {
        e.id = {true, m.kind};
        f.id.assign(string ? m.text : std::string_view());
    } else if (m.key == "method") {
        e.method = {true, m.kind};
        f.request.method.assign(string ? m.text : std::string_view());
    } else if (m.key == "params") {
        e.params = {true, m.kind};
        f.request.paramsJson.assign(m.raw);
    }
}

/// The reference's message for a request envelope that is not valid, or "" when it is one.
const char* envelopeError(const Envelope& e, const ParsedFrame& f) {
    if (!e.type.present) return "invalid request frame: must have required property 'type'";
    if (e.typeValue != Envelope::Type::Req)
        return "invalid request frame: at /type: must be equal to one of the allowed values";
    if (!e.id.present) return "invalid request frame: must have required property 'id'";
    if (!e.id.isString()) return "invalid request frame: at /id: must be string";
    if (!e.method.present) return "invalid request frame: must have required property 'method'";
    if (!e.method.isString()) return "invalid request frame: at /method: must be string";
    if (f.request.method.empty())
        return "invalid request frame: at /method: must NOT have fewer than 1 characters";
    return "";
}

} // namespace

json::Var Request::params() const {
    if (!hasParams()) return json::Var();
    if (paramsJson == "{}") return json::makeObject(); // what most clients send: no parser for it
    return json::parse(paramsJson);
}

ParsedFrame parseFrame(std::string_view text) {
    ParsedFrame f;
    Envelope e;
    if (!json::readObject(text, [&](const json::RawMember& m) { readEnvelopeMember(m, e, f); }))
        return f; // NotJson (readObject visits nothing of a document it refuses)
    if (e.typeValue == Envelope::Type::ResOrEvent) {
        f.kind = ParsedFrame::Kind::Other;
        return f;
    }
    f.error = envelopeError(e, f);
    if (!f.error.empty()) {
        f.kind = ParsedFrame::Kind::InvalidFrame;
        return f;
    }
    f.kind = ParsedFrame::Kind::Request;
    f.request.id = f.id;
    return f;
}

std::string encodeOk(const std::string& id, const json::Var& payload) {
    return encodeOkJson(id, json::stringify(payload));
}

std::string encodeOkJson(const std::string& id, const std::string& payloadJson) {
    std::string out;
    out.reserve(48 + id.size() + payloadJson.size());
    out += "{\"type\":\"res\",\"id\":";
    json::appendQuoted(out, id);
    out += ",\"ok\":true,\"payload\":";
    out += payloadJson;
    out += '}';
    return out;
}

std::string encodeError(const std::string& id, const RpcError& error) {
    json::ObjectPtr o = json::makeObject();
    o->set("type", std::string("res"));
    o->set("id", id);
    o->set("ok", false);
    o->set("error", error.toJson());
    return json::stringify(o);
}

std::string encodeEvent(const std::string& event, const json::Var& payload, std::optional<long long> seq,
                        const json::Var& stateVersion) {
    return encodeEventJson(event, json::stringify(payload), seq,
                           stateVersion.isEmpty() ? std::string() : json::stringify(stateVersion));
}

std::string encodeEventJson(const std::string& event, const std::string& payloadJson,
                            std::optional<long long> seq, const std::string& stateVersionJson) {
    std::string out;
    EventFrame(event, payloadJson, stateVersionJson).appendTo(out, seq);
    return out;
}

EventFrame::EventFrame(const std::string& event, const std::string& payloadJson,
                       const std::string& stateVersionJson) {
    head_ = "{\"type\":\"event\",\"event\":";
    json::appendQuoted(head_, event);
    head_ += ",\"payload\":";
    head_ += payloadJson;
    if (!stateVersionJson.empty()) {
        tail_ = ",\"stateVersion\":";
        tail_ += stateVersionJson;
    }
    tail_ += '}';
}

void EventFrame::appendTo(std::string& out, std::optional<long long> seq) const {
    out.reserve(out.size() + head_.size() + tail_.size() + 28);
    out += head_;
    if (seq) {
        out += ",\"seq\":";
        out += std::to_string(*seq);
    }
    out += tail_;
}

std::string truncateCloseReason(const std::string& reason) {
    if (reason.size() <= 123) return reason;
    size_t n = 123;
    while (n > 0 && (static_cast<unsigned char>(reason[n]) & 0xC0) == 0x80)
        --n;
    return reason.substr(0, n);
}

} // namespace openclaw::protocol
