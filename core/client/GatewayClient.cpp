#include "client/GatewayClient.h"
#include "protocol/RandomId.h"

#include "version.h"

namespace openclaw::client {

namespace {
std::string uuid() {
    return protocol::randomUuid();
}
} // namespace

GatewayClient::GatewayClient(ClientOptions opts) : opts_(std::move(opts)), instanceId_(uuid()) {
    if (opts_.clientVersion.empty()) opts_.clientVersion = OPENCLAW_VERSION;
}

GatewayClient::~GatewayClient() {
    try {
        close();
    } catch (const std::exception&) {
        // A destructor must not throw; close() already reported nothing useful to a caller that is gone.
    }
}

std::string GatewayClient::nextId() {
    return std::to_string(++counter_) + ":" + uuid();
}

void GatewayClient::sendJson(const json::Var& v) {
    ws_.send(protocol::WsOpcode::Text, json::stringify(v));
}

json::ObjectPtr GatewayClient::receiveObject(WsConnection::Deadline deadline, bool eventsOnly) {
    if (eventsOnly && !pendingEvents_.empty()) {
        json::ObjectPtr e = pendingEvents_.front();
        pendingEvents_.erase(pendingEvents_.begin());
        return e;
    }
    while (true) {
        auto f = ws_.receive(deadline);
        if (!f) {
            if (eventsOnly) return nullptr;
            throw GatewayError(GatewayError::Kind::Timeout,
                               "gateway timeout after " + std::to_string(opts_.timeoutMs) + "ms", "timeout");
        }
        switch (f->opcode) {
        case protocol::WsOpcode::Close: {
            GatewayError e(GatewayError::Kind::Transport, "gateway closed the connection", "closed");
            if (f->payload.size() >= 2) {
                e.closeCode = protocol::decodeCloseCode(f->payload);
                e.closeReason = f->payload.substr(2);
            }
            throw e;
        }
        case protocol::WsOpcode::Ping:
            ws_.send(protocol::WsOpcode::Pong, f->payload);
            continue;
        case protocol::WsOpcode::Pong:
            continue;
        default:
            break;
        }
        message_ += f->payload;
        if (!f->fin) continue;
        std::string text;
        text.swap(message_);
        // A frame that is not a JSON object is ignored, as the reference client does.
        const std::optional<json::Var> frame = json::tryParse(text);
        json::ObjectPtr o = frame ? json::asObject(*frame) : nullptr;
        if (!o) continue;
        bool isEvent = json::getString(o, "type").value_or("") == "event";
        if (eventsOnly && !isEvent) continue;
        if (!eventsOnly && isEvent) {
            if (pendingEvents_.size() < 1000) pendingEvents_.push_back(o);
            if (json::getString(o, "event").value_or("") != "connect.challenge") continue;
        }
        return o;
    }
}

json::ObjectPtr GatewayClient::connect() {
    auto start = std::chrono::steady_clock::now();
    auto deadline = start + std::chrono::milliseconds(opts_.timeoutMs);
    ws_.open(opts_.url, opts_.timeoutMs, {}, opts_.tlsFingerprint);
    json::ObjectPtr challenge = receiveObject(deadline);
    pendingEvents_.clear();
    if (json::getString(challenge, "event").value_or("") != "connect.challenge")
        throw GatewayError(GatewayError::Kind::Transport, "gateway did not send connect.challenge",
                           "protocol");

    json::ObjectPtr params = json::makeObject();
    params->set("minProtocol", opts_.minProtocol);
    params->set("maxProtocol", opts_.maxProtocol);
    json::ObjectPtr client = json::makeObject();
    client->set("id", opts_.clientId);
    client->set("version", opts_.clientVersion);
    client->set("platform", std::string("linux"));
    client->set("deviceFamily", std::string("Linux"));
    client->set("mode", opts_.clientMode);
    client->set("instanceId", instanceId_);
    params->set("client", client);
    params->set("caps", json::makeArray());
    json::ObjectPtr auth = json::makeObject();
    if (opts_.token) auth->set("token", *opts_.token);
    if (opts_.password) auth->set("password", *opts_.password);
    if (auth->size()) params->set("auth", auth);
    params->set("role", std::string("operator"));
    json::ArrayPtr scopes = json::makeArray();
    for (const auto& s : opts_.scopes)
        scopes->add(s);
    params->set("scopes", scopes);
    json::ObjectPtr res = awaitResponse(sendRequest("connect", params), deadline);
    latencyMs_ =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start)
            .count();
    return json::getObject(res, "payload");
}

std::optional<std::pair<int, std::string>> GatewayClient::awaitClose(int timeoutMs) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    try {
        while (receiveObject(deadline, true)) {
        }
    } catch (const GatewayError& e) {
        if (e.closeCode) return std::make_pair(e.closeCode, e.closeReason);
    }
    return std::nullopt;
}

std::string GatewayClient::sendRequest(const std::string& method, const json::Var& params) {
    std::string id = nextId();
    json::ObjectPtr frame = json::makeObject();
    frame->set("type", std::string("req"));
    frame->set("id", id);
    frame->set("method", method);
    if (!params.isEmpty()) frame->set("params", params);
    sendJson(frame);
    return id;
}

json::ObjectPtr GatewayClient::awaitResponse(const std::string& id, WsConnection::Deadline deadline) {
    while (true) {
        json::ObjectPtr res = receiveObject(deadline);
        if (json::getString(res, "type").value_or("") != "res" ||
            json::getString(res, "id").value_or("") != id)
            continue;
        if (json::getBool(res, "ok").value_or(false)) return res;
        auto err = protocol::RpcError::fromJson(res->get("error"))
                       .value_or(protocol::RpcError{"UNAVAILABLE", "request failed", json::Var(),
                                                    std::nullopt, std::nullopt});
        GatewayError e(GatewayError::Kind::Request, err.message);
        e.rpc = err;
        throw e;
    }
}

json::Var GatewayClient::call(const std::string& method, const json::Var& params, bool expectFinal) {
    if (!ws_.isOpen()) throw GatewayError(GatewayError::Kind::Transport, "not connected", "closed");
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(opts_.timeoutMs);
    std::string id = sendRequest(method, params);
    while (true) {
        json::ObjectPtr res = awaitResponse(id, deadline);
        json::Var payload = res->has("payload") ? res->get("payload") : json::Var();
        json::ObjectPtr p = json::asObject(payload);
        // An accepted/intermediate answer is followed by the final one under the same id.
        bool interim = expectFinal && p &&
                       (json::getString(p, "status").value_or("") == "accepted" ||
                        !json::getBool(p, "final").value_or(true));
        if (!interim) return payload;
    }
}

json::ObjectPtr GatewayClient::nextEvent(int timeoutMs) {
    return receiveObject(std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs), true);
}

void GatewayClient::close() {
    ws_.close(1000);
}

} // namespace openclaw::client
