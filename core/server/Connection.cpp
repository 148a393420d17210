#include "server/Connection.h"

#include "config/Redact.h"
#include "log/Logger.h"
#include "protocol/HelloOk.h"
#include "protocol/HttpHead.h"
#include "protocol/Scopes.h"
#include "protocol/Timestamp.h"
#include "rpc/BuiltinMethods.h"
#include "server/GatewayServer.h"
#include "version.h"

#include <Poco/Net/HTTPResponse.h>
#include <Poco/UUIDGenerator.h>

#include <cerrno>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace openclaw::server {

namespace {

constexpr size_t kMaxHttpHead = 16384;
/// The same for a session closed as a slow consumer: it is behind by definition, and what it may still
/// read is bounded by gateway.limits.maxBufferedBytes.
constexpr std::chrono::milliseconds kSlowConsumerLinger{10000};

std::string newUuid() {
    return Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
}

} // namespace

Connection::Connection(GatewayServer& gw, Shard& shard, Peer peer, tls::ServerContext* tls)
    : gw_(gw), shard_(shard), peer_(std::move(peer)), tls_(tls ? tls->newSession() : nullptr),
      connId_(newUuid()), opened_(std::chrono::steady_clock::now()),
      maxBuffered_(gw.config()->limits.maxBufferedBytes), decoder_(protocol::kMaxPreauthPayload) {}

Connection::~Connection() = default;

bool Connection::wsLogOn(bool detailed) const {
    const config::WsLogStyle style = gw_.settings().wsLog;
    if (detailed && style != config::WsLogStyle::Full) return false;
    return log::Logger::get().wants(style == config::WsLogStyle::Auto ? log::Level::Debug : log::Level::Info);
}

void Connection::wsLog(const std::string& line) const {
    log::Logger::get().write(
        gw_.settings().wsLog == config::WsLogStyle::Auto ? log::Level::Debug : log::Level::Info, "ws", line);
}

void Connection::start() {
    peer_.transport->watch(shard_.loop, EPOLLIN | EPOLLRDHUP, this);
    std::weak_ptr<Connection> weak = shared_from_this();
    deadlineTimer_ =
        shard_.loop.runAfter(std::chrono::milliseconds(gw_.config()->handshakeTimeoutMs), [weak] {
            auto self = weak.lock();
            if (!self) return;
            self->deadlineTimer_ = 0;
            if (self->state_ == State::Http)
                self->teardown();
            else if (self->state_ == State::WsPreauth || self->state_ == State::Authenticating)
                self->close(1000, ""); // handshake timeout: the reference closes 1000 with no reason
        });
}

void Connection::onIo(uint32_t events) {
    if (state_ == State::Done) return; // a stale event from the same epoll batch
    auto self = shared_from_this();
    if (events & EPOLLOUT) flush();
    if (state_ == State::Done) return;
    if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) onReadable();
}

void Connection::watch(bool readable) {
    if (state_ == State::Done) return;
    uint32_t ev = EPOLLRDHUP;
    if (readable) ev |= EPOLLIN;
    if (watchingWrite_) ev |= EPOLLOUT;
    peer_.transport->watch(shard_.loop, ev, this);
}

void Connection::onReadable() {
    if (readPaused_) return;
    // Everything answered while handling this wake-up's input leaves in one send, not one per frame.
    batching_ = true;
    readSome();
    batching_ = false;
    if (state_ != State::Done) flush();
}

void Connection::readSome() {
    char buf[65536];
    // Bounded per wake-up so one busy peer cannot starve the others on this loop.
    for (int round = 0; round < 16 && state_ != State::Done && !readPaused_; ++round) {
        const net::IoResult got = peer_.transport->read(buf, sizeof buf);
        if (got.kind == net::IoResult::Kind::Bytes) {
            const size_t n = got.count;
            if (state_ == State::Closing) continue; // draining after our close
            if (tls_) {
                std::string plain, wire;
                bool ok = tls_->receive(buf, n, plain, wire);
                if (!wire.empty()) writeRaw(wire.data(), wire.size()); // handshake records, as they are
                if (!ok) {
                    log::Logger::get().debug("ws", "conn=" + connId_ + " remote=" + peer_.remote + ": " +
                                                       tls_->error());
                    teardown();
                    return;
                }
                if (!plain.empty()) consume(plain.data(), plain.size());
            } else {
                consume(buf, n);
            }
            if (n < sizeof buf) return;
            continue;
        }
        if (got.kind == net::IoResult::Kind::WouldBlock) return;
        // Peer hung up (or reset): nothing more can be said to it.
        if (state_ == State::Open || state_ == State::WsPreauth || state_ == State::Authenticating)
            if (wsLogOn(false)) wsLog("← close (peer went away) conn=" + connId_);
        teardown();
        return;
    }
}

void Connection::consume(const char* data, size_t len) {
    if (state_ == State::Http) {
        head_.append(data, len);
        handleHttp();
        return;
    }
    if (state_ == State::Closing || state_ == State::Done) return;
    decoder_.feed(data, len);
    handleWsBytes();
}

// ---------------------------------------------------------------------------------------------- HTTP

void Connection::handleHttp() {
    while (state_ == State::Http) {
        size_t end = head_.find("\r\n\r\n");
        if (end == std::string::npos) {
            if (head_.size() > kMaxHttpHead) {
                keepAlive_ = false;
                respondHttp(431, "request head too large\n", "text/plain; charset=utf-8");
            }
            return;
        }
        protocol::HttpHead req = protocol::parseHttpHead(head_.substr(0, end + 4));
        head_.erase(0, end + 4);
        if (!req.ok) {
            keepAlive_ = false;
            respondHttp(400, "bad request: " + req.error + "\n", "text/plain; charset=utf-8");
            return;
        }
        keepAlive_ = req.keepAlive;
        if (req.upgradeWebSocket) {
            upgrade(req);
            return;
        }
        const std::string& path = req.path;
        if (path == "/healthz") {
            respondHttp(200, R"({"ok":true,"status":"live"})", "application/json; charset=utf-8");
        } else if (path == "/readyz") {
            bool ready = !gw_.stopping();
            json::ObjectPtr o = json::makeObject();
            o->set("ready", ready);
            o->set("failing", json::makeArray());
            o->set("uptimeMs", static_cast<Poco::Int64>(gw_.uptimeMs()));
            respondHttp(ready ? 200 : 503, json::stringify(o), "application/json; charset=utf-8");
        } else if (long long wait = gw_.limiter().lockedForMs(peer_.remote, peer_.loopback)) {
            // Locked out after failed logins: every other route says so, as the reference's HTTP surfaces do.
            long long seconds = (wait + 999) / 1000;
            respondHttp(429,
                        R"({"ok":false,"error":"too many failed authentication attempts","retryAfterMs":)" +
                            std::to_string(wait) + "}",
                        "application/json; charset=utf-8",
                        "Retry-After: " + std::to_string(seconds) + "\r\n");
        } else if (path == "/") {
            respondHttp(
                200,
                std::string("<!doctype html><title>OpenClaw Gateway</title><p>OpenClaw Gateway (native) ") +
                    OPENCLAW_VERSION + ". Connect a client over WebSocket on this port.</p>\n",
                "text/html; charset=utf-8");
        } else {
            json::ObjectPtr o = json::makeObject();
            o->set("ok", false);
            o->set("error", std::string("not found: ") + path);
            respondHttp(404, json::stringify(o), "application/json; charset=utf-8");
        }
    }
}

void Connection::respondHttp(int status, const std::string& body, const std::string& contentType,
                             const std::string& extraHeaders) {
    std::string r = "HTTP/1.1 " + std::to_string(status) + " " +
                    Poco::Net::HTTPResponse::getReasonForStatus(
                        static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status)) +
                    "\r\n";
    r += "Content-Type: " + contentType + "\r\n";
    r += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    r += "Cache-Control: no-store\r\n";
    r += extraHeaders;
    r += keepAlive_ ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
    r += body;
    writeWire(r.data(), r.size());
    if (!keepAlive_) lingerThenDrop();
}

void Connection::upgrade(protocol::HttpHead& req) {
    keepAlive_ = false;
    const std::string& key = req.wsKey;
    if (gw_.stopping()) {
        respondHttp(503, "shutting down\n", "text/plain; charset=utf-8");
        return;
    }
    if (key.empty() || req.wsVersion != "13" || !req.connectionUpgrade) {
        respondHttp(400, "invalid WebSocket upgrade request\n", "text/plain; charset=utf-8");
        return;
    }
    std::string r = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    "Sec-WebSocket-Accept: " +
                    protocol::wsAcceptKey(key) + "\r\n";
    // As the reference (the `ws` library default): echo the first offered subprotocol, so browsers that
    // offer one accept the upgrade.
    if (!req.firstSubprotocol.empty()) r += "Sec-WebSocket-Protocol: " + req.firstSubprotocol + "\r\n";
    r += "\r\n";
    writeWire(r.data(), r.size());
    origin_ = req.origin;
    // For the auth plugins, until connect has been decided; a session does not keep them.
    pendingAuth_ = std::make_unique<PendingAuth>();
    pendingAuth_->headers = std::move(req.headers);
    state_ = State::WsPreauth;
    if (wsLogOn(false))
        wsLog("← open remoteAddr=" + peer_.remote + " localAddr=" + peer_.local + " conn=" + connId_);
    sendText(
        protocol::encodeEvent("connect.challenge", protocol::buildChallenge(newUuid(), protocol::nowMs())));
    std::string rest;
    rest.swap(head_);
    if (!rest.empty()) consume(rest.data(), rest.size());
}

// ----------------------------------------------------------------------------------------- WebSocket

void Connection::handleWsBytes() {
    while (state_ == State::WsPreauth || state_ == State::Open) {
        std::optional<protocol::WsFrame> f = decoder_.next();
        if (!f) {
            if (!decoder_.error().empty()) close(decoder_.tooBig() ? 1009 : 1002, "");
            return;
        }
        switch (f->opcode) {
        case protocol::WsOpcode::Close: {
            int code = protocol::decodeCloseCode(f->payload);
            if (code == 0 || code == 1005 || code == 1006 || code < 1000) code = 1000;
            close(code, f->payload.size() > 2 ? f->payload.substr(2) : "");
            return;
        }
        case protocol::WsOpcode::Ping:
            sendWs(protocol::WsOpcode::Pong, f->payload);
            continue;
        case protocol::WsOpcode::Pong:
            continue;
        default:
            break;
        }
        message_ += f->payload;
        const size_t cap = state_ == State::Open ? protocol::kMaxPayload : protocol::kMaxPreauthPayload;
        if (message_.size() > cap) {
            close(1009, "");
            return;
        }
        if (!f->fin) continue;
        std::string text;
        text.swap(message_);
        handleMessage(text);
    }
}

void Connection::handleMessage(const std::string& text) {
    if (state_ == State::WsPreauth)
        handleConnect(text);
    else if (state_ == State::Open)
        handleRequest(text);
}

void Connection::refuse(const protocol::HandshakeError& e, const std::string& id) {
    releaseAuthState();
    sendText(protocol::encodeError(id, e.error));
    close(e.closeCode, e.closeReason);
}

void Connection::handleConnect(const std::string& text) {
    protocol::ParsedFrame f = protocol::parseFrame(text);
    if (f.kind == protocol::ParsedFrame::Kind::NotJson) {
        close(1000, ""); // as the reference: invalid JSON before hello closes quietly
        return;
    }
    if (f.kind != protocol::ParsedFrame::Kind::Request || f.request.method != "connect") {
        refuse(protocol::notConnectFirst(), f.id);
        return;
    }
    auto parsed = protocol::parseConnect(f.request.params);
    if (auto* err = std::get_if<protocol::HandshakeError>(&parsed)) {
        refuse(*err, f.id);
        return;
    }
    params_ = std::get<protocol::ConnectParams>(parsed);
    config::GatewayConfigPtr cfg = gw_.config();
    if (!origin_.empty() && !protocol::originAllowed(origin_, cfg->allowedOrigins, gw_.settings().port)) {
        refuse(protocol::originNotAllowed(), f.id);
        return;
    }
    const config::AuthMode mode = cfg->auth.mode;
    if (wsLogOn(false))
        wsLog("← connect client=" + params_.client.id + " version=" + params_.client.version +
              " mode=" + params_.client.mode + " platform=" + params_.client.platform +
              " auth=" + params_.providedAuth + " conn=" + connId_);
    authMode_ = mode;
    if (mode == config::AuthMode::None) {
        admit(f.id);
        return;
    }
    if (long long wait = gw_.limiter().lockedForMs(peer_.remote, peer_.loopback)) {
        json::ObjectPtr d = json::makeObject();
        d->set("code", std::string("AUTH_RATE_LIMITED"));
        d->set("authReason", std::string("rate_limited"));
        d->set("retryAfterMs", static_cast<Poco::Int64>(wait));
        d->set("recommendedNextStep", std::string("wait_then_retry"));
        const std::string msg = "unauthorized: too many failed authentication attempts (retry later)";
        refuse({{"INVALID_REQUEST", msg, d, true, wait}, 1008, msg}, f.id);
        return;
    }
    if (!gw_.plugins().authPlugin(mode) || gw_.authChain().empty()) {
        const std::string msg = std::string("gateway auth mode ") + config::nameOf(mode) +
                                " is unavailable (no enabled plugin serves it)";
        refuse({{"UNAVAILABLE", msg, json::Var(), false, std::nullopt}, 1011, msg}, f.id);
        return;
    }
    // The plugins may take their time (a hash, a file, a remote check): they are asked off the reactor, and
    // nothing more is read from this peer until they have answered.
    state_ = State::Authenticating;
    readPaused_ = true;
    watch(false);
    if (!pendingAuth_) pendingAuth_ = std::make_unique<PendingAuth>();
    pendingAuth_->request = json::stringify(authRequest(mode));
    std::map<std::string, std::string>().swap(pendingAuth_->headers); // only the request needed them
    askAuth(f.id, 0);
}

json::ObjectPtr Connection::authRequest(config::AuthMode mode) const {
    json::ObjectPtr req = json::makeObject();
    req->set("mode", std::string(config::nameOf(mode)));
    req->set("auth", params_.auth.isEmpty() ? json::Var(json::makeObject()) : params_.auth);
    req->set("client", protocol::clientJson(params_.client));
    req->set("remoteAddress", peer_.remote);
    req->set("remotePort", peer_.remotePort);
    req->set("isLoopback", peer_.loopback);
    req->set("listener", peer_.local);
    req->set("localAddress", peer_.local.substr(0, peer_.local.rfind(':')));
    req->set("localPort", std::atoi(peer_.local.substr(peer_.local.rfind(':') + 1).c_str()));
    req->set("tls", tls_ != nullptr);
    json::ObjectPtr headers = json::makeObject();
    if (pendingAuth_)
        for (const auto& [name, value] : pendingAuth_->headers)
            headers->set(name, value);
    req->set("headers", headers);
    return req;
}

void Connection::askAuth(const std::string& id, size_t step) {
    const auto& chain = gw_.authChain();
    plugins::LoadedPlugin* plugin = chain[step];
    std::weak_ptr<Connection> weak = shared_from_this();
    net::EventLoop* loop = &shard_.loop;
    // A plugin may answer later (OC_PENDING); the handshake deadline bounds the wait.
    const std::chrono::milliseconds limit(gw_.config()->handshakeTimeoutMs);
    bool queued = gw_.workers().submit([weak, loop, plugin, id, step, limit,
                                        request = pendingAuth_->request] {
        plugin->verifyAuthAsync(request, limit, [weak, loop, id, step](plugins::LoadedPlugin::CallResult r) {
            loop->post([weak, id, step, r] {
                if (auto self = weak.lock()) self->authDecided(id, step, r.status, r.result, r.error);
            });
        });
    });
    if (!queued) close(1012, "service restart");
}

void Connection::authDecided(const std::string& id, size_t step, int status, const std::string& result,
                             const std::string& error) {
    if (state_ != State::Authenticating) return; // closed or evicted meanwhile
    const auto& chain = gw_.authChain();
    plugins::LoadedPlugin* plugin = chain[step];
    const bool last = step + 1 == chain.size();
    const std::optional<json::Var> answer = json::tryParse(result);
    json::ObjectPtr verdict = answer ? json::asObject(*answer) : nullptr;
    if (status == OC_OK && verdict && json::getBool(verdict, "defer").value_or(false)) {
        if (!last) {
            askAuth(id, step + 1); // not this overlay's to decide
            return;
        }
        status = OC_ERR; // the configured mode's plugin must decide
        verdict = nullptr;
    }
    if (status != OC_OK || !verdict) {
        log::Logger::get().error("auth",
                                 plugin->record().manifest.id + " failed: " +
                                     (error.empty() ? std::string("it deferred, but it serves the "
                                                                  "configured auth mode and must decide")
                                                    : error));
        const std::string msg = "gateway auth failed (plugin error)";
        refuse({{"UNAVAILABLE", msg, json::Var(), true, std::nullopt}, 1011, msg}, id);
        return;
    }
    if (!last) authMethod_ = plugin->descriptor().auth->mode; // an overlay decided
    if (!json::getBool(verdict, "ok").value_or(false)) {
        protocol::RpcError err{json::getString(verdict, "code").value_or("INVALID_REQUEST"),
                               json::getString(verdict, "message").value_or("unauthorized"),
                               verdict->has("details") ? verdict->get("details") : json::Var(), std::nullopt,
                               std::nullopt};
        json::ObjectPtr details = json::asObject(err.details);
        log::Logger::get().warn(
            "ws", "unauthorized conn=" + connId_ + " remote=" + peer_.remote +
                      " client=" + params_.client.id + " auth=" + params_.providedAuth + " reason=" +
                      (details ? json::getString(details, "authReason").value_or(err.code) : err.code));
        // Pace failures as the reference does (250 ms doubling to 5 s), on a timer: the reactor and every
        // other client carry on meanwhile.
        long long delay = gw_.limiter().recordFailure(peer_.remote, peer_.loopback);
        std::weak_ptr<Connection> weak = shared_from_this();
        shard_.loop.runAfter(std::chrono::milliseconds(delay), [weak, err, id] {
            auto self = weak.lock();
            if (self && self->state_ == State::Authenticating) self->refuse({err, 1008, err.message}, id);
        });
        return;
    }
    gw_.limiter().recordSuccess(peer_.remote);
    admit(id);
}

void Connection::releaseAuthState() {
    // What only the auth plugins needed: an idle session should cost little memory.
    pendingAuth_.reset();
}

void Connection::admit(const std::string& id) {
    releaseAuthState();
    if (!gw_.acquireSession()) {
        const int max = gw_.config()->limits.maxSessions;
        const std::string msg = "gateway at capacity: " + std::to_string(max) +
                                " sessions (gateway.limits.maxSessions); retry later";
        log::Logger::get().warn("ws", "refused conn=" + connId_ + " remote=" + peer_.remote + ": " + msg);
        refuse({{"UNAVAILABLE", msg, json::Var(), true, 1000}, 1013, msg}, id);
        return;
    }
    countedSession_ = true;
    std::vector<std::string> scopes = params_.role == "operator"
                                          ? protocol::grantScopes(params_.scopes, params_.client.mode)
                                          : std::vector<std::string>{};
    ctx_ = rpc::CallContext{connId_, params_.client.id, params_.client.mode, scopes};
    protocol::HelloInfo info;
    info.version = OPENCLAW_VERSION;
    info.buildId = std::string("openclaw-gateway-cpp-") + OPENCLAW_NATIVE_VERSION;
    info.bootId = gw_.bootId();
    info.connId = connId_;
    info.methods = &gw_.registry().methods();
    info.events = &gw_.registry().events();
    info.presence = gw_.presence();
    info.health = gw_.health();
    info.presenceVersion = gw_.presenceVersion();
    info.healthVersion = gw_.healthVersion();
    info.uptimeMs = gw_.uptimeMs();
    info.authMethod = authMethod_ ? authMethod_ : config::nameOf(authMode_);
    info.role = params_.role;
    info.scopes = scopes;
    info.tickIntervalMs = gw_.settings().tickIntervalMs;
    info.maxBufferedBytes = maxBuffered_;
    // hello-ok and "open" in one step on this thread: a broadcast can neither overtake hello-ok nor miss us.
    sendText(protocol::encodeOk(id, protocol::buildHelloOk(info)));
    if (state_ == State::Closing || state_ == State::Done) return;
    state_ = State::Open;
    gw_.releasePreauthSlot(*this);
    shard_.loop.cancel(deadlineTimer_);
    deadlineTimer_ = 0;
    decoder_.setMaxPayload(protocol::kMaxPayload); // after hello-ok the frame cap rises to policy.maxPayload
    readPaused_ = false;
    watch(true);
    schedulePing();
    if (params_.role == "node") {
        json::ObjectPtr p = json::makeObject();
        p->set("host", params_.client.displayName.empty() ? params_.client.id : params_.client.displayName);
        p->set("ip", peer_.remote);
        p->set("version", params_.client.version);
        p->set("platform", params_.client.platform);
        p->set("deviceFamily", params_.client.deviceFamily);
        p->set("mode", params_.client.mode);
        p->set("reason", std::string("connect"));
        p->set("instanceId", params_.client.instanceId);
        p->set("ts", static_cast<Poco::Int64>(protocol::nowMs()));
        node_ = true;
        gw_.nodeJoined(connId_, p); // a node joining changes presence for everyone
    }
    if (wsLogOn(false))
        wsLog("→ hello-ok methods=" + std::to_string(info.methods->size()) +
              " events=" + std::to_string(info.events->size()) +
              " presence=" + std::to_string(info.presence->size()) + " conn=" + connId_);
    // Frames the peer sent right behind connect are waiting in the decoder.
    handleWsBytes();
}

void Connection::schedulePing() {
    std::weak_ptr<Connection> weak = shared_from_this();
    pingTimer_ = shard_.loop.runAfter(std::chrono::milliseconds(gw_.settings().pingIntervalMs), [weak] {
        auto self = weak.lock();
        if (!self || self->state_ != State::Open) return;
        self->sendWs(protocol::WsOpcode::Ping, "");
        self->schedulePing();
    });
}

void Connection::handleRequest(const std::string& text) {
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
    const auto started = std::chrono::steady_clock::now();
    const rpc::Registry& registry = gw_.registry();
    const rpc::Registry::Method* method = registry.find(f.request.method);
    if (!method || method->runs == rpc::Runs::Inline) {
        finishRequest(f.request, registry.dispatch(method, f.request, ctx_), started);
        return;
    }
    const int cap = gw_.config()->limits.maxInflightPerSession;
    if (inflight_ >= cap) {
        sendText(protocol::encodeError(
            f.id, {"UNAVAILABLE",
                   "too many requests in flight on this connection (" + std::to_string(cap) +
                       ", gateway.limits.maxInflightPerSession); wait for answers before sending more",
                   json::Var(), true, 100}));
        return;
    }
    ++inflight_;
    std::weak_ptr<Connection> weak = shared_from_this();
    net::EventLoop* loop = &shard_.loop;
    bool queued = gw_.workers().submit([weak, loop, &registry, method, req = f.request, ctx = ctx_, started] {
        // A plugin method may answer later: the reply then comes from the plugin's thread.
        registry.dispatchAsync(method, req, ctx, [weak, loop, req, started](rpc::Outcome outcome) {
            loop->post([weak, req, outcome = std::move(outcome), started] {
                if (auto self = weak.lock()) {
                    --self->inflight_;
                    self->finishRequest(req, outcome, started);
                }
            });
        });
    });
    if (!queued) --inflight_;
}

void Connection::finishRequest(const protocol::Request& req, const rpc::Outcome& outcome,
                               std::chrono::steady_clock::time_point started) {
    sendText(outcome.frame);
    if (!wsLogOn(false)) return;
    auto us =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started)
            .count();
    wsLog(std::string("⇄ res ") + (outcome.ok ? "✓ " : "✗ ") + req.method + " " + std::to_string(us / 1000) +
          "ms id=" + req.id);
    if (wsLogOn(true))
        wsLog("  params=" + json::stringify(config::redactSecrets(req.params)) +
              " bytes=" + std::to_string(outcome.frame.size()));
}

void Connection::sendEvent(const std::string& event, const std::string& payloadJson,
                           const std::string& stateVersionJson) {
    if (state_ != State::Open) return;
    sendText(protocol::encodeEventJson(event, payloadJson, ++seq_, stateVersionJson));
}

// ------------------------------------------------------------------------------------------- output

void Connection::sendText(const std::string& text) {
    sendWs(protocol::WsOpcode::Text, text);
}

void Connection::sendWs(protocol::WsOpcode op, const std::string& payload) {
    if (state_ == State::Closing || state_ == State::Done || state_ == State::Http) return;
    std::string frame = protocol::encodeWsFrame(op, payload);
    writeWire(frame.data(), frame.size());
    if (state_ == State::Open && static_cast<long long>(out_.size() - outOffset_) > maxBuffered_) {
        // The peer stopped reading: drop it so it cannot hold memory (or the others) hostage.
        log::Logger::get().warn("ws", "slow consumer conn=" + connId_ + " remote=" + peer_.remote +
                                          ": more than " + std::to_string(maxBuffered_) +
                                          " bytes queued; closing");
        close(1008, "slow consumer", kSlowConsumerLinger);
    }
}

void Connection::writeWire(const char* data, size_t len) {
    if (state_ == State::Done) return;
    if (tls_) {
        std::string wire;
        if (!tls_->send(data, len, wire)) {
            teardown();
            return;
        }
        writeRaw(wire.data(), wire.size());
    } else {
        writeRaw(data, len);
    }
}

void Connection::writeRaw(const char* data, size_t len) {
    if (state_ == State::Done) return;
    if (batching_) {
        if (outOffset_ >= out_.size()) {
            out_.clear();
            outOffset_ = 0;
        }
        out_.append(data, len);
        return;
    }
    if (outOffset_ >= out_.size()) {
        // Nothing queued: try the socket first, queue only what it does not take.
        out_.clear();
        outOffset_ = 0;
        const net::IoResult put = peer_.transport->write(data, len);
        if (put.kind == net::IoResult::Kind::Closed) {
            teardown();
            return;
        }
        const size_t n = put.count;
        if (n < len) out_.append(data + n, len - n);
    } else {
        out_.append(data, len);
    }
    flush();
}

void Connection::flush() {
    while (outOffset_ < out_.size()) {
        const net::IoResult put = peer_.transport->write(out_.data() + outOffset_, out_.size() - outOffset_);
        if (put.kind == net::IoResult::Kind::Bytes) {
            outOffset_ += put.count;
            continue;
        }
        if (put.kind == net::IoResult::Kind::WouldBlock) {
            if (!watchingWrite_) {
                watchingWrite_ = true;
                watch(!readPaused_);
            }
            return;
        }
        teardown();
        return;
    }
    // Everything is out: release the buffer (idle sessions should cost little memory).
    std::string().swap(out_);
    outOffset_ = 0;
    if (watchingWrite_) {
        watchingWrite_ = false;
        watch(!readPaused_);
    }
    if (state_ == State::Closing) peer_.transport->shutdownWrite(); // then wait for the peer's FIN
}

void Connection::close(int code, const std::string& reason, std::chrono::milliseconds linger) {
    if (state_ == State::Closing || state_ == State::Done) return;
    if (state_ == State::Http) {
        teardown();
        return;
    }
    std::string frame =
        protocol::encodeWsFrame(protocol::WsOpcode::Close, protocol::encodeClosePayload(code, reason));
    writeWire(frame.data(), frame.size());
    if (wsLogOn(false))
        wsLog("→ close code=" + std::to_string(code) + " durationMs=" +
              std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::steady_clock::now() - opened_)
                                 .count()) +
              " conn=" + connId_);
    lingerThenDrop(linger);
}

void Connection::lingerThenDrop(std::chrono::milliseconds linger) {
    if (state_ == State::Done || state_ == State::Closing) return;
    state_ = State::Closing;
    // Keep reading (and discarding) so that closing with unread input does not reset the connection
    // before the peer has our last bytes; the peer's FIN or the linger bound ends it.
    readPaused_ = false;
    watch(true);
    if (outOffset_ >= out_.size()) peer_.transport->shutdownWrite();
    std::weak_ptr<Connection> weak = shared_from_this();
    lingerTimer_ = shard_.loop.runAfter(linger, [weak] {
        if (auto self = weak.lock()) {
            self->lingerTimer_ = 0;
            self->teardown();
        }
    });
}

void Connection::evict() {
    if (state_ == State::Open || state_ == State::Closing || state_ == State::Done) return;
    log::Logger::get().warn("ws", "evicted a stalled handshake conn=" + connId_ + " remote=" + peer_.remote +
                                      " (gateway.limits.maxPreauthConnections reached)");
    close(1013, "too many pending handshakes; retry");
}

void Connection::teardown() {
    if (state_ == State::Done) return;
    const bool wasSession = countedSession_;
    state_ = State::Done;
    shard_.loop.cancel(deadlineTimer_);
    shard_.loop.cancel(pingTimer_);
    shard_.loop.cancel(lingerTimer_);
    peer_.transport->close(shard_.loop);
    std::string().swap(out_);
    gw_.connectionGone(*this, wasSession, node_);
    countedSession_ = false;
    node_ = false;
    // Destroyed after this loop iteration: another event in the same epoll batch may still name us.
    Shard* shard = &shard_;
    Connection* key = this;
    shard_.loop.post([shard, key] { shard->conns.erase(key); });
}

} // namespace openclaw::server
