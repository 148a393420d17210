#include "protocol/Frames.h"

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

ParsedFrame parseFrame(const std::string& text) {
    ParsedFrame f;
    json::Var v;
    try {
        v = json::parse(text);
    } catch (const std::exception&) {
        f.kind = ParsedFrame::Kind::NotJson;
        return f;
    }
    json::ObjectPtr o = json::asObject(v);
    if (!o) {
        f.kind = ParsedFrame::Kind::NotJson;
        return f;
    }
    if (auto id = json::getString(o, "id")) f.id = *id;
    auto type = json::getString(o, "type");
    if (type && (*type == "res" || *type == "event")) {
        f.kind = ParsedFrame::Kind::Other;
        return f;
    }
    f.kind = ParsedFrame::Kind::InvalidFrame;
    if (!o->has("type")) {
        f.error = "invalid request frame: must have required property 'type'";
        return f;
    }
    if (!type || *type != "req") {
        f.error = "invalid request frame: at /type: must be equal to one of the allowed values";
        return f;
    }
    if (!o->has("id")) {
        f.error = "invalid request frame: must have required property 'id'";
        return f;
    }
    if (!json::isString(o->get("id"))) {
        f.error = "invalid request frame: at /id: must be string";
        return f;
    }
    if (!o->has("method")) {
        f.error = "invalid request frame: must have required property 'method'";
        return f;
    }
    auto method = json::getString(o, "method");
    if (!method) {
        f.error = "invalid request frame: at /method: must be string";
        return f;
    }
    if (method->empty()) {
        f.error = "invalid request frame: at /method: must NOT have fewer than 1 characters";
        return f;
    }
    f.kind = ParsedFrame::Kind::Request;
    f.request.id = f.id;
    f.request.method = *method;
    f.request.hasParams = o->has("params");
    if (f.request.hasParams) f.request.params = o->get("params");
    return f;
}

std::string encodeOk(const std::string& id, const json::Var& payload) {
    return encodeOkJson(id, json::stringify(payload));
}

std::string encodeOkJson(const std::string& id, const std::string& payloadJson) {
    std::string out = "{\"type\":\"res\",\"id\":";
    out += json::stringify(json::Var(id));
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
    head_ += json::stringify(json::Var(event));
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
