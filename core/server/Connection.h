// One client connection on a reactor thread: the HTTP request (a route of HttpRoutes, or the WebSocket
// upgrade), then the protocol v4 session: challenge, the connect step (ConnectHandshake), hello-ok, requests
// and events, close. Bytes go through a net::Transport (TLS is a TlsTransport over the socket) and out
// through an OutputBuffer with back-pressure.
//
// Everything here runs on the owning shard's loop thread; other threads reach a connection only by
// posting to that loop with a weak pointer, so no member needs a lock.
#pragma once

#include "config/Modes.h"
#include "net/EventLoop.h"
#include "net/Transport.h"
#include "plugins/LoadedPlugin.h"
#include "protocol/Connect.h"
#include "protocol/Frames.h"
#include "protocol/HttpHead.h"
#include "protocol/WsCodec.h"
#include "rpc/Registry.h"
#include "server/ConnectHandshake.h"
#include "server/HttpRoutes.h"
#include "server/OutputBuffer.h"
#include "server/Session.h"
#include "tls/TlsModule.h"

#include <atomic>
#include <chrono>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

namespace openclaw::server {

class GatewayServer;
class Connection;

/// One reactor thread and the connections it owns.
struct Shard {
    explicit Shard(const std::string& name) : loop(name) {}
    net::EventLoop loop;
    std::unordered_map<Connection*, std::shared_ptr<Connection>> conns; ///< loop thread only
    /// Connections given to this shard and not torn down yet: read by the accepting loop to place the next.
    std::atomic<uint32_t> open{0};
};

/// Where a connection came from.
struct Peer {
    std::unique_ptr<net::Transport> transport; ///< the accepted socket (a fake in tests)
    std::string remote;                        ///< remote IP
    bool loopback = false;                     ///< remote is a loopback address
    std::string local;                         ///< "ip:port" accepted on
    int remotePort = 0;                        ///< the peer's port
};

/// A client connection. Create with make_shared, then start() on the shard's loop.
class Connection : public net::IoHandler,
                   public HandshakeOwner,
                   public SessionOutput,
                   public std::enable_shared_from_this<Connection> {
  public:
    /// How long a closing connection may take to take its last bytes and hang up.
    static constexpr std::chrono::milliseconds kLinger{2000};

    Connection(GatewayServer& gw, Shard& shard, Peer peer, tls::ServerContext* tls);
    ~Connection() override;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    /// Registers with the loop and arms the handshake deadline.
    void start();
    void onIo(uint32_t events) override;

    /// Sends an event with this session's next seq (only once authenticated).
    void sendEvent(const std::string& event, const std::string& payloadJson,
                   const std::string& stateVersionJson);
    /// The same for an event rendered once for many sessions (Broadcaster), with this session's seq.
    void sendEvent(const protocol::EventFrame& frame);
    /// An open session of this role (0 = any, 1 operator, 2 node) holding `scope` ("" = any).
    bool sessionMatches(int roleFilter, const std::string& scope) const;
    /// (A plugin's) event to this session alone, with this session's next seq only when `withSeq`.
    void sendEventTo(const std::string& event, const std::string& payloadJson, bool withSeq);
    /// Sends a close frame (WebSocket) or drops the connection (HTTP), then winds down: the peer has
    /// `linger` to take the last bytes and hang up.
    void close(int code, const std::string& reason, std::chrono::milliseconds linger = kLinger);
    /// Drops a connection that still holds a pre-auth slot because a newer one needs it.
    void evict();
    /// Pings an open session whose keep-alive phase this is (one of `phases`, by session id): the shard's
    /// sweep calls it for every connection each pingInterval / phases.
    void keepAlive(uint64_t phase, uint64_t phases);

    // HandshakeOwner: what the connect step decides.
    void admitConnect(const std::string& requestId) override;
    void refuseConnect(const protocol::HandshakeError& e, const std::string& requestId) override;
    void closeConnection(int code, const std::string& reason) override { close(code, reason); }
    void holdReading() override;
    void whileDeciding(std::chrono::milliseconds delay, std::function<void()> fn) override;
    std::function<void(std::function<void()>)> decisionPoster() override;
    // SessionOutput: where the session's answers go.
    void sendText(const std::string& text) override;
    std::function<void(std::function<void()>)> poster() override;

    Shard& shard() { return shard_; }
    const std::string& connId() const { return connId_; }

    /// Pre-auth slot bookkeeping, owned by GatewayServer under its lock.
    std::list<std::weak_ptr<Connection>>::iterator preauthSlot;
    bool holdsPreauthSlot = false;

  private:
    enum class State { Http, WsPreauth, Authenticating, Open, Closing, Done };

    void onReadable();
    void onInputWhilePaused(uint32_t events);
    void readSome();
    void consume(const char* data, size_t len);
    void handleHttp();
    void respondHttp(const HttpResponse& response);
    /// A request to a plugin's route whose head is the first `headLength` bytes of head_: refused at the
    /// gate, or — once its whole body is in head_ — handed to the plugin (head_ keeps both until then).
    void servePluginRoute(const protocol::HttpHead& req, const HttpRoutes::PluginRoute& route,
                          size_t headLength);
    /// The answer a plugin route gets without asking the plugin (locked out, no credentials).
    std::optional<HttpResponse> pluginRouteGate(const protocol::HttpHead& req,
                                                const HttpRoutes::PluginRoute& route);
    void pluginAnswered(const plugins::LoadedPlugin::CallResult& r);
    void upgrade(protocol::HttpHead& req);
    void handleWsBytes();
    void handleMessage(const std::string& text);
    void openSession(const std::string& id);
    void announceNode();
    void dropHandshake();
    void hookRefusal(const protocol::HandshakeError& e);

    void sendWs(protocol::WsOpcode op, const std::string& payload);
    void write(const char* data, size_t len); ///< bytes for the transport (plaintext under TLS)
    void flush();
    void afterFlush(OutputBuffer::Status status);
    /// A poster (see HandshakeOwner::decisionPoster) that runs only while the connection exists and, when
    /// `deciding`, still waits for the auth decision.
    std::function<void(std::function<void()>)> posterWhile(bool deciding);
    void watch(bool readable);
    /// Nothing more is read until resumeReading(); the socket's read interest goes only if input arrives
    /// meanwhile (most pauses end before that: no epoll_ctl either way).
    void pauseReading();
    void resumeReading();
    void lingerThenDrop(std::chrono::milliseconds linger = kLinger);
    void teardown();
    bool wsLogOn(bool detailed) const;
    void wsLog(const std::string& line) const;

    GatewayServer& gw_;
    Shard& shard_;
    std::string connId_;
    Peer peer_; ///< its transport is a TlsTransport over the socket when there is TLS
    std::chrono::steady_clock::time_point opened_;
    long long maxBuffered_; ///< gateway.limits.maxBufferedBytes, read once (it is checked per frame)

    /// Before the upgrade: HTTP bytes not yet handled. After it: a fragmented message being reassembled
    /// (one string for both, an idle session's memory: the upgrade hands what is left to the decoder).
    std::string partial_;
    protocol::WsDecoder decoder_; ///< WebSocket bytes
    OutputBuffer output_;
    State state_ = State::Http;
    bool watchingWrite_ = false;
    bool readPaused_ = false;
    bool readUnwatched_ = false; ///< EPOLLIN/EPOLLRDHUP are off (input came while reading was paused)
    bool keepAlive_ = false;

    uint64_t deadlineTimer_ = 0; ///< handshake (or HTTP request) deadline
    uint64_t lingerTimer_ = 0;

    std::unique_ptr<ConnectHandshake> handshake_; ///< until the session is open

    Session session_;
    long long seq_ = 0;
    bool tls_ = false;
    bool countedSession_ = false; ///< holds one of gateway.limits.maxSessions
    bool node_ = false;           ///< listed in presence
    int closeCode_ = 1006;        ///< what the session ended with (1006: the peer went away)
    std::string closeReason_;
};

} // namespace openclaw::server
