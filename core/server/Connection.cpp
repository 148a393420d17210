#include "server/Connection.h"

#include "log/Logger.h"
#include "protocol/HelloOk.h"
#include "protocol/HttpHead.h"
#include "protocol/RandomId.h"
#include "protocol/Timestamp.h"
#include "server/GatewayServer.h"
#include "server/SessionHooks.h"
#include "server/TlsTransport.h"
#include "server/WsLog.h"

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
    return protocol::randomUuid();
}

} // namespace

Connection::Connection(GatewayServer& gw, Shard& shard, Peer peer, tls::ServerContext* tls)
    : gw_(gw), shard_(shard), connId_(newUuid()), peer_(std::move(peer)),
      opened_(std::chrono::steady_clock::now()), maxBuffered_(gw.config()->limits.maxBufferedBytes),
      decoder_(protocol::kMaxPreauthPayload), session_(gw, *this, connId_), tls_(tls != nullptr) {
    shard_.open.fetch_add(1, std::memory_order_relaxed); // until teardown
    if (tls)
        peer_.transport = std::make_unique<TlsTransport>(std::move(peer_.transport), tls->newSession(),
                                                         "conn=" + connId_ + " remote=" + peer_.remote);
}

Connection::~Connection() = default;

bool Connection::wsLogOn(bool detailed) const {
    return server::wsLogOn(gw_.settings().wsLog, detailed);
}

void Connection::wsLog(const std::string& line) const {
    server::wsLog(gw_.settings().wsLog, line);
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
    if (!(events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))) return;
    if (readPaused_)
        onInputWhilePaused(events);
    else
        onReadable();
}

void Connection::watch(bool readable) {
    if (state_ == State::Done) return;
    uint32_t ev = 0;
    if (readable) ev |= EPOLLIN | EPOLLRDHUP;
    if (watchingWrite_) ev |= EPOLLOUT;
    peer_.transport->watch(shard_.loop, ev, this);
}

void Connection::onInputWhilePaused(uint32_t events) {
    if (events & (EPOLLHUP | EPOLLERR)) {
        // Reset, or gone both ways: nothing more can be said to the peer, whatever the plugins decide.
        teardown();
        return;
    }
    // Input or the peer's half-close, while a plugin decides: read once reading resumes. Level-triggered, it
    // would wake the loop at every turn until then, so the read interest (EPOLLRDHUP with it) goes meanwhile.
    if (readUnwatched_) return;
    readUnwatched_ = true;
    watch(false);
}

void Connection::onReadable() {
    // Everything answered while handling this wake-up's input leaves in one send, not one per frame.
    output_.beginBatch();
    readSome();
    output_.endBatch();
    if (state_ != State::Done)
        flush();
    else
        output_.release(); // the loop thread's batch buffer must not stay claimed by a closed connection
}

void Connection::readSome() {
    char buf[65536];
    // Bounded per wake-up so one busy peer cannot starve the others on this loop.
    for (int round = 0; round < 16 && state_ != State::Done && !readPaused_; ++round) {
        const net::IoResult got = peer_.transport->read(buf, sizeof buf);
        if (got.kind == net::IoResult::Kind::Bytes) {
            const size_t n = got.count;
            if (state_ == State::Closing) continue; // draining after our close
            consume(buf, n);
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
        partial_.append(data, len);
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
        size_t end = partial_.find("\r\n\r\n");
        if (end == std::string::npos) {
            if (partial_.size() > kMaxHttpHead) {
                keepAlive_ = false;
                respondHttp({431, "request head too large\n", "text/plain; charset=utf-8"});
            }
            return;
        }
        protocol::HttpHead req = protocol::parseHttpHead(partial_.substr(0, end + 4));
        if (!req.ok) {
            partial_.erase(0, end + 4);
            keepAlive_ = false;
            respondHttp({400, "bad request: " + req.error + "\n", "text/plain; charset=utf-8"});
            return;
        }
        keepAlive_ = req.keepAlive;
        if (const HttpRoutes::PluginRoute* route =
                req.upgradeWebSocket ? nullptr : gw_.routes().pluginFor(req.path)) {
            servePluginRoute(req, *route, end + 4);
            return; // reading resumes once the body is in, or once the plugin has answered
        }
        partial_.erase(0, end + 4);
        if (req.upgradeWebSocket) {
            upgrade(req);
            return;
        }
        const Peer& peer = peer_;
        AuthLimiter& limiter = gw_.limiter();
        respondHttp(
            gw_.routes().respond(req, [&] { return limiter.lockedForMs(peer.remote, peer.loopback); }));
    }
}

void Connection::respondHttp(const HttpResponse& response) {
    const std::string r = response.wire(keepAlive_);
    write(r.data(), r.size());
    if (!keepAlive_) lingerThenDrop();
}

void Connection::upgrade(protocol::HttpHead& req) {
    keepAlive_ = false;
    const std::string& key = req.wsKey;
    if (gw_.stopping()) {
        respondHttp({503, "shutting down\n", "text/plain; charset=utf-8"});
        return;
    }
    if (key.empty() || req.wsVersion != "13" || !req.connectionUpgrade) {
        respondHttp({400, "invalid WebSocket upgrade request\n", "text/plain; charset=utf-8"});
        return;
    }
    std::string r = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    "Sec-WebSocket-Accept: " +
                    protocol::wsAcceptKey(key) + "\r\n";
    // As the reference (the `ws` library default): echo the first offered subprotocol, so browsers that
    // offer one accept the upgrade.
    if (!req.firstSubprotocol.empty()) r += "Sec-WebSocket-Protocol: " + req.firstSubprotocol + "\r\n";
    r += "\r\n";
    write(r.data(), r.size());
    handshake_ = std::make_unique<ConnectHandshake>(gw_, *this, peer_, connId_, tls_);
    handshake_->setOrigin(req.origin);
    // For the auth plugins, until connect has been decided; a session does not keep them.
    handshake_->setUpgradeHeaders(std::move(req.headers));
    state_ = State::WsPreauth;
    if (wsLogOn(false))
        wsLog("← open remoteAddr=" + peer_.remote + " localAddr=" + peer_.local + " conn=" + connId_);
    const std::string nonce = newUuid();
    const long long ts = protocol::nowMs();
    handshake_->setChallenge(nonce, ts);
    sendText(protocol::encodeEvent("connect.challenge", protocol::buildChallenge(nonce, ts)));
    std::string rest;
    rest.swap(partial_);
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
        if (f->fin && partial_.empty()) { // the common case: a whole message in one frame, used as it is
            handleMessage(f->payload);
            continue;
        }
        partial_ += f->payload;
        const size_t cap = state_ == State::Open ? protocol::kMaxPayload : protocol::kMaxPreauthPayload;
        if (partial_.size() > cap) {
            close(1009, "");
            return;
        }
        if (!f->fin) continue;
        std::string text;
        text.swap(partial_);
        handleMessage(text);
    }
}

void Connection::handleMessage(const std::string& text) {
    if (state_ == State::WsPreauth)
        handshake_->onConnectFrame(text);
    else if (state_ == State::Open)
        session_.onFrame(text);
}

void Connection::refuseConnect(const protocol::HandshakeError& e, const std::string& requestId) {
    if (handshake_) handshake_->release();
    if (gw_.bridge().wants(plugins::HookKind::AuthResult)) hookRefusal(e);
    sendText(protocol::encodeError(requestId, e.error));
    close(e.closeCode, e.closeReason);
}

void Connection::holdReading() {
    state_ = State::Authenticating;
    pauseReading();
}

void Connection::pauseReading() {
    readPaused_ = true;
}

void Connection::resumeReading() {
    readPaused_ = false;
    if (!readUnwatched_) return;
    readUnwatched_ = false;
    watch(true);
}

void Connection::whileDeciding(std::chrono::milliseconds delay, std::function<void()> fn) {
    std::weak_ptr<Connection> weak = weak_from_this();
    shard_.loop.runAfter(delay, [weak, fn = std::move(fn)] {
        auto self = weak.lock();
        if (self && self->state_ == State::Authenticating) fn(); // closed or evicted meanwhile: nothing to do
    });
}

std::function<void(std::function<void()>)> Connection::decisionPoster() {
    return posterWhile(true);
}

std::function<void(std::function<void()>)> Connection::posterWhile(bool deciding) {
    std::weak_ptr<Connection> weak = weak_from_this();
    net::EventLoop* loop =
        &shard_.loop; // outlives every call a plugin may still answer (GatewayServer::stop)
    return [weak, loop, deciding](std::function<void()> fn) {
        loop->post([weak, deciding, fn = std::move(fn)] {
            auto self = weak.lock();
            if (self && (!deciding || self->state_ == State::Authenticating)) fn();
        });
    };
}

void Connection::admitConnect(const std::string& requestId) {
    if (handshake_) handshake_->release();
    connectDecided(gw_, true, "", &handshake_->params(), handshake_->authMethod(), peer_.remote,
                   peer_.loopback);
    if (!gw_.acquireSession()) {
        const int max = gw_.config()->limits.maxSessions;
        const std::string msg = "gateway at capacity: " + std::to_string(max) +
                                " sessions (gateway.limits.maxSessions); retry later";
        log::Logger::get().warn("ws", "refused conn=" + connId_ + " remote=" + peer_.remote + ": " + msg);
        refuseConnect({{"UNAVAILABLE", msg, json::Var(), true, 1000}, 1013, msg}, requestId);
        return;
    }
    countedSession_ = true;
    openSession(requestId);
}

void Connection::openSession(const std::string& id) {
    const protocol::ConnectParams& params = handshake_->params();
    const protocol::HelloInfo info = session_.begin(params, handshake_->authMethod(), maxBuffered_,
                                                    peer_.remote, peer_.loopback, handshake_->admitted());
    // Listed before hello-ok leaves: a peer that reads hello-ok and asks another session for the list (on
    // another loop) must find this one. Whatever a plugin sends it is posted to this loop, so it still
    // follows hello-ok; teardown unlists it if hello-ok cannot be sent.
    sessionListed(gw_, weak_from_this(), shard_, session_.context());
    // hello-ok and "open" in one step on this thread: a broadcast can neither overtake hello-ok nor miss us.
    sendText(protocol::encodeOkJson(id, protocol::renderHelloOk(info)));
    if (state_ == State::Closing || state_ == State::Done) return;
    state_ = State::Open;
    gw_.releasePreauthSlot(*this);
    shard_.loop.cancel(deadlineTimer_);
    deadlineTimer_ = 0;
    decoder_.setMaxPayload(protocol::kMaxPayload); // after hello-ok the frame cap rises to policy.maxPayload
    resumeReading();
    if (params.role == "node") announceNode();
    sessionOpened(gw_, *session_.context(), handshake_->authMethod());
    dropHandshake();
    if (wsLogOn(false))
        wsLog("→ hello-ok methods=" + std::to_string(info.methods->size()) +
              " events=" + std::to_string(info.events->size()) +
              " presence=" + std::to_string(info.presenceCount) + " conn=" + connId_);
    // Frames the peer sent right behind connect are waiting in the decoder.
    handleWsBytes();
}

std::function<void(std::function<void()>)> Connection::poster() {
    return posterWhile(false);
}

void Connection::dropHandshake() {
    // An open session needs nothing of its connect step (idle sessions should cost little memory): neither
    // the handshake nor the decoder's room for the connect frame (the largest frame most clients send; the
    // next request re-grows it to its own size). Dropped in a task of its own: the handshake, or a frame in
    // that buffer, may be on the stack below us (its plugin verdict admitted us).
    std::weak_ptr<Connection> weak = weak_from_this();
    shard_.loop.post([weak] {
        if (auto self = weak.lock()) {
            self->handshake_.reset();
            self->decoder_.releaseIfDrained();
        }
    });
}

void Connection::announceNode() {
    const protocol::ConnectParams& params = handshake_->params();
    json::ObjectPtr p = json::makeObject();
    p->set("host", params.client.displayName.empty() ? params.client.id : params.client.displayName);
    p->set("ip", peer_.remote);
    p->set("version", params.client.version);
    p->set("platform", params.client.platform);
    p->set("deviceFamily", params.client.deviceFamily);
    p->set("mode", params.client.mode);
    p->set("reason", std::string("connect"));
    p->set("instanceId", params.client.instanceId);
    p->set("ts", static_cast<Poco::Int64>(protocol::nowMs()));
    node_ = true;
    gw_.nodeJoined(connId_, p); // a node joining changes presence for everyone
}

void Connection::keepAlive(uint64_t phase, uint64_t phases) {
    if (state_ != State::Open || session_.context()->sessionId % phases != phase) return;
    sendWs(protocol::WsOpcode::Ping, "");
}

void Connection::sendEvent(const std::string& event, const std::string& payloadJson,
                           const std::string& stateVersionJson) {
    sendEvent(protocol::EventFrame(event, payloadJson, stateVersionJson));
}

void Connection::sendEvent(const protocol::EventFrame& frame) {
    if (state_ != State::Open) return;
    // One text buffer per loop thread for every session's copy of a broadcast: its capacity is reused from
    // one session to the next (the frame is copied out before anything else can run on this thread).
    thread_local std::string text;
    text.clear();
    frame.appendTo(text, ++seq_);
    sendText(text);
}

// ------------------------------------------------------------------------------------------- output

void Connection::sendText(const std::string& text) {
    sendWs(protocol::WsOpcode::Text, text);
}

void Connection::sendWs(protocol::WsOpcode op, const std::string& payload) {
    if (state_ == State::Closing || state_ == State::Done || state_ == State::Http) return;
    afterFlush(output_.writeFrame(*peer_.transport, op, payload));
    if (state_ == State::Open && static_cast<long long>(output_.pending()) > maxBuffered_) {
        // The peer stopped reading: drop it so it cannot hold memory (or the others) hostage.
        log::Logger::get().warn("ws", "slow consumer conn=" + connId_ + " remote=" + peer_.remote +
                                          ": more than " + std::to_string(maxBuffered_) +
                                          " bytes queued; closing");
        close(1008, "slow consumer", kSlowConsumerLinger);
    }
}

void Connection::write(const char* data, size_t len) {
    if (state_ == State::Done) return;
    afterFlush(output_.write(*peer_.transport, data, len));
}

void Connection::flush() {
    afterFlush(output_.flush(*peer_.transport));
}

void Connection::afterFlush(OutputBuffer::Status status) {
    switch (status) {
    case OutputBuffer::Status::Queued:
        return; // sent at the end of this wake-up
    case OutputBuffer::Status::Closed:
        teardown();
        return;
    case OutputBuffer::Status::Blocked:
        if (!watchingWrite_) {
            watchingWrite_ = true;
            watch(!readUnwatched_);
        }
        return;
    case OutputBuffer::Status::Sent:
        break;
    }
    if (watchingWrite_) {
        watchingWrite_ = false;
        watch(!readUnwatched_);
    }
    if (state_ == State::Closing) peer_.transport->shutdownWrite(); // then wait for the peer's FIN
}

void Connection::close(int code, const std::string& reason, std::chrono::milliseconds linger) {
    if (state_ == State::Closing || state_ == State::Done) return;
    if (state_ == State::Http) {
        teardown();
        return;
    }
    closeCode_ = code;
    closeReason_ = reason;
    afterFlush(output_.writeFrame(*peer_.transport, protocol::WsOpcode::Close,
                                  protocol::encodeClosePayload(code, reason)));
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
    resumeReading();
    if (!output_.batching()) flush(); // everything out: FIN now (else once the rest has gone)
    if (state_ == State::Done) return;
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
    shard_.loop.cancel(lingerTimer_);
    peer_.transport->close(shard_.loop);
    output_.release();
    if (wasSession && session_.context())
        sessionClosed(
            gw_, *session_.context(), closeCode_, closeReason_,
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - opened_)
                .count());
    gw_.connectionGone(*this, wasSession, node_);
    shard_.open.fetch_sub(1, std::memory_order_relaxed);
    countedSession_ = false;
    node_ = false;
    // Destroyed after this loop iteration: another event in the same epoll batch may still name us.
    Shard* shard = &shard_;
    Connection* key = this;
    shard_.loop.post([shard, key] { shard->conns.erase(key); });
}

} // namespace openclaw::server
