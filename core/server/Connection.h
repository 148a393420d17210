// One client connection on a reactor thread: the HTTP request (routes or the WebSocket upgrade), then
// the protocol v4 session: challenge, connect, auth, hello-ok, requests and events, close.
//
// Everything here runs on the owning shard's loop thread; other threads reach a connection only by
// posting to that loop with a weak pointer, so no member needs a lock.
#pragma once

#include "config/Modes.h"
#include "net/EventLoop.h"
#include "net/Transport.h"
#include "protocol/Connect.h"
#include "protocol/HttpHead.h"
#include "protocol/WsCodec.h"
#include "rpc/Registry.h"
#include "tls/TlsModule.h"

#include <chrono>
#include <list>
#include <map>
#include <memory>
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
class Connection : public net::IoHandler, public std::enable_shared_from_this<Connection> {
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
    /// Sends a close frame (WebSocket) or drops the connection (HTTP), then winds down: the peer has
    /// `linger` to take the last bytes and hang up.
    void close(int code, const std::string& reason, std::chrono::milliseconds linger = kLinger);
    /// Drops a connection that still holds a pre-auth slot because a newer one needs it.
    void evict();

    Shard& shard() { return shard_; }
    const std::string& connId() const { return connId_; }

    /// Pre-auth slot bookkeeping, owned by GatewayServer under its lock.
    std::list<std::weak_ptr<Connection>>::iterator preauthSlot;
    bool holdsPreauthSlot = false;

  private:
    enum class State { Http, WsPreauth, Authenticating, Open, Closing, Done };

    void onReadable();
    void readSome();
    void consume(const char* data, size_t len);
    void handleHttp();
    void respondHttp(int status, const std::string& body, const std::string& contentType,
                     const std::string& extraHeaders = "");
    void upgrade(protocol::HttpHead& req);
    void handleWsBytes();
    void handleMessage(const std::string& text);
    void handleConnect(const std::string& text);
    json::ObjectPtr authRequest(config::AuthMode mode) const;
    void askAuth(const std::string& id, size_t step);
    void authDecided(const std::string& id, size_t step, int status, const std::string& result,
                     const std::string& error);
    void refuse(const protocol::HandshakeError& e, const std::string& id);
    void admit(const std::string& id);
    void releaseAuthState();
    void handleRequest(const std::string& text);
    void finishRequest(const protocol::Request& req, const rpc::Outcome& outcome,
                       std::chrono::steady_clock::time_point started);
    void schedulePing();

    void sendText(const std::string& text);
    void sendWs(protocol::WsOpcode op, const std::string& payload);
    void writeWire(const char* data, size_t len); ///< plaintext: through TLS when there is TLS
    void writeRaw(const char* data, size_t len);  ///< bytes exactly as they go on the wire
    void flush();
    void watch(bool readable);
    void lingerThenDrop(std::chrono::milliseconds linger = kLinger);
    void teardown();
    bool wsLogOn(bool detailed) const;
    void wsLog(const std::string& line) const;

    GatewayServer& gw_;
    Shard& shard_;
    Peer peer_;
    std::unique_ptr<tls::ServerSession> tls_;
    State state_ = State::Http;
    std::string connId_;
    std::string origin_; ///< the upgrade request's Origin header
    std::chrono::steady_clock::time_point opened_;
    long long maxBuffered_; ///< gateway.limits.maxBufferedBytes, read once (it is checked per frame)

    std::string head_;            ///< HTTP bytes not yet handled
    protocol::WsDecoder decoder_; ///< WebSocket bytes
    std::string message_;         ///< a fragmented message being reassembled
    std::string out_;             ///< wire bytes the socket has not taken yet
    size_t outOffset_ = 0;        ///< first unsent byte of out_
    bool watchingWrite_ = false;
    bool batching_ = false; ///< inside onReadable: writes are queued and sent together at the end
    bool readPaused_ = false;
    bool keepAlive_ = false;

    uint64_t deadlineTimer_ = 0; ///< handshake (or HTTP request) deadline
    uint64_t pingTimer_ = 0;
    uint64_t lingerTimer_ = 0;

    protocol::ConnectParams params_;
    rpc::CallContext ctx_;
    config::AuthMode authMode_ = config::AuthMode::None;
    /// What only the auth plugins need, from the upgrade until connect has been decided.
    struct PendingAuth {
        std::map<std::string, std::string> headers; ///< the upgrade request's
        std::string request;                        ///< what each auth plugin is asked (JSON)
    };
    std::unique_ptr<PendingAuth> pendingAuth_;
    const char* authMethod_ = nullptr; ///< the overlay's mode when an overlay decided (the plugin's string)
    long long seq_ = 0;
    int inflight_ = 0;
    bool countedSession_ = false; ///< holds one of gateway.limits.maxSessions
    bool node_ = false;           ///< listed in presence
};

} // namespace openclaw::server
