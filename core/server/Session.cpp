#include "server/Session.h"

#include "log/Logger.h"
#include "protocol/HelloOk.h"
#include "protocol/Scopes.h"
#include "server/GatewayServer.h"
#include "version.h"

#include <Poco/Buffer.h>
#include <Poco/Net/NetException.h>
#include <Poco/UUIDGenerator.h>

#include <thread>

namespace openclaw::server {

namespace {

long long wallMs() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// POCO splits the FIN flag and the opcodes into two enums; a frame's flags are their union.
constexpr int kPingFlags = static_cast<int>(Poco::Net::WebSocket::FRAME_FLAG_FIN) |
                           static_cast<int>(Poco::Net::WebSocket::FRAME_OP_PING);
constexpr int kPongFlags = static_cast<int>(Poco::Net::WebSocket::FRAME_FLAG_FIN) |
                           static_cast<int>(Poco::Net::WebSocket::FRAME_OP_PONG);

std::string newUuid() {
    return Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
}

} // namespace

Session::Session(GatewayServer& gw, const Poco::Net::WebSocket& ws, std::string remoteAddress,
                 bool remoteLoopback, std::string origin, std::string localAddress)
    : gw_(gw), ws_(ws), remote_(std::move(remoteAddress)), remoteLoopback_(remoteLoopback),
      origin_(std::move(origin)), local_(std::move(localAddress)), connId_(newUuid()),
      opened_(std::chrono::steady_clock::now()) {}

void Session::wsLog(const std::string& line, bool detailed) const {
    const std::string& style = gw_.settings().wsLog;
    if (detailed && style != "full") return;
    log::Level level = style == "auto" ? log::Level::Debug : log::Level::Info;
    log::Logger::get().write(level, "ws", line);
}

bool Session::sendText(const std::string& text) {
    std::lock_guard<std::mutex> lock(sendMu_);
    return sendTextLocked(text);
}

bool Session::sendTextLocked(const std::string& text) {
    if (closed_) return false;
    try {
        ws_.sendFrame(text.data(), static_cast<int>(text.size()), Poco::Net::WebSocket::FRAME_TEXT);
        return true;
    } catch (const Poco::TimeoutException&) {
        // The peer stopped reading for longer than the send timeout: drop it so it cannot hold others.
        closed_ = true;
        try {
            ws_.shutdown(1008, "slow consumer");
        } catch (...) {
        }
        return false;
    } catch (...) {
        closed_ = true;
        return false;
    }
}

void Session::sendEvent(const std::string& event, const json::Var& payload, const json::Var& stateVersion) {
    // One lock for the check, the seq and the send: events leave in seq order, never before hello-ok.
    std::lock_guard<std::mutex> lock(sendMu_);
    if (!authed_ || closed_) return;
    sendTextLocked(protocol::encodeEvent(event, payload, ++seq_, stateVersion));
}

void Session::close(int code, const std::string& reason) {
    std::lock_guard<std::mutex> lock(sendMu_);
    if (closed_) return;
    closed_ = true;
    try {
        ws_.shutdown(static_cast<Poco::UInt16>(code), protocol::truncateCloseReason(reason));
    } catch (...) {
    }
    wsLog("→ close code=" + std::to_string(code) + " durationMs=" +
          std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::steady_clock::now() - opened_)
                             .count()) +
          " conn=" + connId_);
}

json::ObjectPtr Session::presenceEntry() const {
    if (!authed_ || params_.role != "node") return nullptr;
    json::ObjectPtr p = json::makeObject();
    p->set("host", params_.client.displayName.empty() ? params_.client.id : params_.client.displayName);
    p->set("ip", remote_);
    p->set("version", params_.client.version);
    p->set("platform", params_.client.platform);
    p->set("deviceFamily", params_.client.deviceFamily);
    p->set("mode", params_.client.mode);
    p->set("reason", std::string("connect"));
    p->set("instanceId", params_.client.instanceId);
    p->set("ts", static_cast<Poco::Int64>(wallMs()));
    return p;
}

void Session::refuse(const protocol::HandshakeError& e, const std::string& id) {
    sendText(protocol::encodeError(id, e.error));
    close(e.closeCode, e.closeReason);
}

bool Session::handleHandshakeFrame(const std::string& text) {
    protocol::ParsedFrame f = protocol::parseFrame(text);
    if (f.kind == protocol::ParsedFrame::Kind::NotJson) {
        close(1000, ""); // as the reference: invalid JSON before hello closes quietly
        return false;
    }
    if (f.kind != protocol::ParsedFrame::Kind::Request || f.request.method != "connect") {
        refuse(protocol::notConnectFirst(), f.id);
        return false;
    }
    auto parsed = protocol::parseConnect(f.request.params);
    if (auto* err = std::get_if<protocol::HandshakeError>(&parsed)) {
        refuse(*err, f.id);
        return false;
    }
    params_ = std::get<protocol::ConnectParams>(parsed);
    config::GatewayConfigPtr cfg = gw_.config();
    if (!origin_.empty() && !protocol::originAllowed(origin_, cfg->allowedOrigins, gw_.settings().port)) {
        refuse(protocol::originNotAllowed(), f.id);
        return false;
    }

    const std::string& mode = cfg->auth.mode;
    json::ObjectPtr authObj = json::asObject(params_.auth);
    std::string provided = authObj && authObj->has("password") ? "password"
                           : authObj && authObj->has("token")  ? "token"
                                                               : "none";
    wsLog("← connect client=" + params_.client.id + " version=" + params_.client.version +
          " mode=" + params_.client.mode + " platform=" + params_.client.platform + " auth=" + provided +
          " conn=" + connId_);

    if (mode != "none") {
        if (long long wait = gw_.limiter().lockedForMs(remote_, remoteLoopback_)) {
            json::ObjectPtr d = json::makeObject();
            d->set("code", std::string("AUTH_RATE_LIMITED"));
            d->set("authReason", std::string("rate_limited"));
            d->set("retryAfterMs", static_cast<Poco::Int64>(wait));
            d->set("recommendedNextStep", std::string("wait_then_retry"));
            const std::string msg = "unauthorized: too many failed authentication attempts (retry later)";
            refuse({{"INVALID_REQUEST", msg, d, true, wait}, 1008, msg}, f.id);
            return false;
        }
        plugins::LoadedPlugin* plugin = gw_.plugins().authPlugin(mode);
        if (!plugin) {
            const std::string msg =
                "gateway auth mode " + mode + " is unavailable (no enabled plugin serves it)";
            refuse({{"UNAVAILABLE", msg, json::Var(), false, std::nullopt}, 1011, msg}, f.id);
            return false;
        }
        json::ObjectPtr req = json::makeObject();
        req->set("mode", mode);
        req->set("auth", params_.auth.isEmpty() ? json::Var(json::makeObject()) : params_.auth);
        req->set("remoteAddress", remote_);
        req->set("isLoopback", remoteLoopback_);
        auto result = plugin->verifyAuth(json::stringify(req));
        json::ObjectPtr verdict;
        try {
            verdict = json::asObject(json::parse(result.result));
        } catch (...) {
        }
        if (result.status != OC_OK || !verdict) {
            log::Logger::get().error("auth", plugin->record().manifest.id + " failed: " + result.error);
            const std::string msg = "gateway auth failed (plugin error)";
            refuse({{"UNAVAILABLE", msg, json::Var(), true, std::nullopt}, 1011, msg}, f.id);
            return false;
        }
        if (!json::getBool(verdict, "ok").value_or(false)) {
            protocol::RpcError err{json::getString(verdict, "code").value_or("INVALID_REQUEST"),
                                   json::getString(verdict, "message").value_or("unauthorized"),
                                   verdict->has("details") ? verdict->get("details") : json::Var(),
                                   std::nullopt, std::nullopt};
            json::ObjectPtr details = json::asObject(err.details);
            log::Logger::get().warn(
                "ws", "unauthorized conn=" + connId_ + " remote=" + remote_ + " client=" + params_.client.id +
                          " auth=" + provided + " reason=" +
                          (details ? json::getString(details, "authReason").value_or(err.code) : err.code));
            // Pace failures: the reference delays the error 250 ms, doubling to a 5 s cap.
            long long delay = gw_.limiter().recordFailure(remote_, remoteLoopback_);
            std::this_thread::sleep_for(std::chrono::milliseconds(delay));
            refuse({err, 1008, err.message}, f.id);
            return false;
        }
        gw_.limiter().recordSuccess(remote_);
    }

    scopes_ = params_.role == "operator" ? protocol::grantScopes(params_.scopes, params_.client.mode)
                                         : std::vector<std::string>{};
    authMethod_ = mode;
    protocol::HelloInfo info;
    info.version = OPENCLAW_VERSION;
    info.buildId = std::string("openclaw-gateway-cpp-") + OPENCLAW_NATIVE_VERSION;
    info.bootId = gw_.bootId();
    info.connId = connId_;
    info.methods = gw_.registry().methods();
    info.events = gw_.registry().events();
    info.presence = gw_.presence();
    info.health = gw_.health();
    info.presenceVersion = gw_.presenceVersion();
    info.healthVersion = gw_.healthVersion();
    info.uptimeMs = gw_.uptimeMs();
    info.authMethod = mode;
    info.role = params_.role;
    info.scopes = scopes_;
    info.tickIntervalMs = gw_.settings().tickIntervalMs;
    json::ObjectPtr hello = protocol::buildHelloOk(info);
    // After hello-ok the frame cap rises to policy.maxPayload.
    ws_.setMaxPayloadSize(static_cast<int>(protocol::kMaxPayload));
    {
        // hello-ok and "authenticated" together: a broadcast can neither overtake hello-ok nor miss us.
        std::lock_guard<std::mutex> lock(sendMu_);
        if (!sendTextLocked(protocol::encodeOk(f.id, hello))) return false;
        authed_ = true;
    }
    if (params_.role == "node") gw_.presenceChanged(); // a node joining changes presence for everyone
    wsLog("→ hello-ok methods=" + std::to_string(info.methods.size()) +
          " events=" + std::to_string(info.events.size()) +
          " presence=" + std::to_string(info.presence->size()) + " conn=" + connId_);
    return true;
}

void Session::handleFrame(const std::string& text) {
    protocol::ParsedFrame f = protocol::parseFrame(text);
    switch (f.kind) {
    case protocol::ParsedFrame::Kind::NotJson:
    case protocol::ParsedFrame::Kind::Other:
        return; // ignored after hello, as the reference does
    case protocol::ParsedFrame::Kind::InvalidFrame:
        sendText(protocol::encodeError(f.id, rpc::Registry::invalidRequest(f.error)));
        return;
    case protocol::ParsedFrame::Kind::Request:
        break;
    }
    auto start = std::chrono::steady_clock::now();
    rpc::CallContext ctx{connId_, params_.client.id, params_.client.mode, scopes_};
    std::string response = gw_.registry().dispatch(f.request, ctx);
    sendText(response);
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start)
                  .count();
    bool ok = response.find("\"ok\":true") != std::string::npos;
    wsLog(std::string("⇄ res ") + (ok ? "✓ " : "✗ ") + f.request.method + " " + std::to_string(us / 1000) +
          "ms id=" + f.request.id);
    wsLog("  params=" + json::stringify(f.request.params) + " bytes=" + std::to_string(response.size()),
          true);
}

void Session::run() {
    wsLog("← open remoteAddr=" + remote_ + " localAddr=" + local_ + " conn=" + connId_);
    ws_.setMaxPayloadSize(static_cast<int>(protocol::kMaxPreauthPayload));
    ws_.setSendTimeout(Poco::Timespan(10, 0));
    // A frame that started must finish within this time (a stalled half-frame does not hold forever).
    ws_.setReceiveTimeout(Poco::Timespan(30, 0));
    if (!sendText(protocol::encodeEvent(
            "connect.challenge",
            protocol::buildChallenge(Poco::UUIDGenerator::defaultGenerator().createRandom().toString(),
                                     wallMs()))))
        return;
    gw_.addSession(this);
    const auto handshakeDeadline = opened_ + std::chrono::milliseconds(gw_.config()->handshakeTimeoutMs);
    const auto pingEvery = std::chrono::milliseconds(gw_.settings().pingIntervalMs);
    auto nextPing = std::chrono::steady_clock::now() + pingEvery;
    Poco::Buffer<char> buffer(0);
    std::string message; // reassembles fragmented messages
    try {
        while (!closed_ && !gw_.stopping()) {
            auto now = std::chrono::steady_clock::now();
            std::chrono::steady_clock::time_point wake;
            if (!authed_) {
                if (now >= handshakeDeadline) {
                    close(1000, ""); // handshake timeout: the reference closes 1000 with no reason
                    break;
                }
                wake = handshakeDeadline;
            } else {
                if (now >= nextPing) {
                    std::lock_guard<std::mutex> lock(sendMu_);
                    if (!closed_) ws_.sendFrame("", 0, kPingFlags);
                    nextPing = now + pingEvery;
                }
                wake = nextPing;
            }
            auto waitMs = std::chrono::duration_cast<std::chrono::milliseconds>(wake - now).count();
            // Wake at least every 250 ms so a stopping server is noticed promptly.
            long long slice = std::max<long long>(1, std::min<long long>(waitMs, 250));
            if (!ws_.poll(Poco::Timespan(slice * 1000), Poco::Net::Socket::SELECT_READ)) continue;
            int flags = 0;
            buffer.resize(0);
            int n = ws_.receiveFrame(buffer, flags);
            int op = flags & Poco::Net::WebSocket::FRAME_OP_BITMASK;
            if (n == 0 && flags == 0) break; // peer went away
            if (op == Poco::Net::WebSocket::FRAME_OP_CLOSE) {
                int code = 1000;
                if (buffer.size() >= 2)
                    code =
                        (static_cast<unsigned char>(buffer[0]) << 8) | static_cast<unsigned char>(buffer[1]);
                if (code == 1005 || code == 1006 || code < 1000) code = 1000;
                close(code, buffer.size() > 2 ? std::string(buffer.begin() + 2, buffer.size() - 2) : "");
                break;
            }
            if (op == Poco::Net::WebSocket::FRAME_OP_PING) {
                std::lock_guard<std::mutex> lock(sendMu_);
                if (!closed_) ws_.sendFrame(buffer.begin(), static_cast<int>(buffer.size()), kPongFlags);
                continue;
            }
            if (op == Poco::Net::WebSocket::FRAME_OP_PONG) continue;
            message.append(buffer.begin(), buffer.size());
            size_t cap = authed_ ? protocol::kMaxPayload : protocol::kMaxPreauthPayload;
            if (message.size() > cap) {
                close(1009, "");
                break;
            }
            if (!(flags & Poco::Net::WebSocket::FRAME_FLAG_FIN)) continue;
            std::string text;
            text.swap(message);
            if (!authed_) {
                if (!handleHandshakeFrame(text)) break;
            } else {
                handleFrame(text);
            }
        }
    } catch (const Poco::Net::WebSocketException& e) {
        if (e.code() == Poco::Net::WebSocket::WS_ERR_PAYLOAD_TOO_BIG)
            close(1009, "");
        else
            close(1002, "");
    } catch (const Poco::TimeoutException&) {
        close(1008, "frame timeout");
    } catch (const Poco::Exception& e) {
        log::Logger::get().debug("ws", "connection " + connId_ + " ended: " + e.displayText());
    } catch (const std::exception& e) {
        log::Logger::get().debug("ws", "connection " + connId_ + " ended: " + e.what());
    }
    if (gw_.stopping()) close(1012, "service restart");
    gw_.removeSession(this);
    {
        std::lock_guard<std::mutex> lock(sendMu_);
        closed_ = true;
    }
    try {
        ws_.close();
    } catch (...) {
    }
}

} // namespace openclaw::server
