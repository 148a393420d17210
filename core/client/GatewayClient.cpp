#include "client/GatewayClient.h"

#include "version.h"

#include <Poco/Base64Encoder.h>
#include <Poco/String.h>
#include <Poco/Net/NetException.h>
#include <Poco/URI.h>
#include <Poco/UUIDGenerator.h>

#include <random>
#include <sstream>

namespace openclaw::client {

namespace {

std::string uuid() { return Poco::UUIDGenerator::defaultGenerator().createRandom().toString(); }

GatewayError transport(const std::string& url, const std::string& code, const std::string& reason) {
    return GatewayError(GatewayError::Kind::Transport, "Gateway not reachable at " + url + " (" + code + ").", reason);
}

} // namespace

GatewayClient::GatewayClient(ClientOptions opts) : opts_(std::move(opts)), instanceId_(uuid()) {
    if (opts_.clientVersion.empty()) opts_.clientVersion = OPENCLAW_VERSION;
}

GatewayClient::~GatewayClient() {
    try {
        close();
    } catch (...) {
    }
}

std::string GatewayClient::nextId() { return std::to_string(++counter_) + ":" + uuid(); }

void GatewayClient::sendFrame(protocol::WsOpcode op, const std::string& payload) {
    static thread_local std::mt19937 rng{std::random_device{}()};
    std::string frame = protocol::encodeWsFrame(op, payload, static_cast<uint32_t>(rng()));
    socket_->sendBytes(frame.data(), static_cast<int>(frame.size()));
}

void GatewayClient::sendJson(const json::Var& v) { sendFrame(protocol::WsOpcode::Text, json::stringify(v)); }

json::ObjectPtr GatewayClient::receiveObject(std::chrono::steady_clock::time_point deadline) {
    char buf[16384];
    while (true) {
        while (auto f = decoder_.next()) {
            switch (f->opcode) {
            case protocol::WsOpcode::Close: {
                GatewayError e(GatewayError::Kind::Transport, "gateway closed the connection", "closed");
                if (f->payload.size() >= 2) {
                    e.closeCode = (static_cast<unsigned char>(f->payload[0]) << 8) | static_cast<unsigned char>(f->payload[1]);
                    e.closeReason = f->payload.substr(2);
                }
                throw e;
            }
            case protocol::WsOpcode::Ping: sendFrame(protocol::WsOpcode::Pong, f->payload); continue;
            case protocol::WsOpcode::Pong: continue;
            default: break;
            }
            message_ += f->payload;
            if (!f->fin) continue;
            std::string text;
            text.swap(message_);
            try {
                if (json::ObjectPtr o = json::asObject(json::parse(text))) return o;
            } catch (...) {
                // not JSON: ignore, as the reference client does
            }
        }
        if (!decoder_.error().empty())
            throw GatewayError(GatewayError::Kind::Transport, "invalid frame from gateway: " + decoder_.error(), "protocol");
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            throw GatewayError(GatewayError::Kind::Timeout, "gateway timeout after " + std::to_string(opts_.timeoutMs) + "ms",
                               "timeout");
        if (!socket_->poll(Poco::Timespan(left.count() * 1000), Poco::Net::Socket::SELECT_READ)) continue;
        int n = socket_->receiveBytes(buf, sizeof buf);
        if (n <= 0) throw GatewayError(GatewayError::Kind::Transport, "gateway closed the connection", "closed");
        decoder_.feed(buf, static_cast<size_t>(n));
    }
}

json::ObjectPtr GatewayClient::connect() {
    Poco::URI uri;
    try {
        uri = Poco::URI(opts_.url);
    } catch (const Poco::Exception& e) {
        throw GatewayError(GatewayError::Kind::Transport, "invalid gateway URL " + opts_.url + ": " + e.displayText());
    }
    if (uri.getScheme() != "ws")
        throw GatewayError(GatewayError::Kind::Transport,
                           uri.getScheme() == "wss" ? "wss:// is not supported by this build yet (use ws://)"
                                                    : "gateway URL must start with ws:// (got " + opts_.url + ")");
    auto start = std::chrono::steady_clock::now();
    auto deadline = start + std::chrono::milliseconds(opts_.timeoutMs);
    const std::string hostPort = uri.getHost() + ":" + std::to_string(uri.getPort());
    try {
        Poco::Net::SocketAddress addr(uri.getHost(), uri.getPort());
        socket_ = std::make_unique<Poco::Net::StreamSocket>();
        socket_->connect(addr, Poco::Timespan(static_cast<long>(opts_.timeoutMs) * 1000));
        socket_->setNoDelay(true);
    } catch (const Poco::Net::ConnectionRefusedException&) {
        socket_.reset();
        throw transport(opts_.url, "ECONNREFUSED", "connect ECONNREFUSED " + hostPort);
    } catch (const Poco::TimeoutException&) {
        socket_.reset();
        throw transport(opts_.url, "ETIMEDOUT", "connect ETIMEDOUT " + hostPort);
    } catch (const Poco::Net::HostNotFoundException&) {
        socket_.reset();
        throw transport(opts_.url, "ENOTFOUND", "getaddrinfo ENOTFOUND " + uri.getHost());
    } catch (const Poco::Exception& e) {
        socket_.reset();
        throw transport(opts_.url, "ECONNRESET", e.displayText());
    }
    // The upgrade by hand: bytes that arrive together with the 101 response stay in our decoder.
    std::string key = Poco::UUIDGenerator::defaultGenerator().createRandom().toString().substr(0, 16);
    {
        std::ostringstream ss;
        Poco::Base64Encoder enc(ss);
        enc << key;
        enc.close();
        key = ss.str();
    }
    std::string path = uri.getPathEtc().empty() ? "/" : uri.getPathEtc();
    std::string request = "GET " + path + " HTTP/1.1\r\nHost: " + hostPort +
                          "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key +
                          "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    std::string head;
    try {
        socket_->sendBytes(request.data(), static_cast<int>(request.size()));
        char buf[4096];
        while (head.find("\r\n\r\n") == std::string::npos) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0 || !socket_->poll(Poco::Timespan(left.count() * 1000), Poco::Net::Socket::SELECT_READ))
                throw GatewayError(GatewayError::Kind::Timeout, "gateway timeout during the WebSocket upgrade", "timeout");
            int n = socket_->receiveBytes(buf, sizeof buf);
            if (n <= 0) throw transport(opts_.url, "ECONNRESET", "socket hang up");
            head.append(buf, static_cast<size_t>(n));
            if (head.size() > 65536) throw transport(opts_.url, "EPROTO", "oversized upgrade response");
        }
    } catch (const Poco::Exception& e) {
        throw transport(opts_.url, "ECONNRESET", e.displayText());
    }
    size_t endOfHead = head.find("\r\n\r\n") + 4;
    std::string status = head.substr(0, head.find("\r\n"));
    if (status.find(" 101 ") == std::string::npos)
        throw GatewayError(GatewayError::Kind::Transport, "Unexpected server response: " + status.substr(status.find(' ') + 1),
                           "upgrade refused");
    std::string lower = Poco::toLower(head.substr(0, endOfHead));
    if (lower.find(Poco::toLower("sec-websocket-accept: " + protocol::wsAcceptKey(key))) == std::string::npos)
        throw GatewayError(GatewayError::Kind::Transport, "invalid Sec-WebSocket-Accept from gateway", "protocol");
    decoder_.feed(head.data() + endOfHead, head.size() - endOfHead);

    json::ObjectPtr challenge = receiveObject(deadline);
    if (json::getString(challenge, "event").value_or("") != "connect.challenge")
        throw GatewayError(GatewayError::Kind::Transport, "gateway did not send connect.challenge", "protocol");

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
    for (const auto& s : opts_.scopes) scopes->add(s);
    params->set("scopes", scopes);
    json::ObjectPtr frame = json::makeObject();
    std::string id = nextId();
    frame->set("type", std::string("req"));
    frame->set("id", id);
    frame->set("method", std::string("connect"));
    frame->set("params", params);
    sendJson(frame);
    while (true) {
        json::ObjectPtr res = receiveObject(deadline);
        if (json::getString(res, "type").value_or("") != "res" || json::getString(res, "id").value_or("") != id) continue;
        if (json::getBool(res, "ok").value_or(false)) {
            latencyMs_ = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
            return json::getObject(res, "payload");
        }
        auto err = protocol::RpcError::fromJson(res->get("error")).value_or(
            protocol::RpcError{"UNAVAILABLE", "connect failed", json::Var(), std::nullopt, std::nullopt});
        GatewayError e(GatewayError::Kind::Request, err.message);
        e.rpc = err;
        throw e;
    }
}

json::Var GatewayClient::call(const std::string& method, const json::Var& params, bool expectFinal) {
    if (!socket_) throw GatewayError(GatewayError::Kind::Transport, "not connected");
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(opts_.timeoutMs);
    std::string id = nextId();
    json::ObjectPtr frame = json::makeObject();
    frame->set("type", std::string("req"));
    frame->set("id", id);
    frame->set("method", method);
    if (!params.isEmpty()) frame->set("params", params);
    sendJson(frame);
    while (true) {
        json::ObjectPtr res = receiveObject(deadline);
        if (json::getString(res, "type").value_or("") != "res" || json::getString(res, "id").value_or("") != id) continue;
        if (json::getBool(res, "ok").value_or(false)) {
            json::Var payload = res->has("payload") ? res->get("payload") : json::Var();
            if (expectFinal) {
                json::ObjectPtr p = json::asObject(payload);
                bool interim = p && (json::getString(p, "status").value_or("") == "accepted" ||
                                     json::getBool(p, "final").value_or(true) == false);
                if (interim) continue;
            }
            return payload;
        }
        auto err = protocol::RpcError::fromJson(res->get("error")).value_or(
            protocol::RpcError{"UNAVAILABLE", method + " failed", json::Var(), std::nullopt, std::nullopt});
        GatewayError e(GatewayError::Kind::Request, err.message);
        e.rpc = err;
        throw e;
    }
}

void GatewayClient::close() {
    if (!socket_) return;
    try {
        sendFrame(protocol::WsOpcode::Close, protocol::encodeClosePayload(1000, ""));
        // Give the server a moment to answer the close; never wait long.
        if (socket_->poll(Poco::Timespan(200000), Poco::Net::Socket::SELECT_READ)) {
            char buf[512];
            socket_->receiveBytes(buf, sizeof buf);
        }
    } catch (...) {
    }
    try {
        socket_->close();
    } catch (...) {
    }
    socket_.reset();
}

} // namespace openclaw::client
