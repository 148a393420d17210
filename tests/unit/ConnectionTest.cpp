// Server connections in-process, on a fake socket: a GoogleMock net::Transport whose default actions
// play a scripted byte stream (FakeStream). The server's real event loops run the connections; the test
// hands each step to the connection's loop and waits for it to be done, so nothing here sleeps. These
// cover what the process-level tests (integration/LimitsTest.cpp) can only show with a real gateway and
// waits: pre-auth eviction, the session cap, the slow-consumer close and write back-pressure; and the auth
// chain (a real overlay fixture plugin and the bundled auth-token plugin): accept, refuse, defer, overlay
// before mode.
#include "Process.h"

#include "config/ConfigLoader.h"
#include "config/Json5Parser.h"
#include "plugins/PluginHost.h"
#include "protocol/WsCodec.h"
#include "server/GatewayServer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <future>
#include <sys/epoll.h>
#include <thread>

using namespace openclaw;
using ::testing::_;
using ::testing::AnyNumber;
using ::testing::NiceMock;
using ::testing::StrictMock;

namespace {

/// A bound that catches a hang; a healthy step takes microseconds.
constexpr std::chrono::seconds kStepBound{10};

/// The peer's side of a fake connection: bytes the test delivers are what the connection reads; what it
/// writes lands in `sent` while `capacity` allows (then writes would block).
struct FakeStream : std::enable_shared_from_this<FakeStream> {
    std::mutex mu;
    std::string inbound;
    bool peerGone = false;
    std::string sent;
    size_t capacity = SIZE_MAX;
    uint32_t watched = 0;
    int shutdowns = 0;
    bool closed = false;
    net::EventLoop* loop = nullptr;
    net::IoHandler* handler = nullptr;
    std::promise<void> startedPromise;
    std::shared_future<void> started = startedPromise.get_future().share();
    std::promise<void> closedPromise;
    std::shared_future<void> closedFuture = closedPromise.get_future().share();

    net::IoResult read(char* buf, size_t len) {
        std::lock_guard<std::mutex> lock(mu);
        if (inbound.empty())
            return {peerGone ? net::IoResult::Kind::Closed : net::IoResult::Kind::WouldBlock, 0};
        const size_t n = std::min(len, inbound.size());
        inbound.copy(buf, n);
        inbound.erase(0, n);
        return {net::IoResult::Kind::Bytes, n};
    }
    net::IoResult write(const char* data, size_t len) {
        std::lock_guard<std::mutex> lock(mu);
        if (peerGone) return {net::IoResult::Kind::Closed, 0};
        const size_t n = std::min(len, capacity);
        if (n == 0) return {net::IoResult::Kind::WouldBlock, 0};
        if (capacity != SIZE_MAX) capacity -= n;
        sent.append(data, n);
        return {net::IoResult::Kind::Bytes, n};
    }
    void watch(net::EventLoop& l, uint32_t events, net::IoHandler* h) {
        bool inputWaits = false;
        {
            std::lock_guard<std::mutex> lock(mu);
            const bool first = loop == nullptr;
            const bool wasReading = (watched & EPOLLIN) != 0;
            loop = &l;
            handler = h;
            watched = events;
            if (first) startedPromise.set_value();
            inputWaits = !first && !wasReading && (events & EPOLLIN) && !inbound.empty();
        }
        // Level-triggered, as epoll: input already waiting wakes a handler that starts watching for it.
        if (inputWaits)
            l.post([weak = weak_from_this()] {
                auto self = weak.lock();
                if (!self) return;
                net::IoHandler* reader = nullptr;
                {
                    std::lock_guard<std::mutex> lock(self->mu);
                    reader = self->watched & EPOLLIN ? self->handler : nullptr;
                }
                if (reader) reader->onIo(EPOLLIN);
            });
    }
    void close() {
        std::lock_guard<std::mutex> lock(mu);
        if (closed) return;
        closed = true;
        handler = nullptr; // the connection is going; nothing may call it any more
        closedPromise.set_value();
    }
};

class MockTransport : public net::Transport {
  public:
    explicit MockTransport(std::shared_ptr<FakeStream> s) : stream_(std::move(s)) {
        ON_CALL(*this, read(_, _)).WillByDefault([this](char* b, size_t n) { return stream_->read(b, n); });
        ON_CALL(*this, write(_, _)).WillByDefault([this](const char* d, size_t n) {
            return stream_->write(d, n);
        });
        ON_CALL(*this, shutdownWrite()).WillByDefault([this] {
            std::lock_guard<std::mutex> lock(stream_->mu);
            ++stream_->shutdowns;
        });
        ON_CALL(*this, watch(_, _, _))
            .WillByDefault(
                [this](net::EventLoop& l, uint32_t e, net::IoHandler* h) { stream_->watch(l, e, h); });
        ON_CALL(*this, close(_)).WillByDefault([this](net::EventLoop&) { stream_->close(); });
    }
    MOCK_METHOD(net::IoResult, read, (char*, size_t), (override));
    MOCK_METHOD(net::IoResult, write, (const char*, size_t), (override));
    MOCK_METHOD(void, shutdownWrite, (), (override));
    MOCK_METHOD(void, watch, (net::EventLoop&, uint32_t, net::IoHandler*), (override));
    MOCK_METHOD(void, close, (net::EventLoop&), (override));

  private:
    std::shared_ptr<FakeStream> stream_;
};

/// A GatewayServer with its loops running and no listener: connections come from adopt().
class InProcessServer {
  public:
    /// Auth mode none, no plugins.
    explicit InProcessServer(config::LimitsConfig limits) {
        auto cfg = std::make_shared<config::GatewayConfig>();
        cfg->auth.mode = config::AuthMode::None;
        cfg->limits = limits;
        config_ = cfg;
        host_ = std::make_unique<plugins::PluginHost>(config_, std::vector<std::string>{});
        server_ = std::make_unique<server::GatewayServer>(config_, *host_, server::ServerSettings{});
        server_->start();
    }
    /// A gateway config (JSON5) with the bundled plugins and whatever plugins.load.paths names, loaded.
    explicit InProcessServer(const std::string& configText) {
        config::Document d = config::parseJson5(configText, "test.json");
        config::Paths p;
        p.home = "/nonexistent-home";
        p.stateDir = "/nonexistent-state";
        p.configPath = "/nonexistent-state/openclaw.json";
        config_ = std::make_shared<const config::GatewayConfig>(
            config::buildConfig(&d, p, config::Environment(), {}));
        host_ = std::make_unique<plugins::PluginHost>(config_,
                                                      std::vector<std::string>{OPENCLAW_BUNDLED_PLUGIN_DIR});
        host_->discover();
        server_ = std::make_unique<server::GatewayServer>(config_, *host_, server::ServerSettings{});
        host_->load(server_.get());
        server_->attachPlugins();
        server_->start();
    }
    ~InProcessServer() {
        server_->stop("test over");
        host_->unload();
    }

    server::GatewayServer& server() { return *server_; }

    /// A new connection on a fake stream, started on its loop. `expect` sets expectations on its mock
    /// before the server owns it. `strict`: only reading, watching and closing are allowed unless `expect`
    /// allows more (a StrictMock: any other call fails the test).
    std::shared_ptr<FakeStream> connect(const std::function<void(MockTransport&)>& expect = {},
                                        bool strict = false) {
        auto stream = std::make_shared<FakeStream>();
        std::unique_ptr<MockTransport> transport;
        if (strict) {
            auto t = std::make_unique<StrictMock<MockTransport>>(stream);
            EXPECT_CALL(*t, read(_, _)).Times(AnyNumber());
            EXPECT_CALL(*t, watch(_, _, _)).Times(AnyNumber());
            EXPECT_CALL(*t, close(_)).Times(AnyNumber());
            transport = std::move(t);
        } else {
            transport = std::make_unique<NiceMock<MockTransport>>(stream);
        }
        if (expect) expect(*transport);
        server::Peer peer;
        peer.transport = std::move(transport);
        peer.remote = "127.0.0.1";
        peer.loopback = true;
        peer.local = "127.0.0.1:0";
        server_->adopt(std::move(peer));
        EXPECT_EQ(stream->started.wait_for(kStepBound), std::future_status::ready)
            << "the connection never started";
        return stream;
    }

  private:
    config::GatewayConfigPtr config_;
    std::unique_ptr<plugins::PluginHost> host_;
    std::unique_ptr<server::GatewayServer> server_;
};

/// Runs `fn` on the stream's loop and waits until it has run (and everything posted before it).
void onLoop(FakeStream& s, std::function<void()> fn) {
    net::EventLoop* loop = nullptr;
    {
        std::lock_guard<std::mutex> lock(s.mu);
        loop = s.loop;
    }
    ASSERT_NE(loop, nullptr);
    std::promise<void> done;
    ASSERT_TRUE(loop->post([&] {
        fn();
        done.set_value();
    }));
    ASSERT_EQ(done.get_future().wait_for(kStepBound), std::future_status::ready);
}

/// Wakes the connection with readiness `events`, as epoll would.
void wake(FakeStream& s, uint32_t events) {
    onLoop(s, [&s, events] {
        net::IoHandler* h = nullptr;
        {
            std::lock_guard<std::mutex> lock(s.mu);
            h = s.handler;
        }
        if (h) h->onIo(events);
    });
}

/// The peer sends bytes.
void deliver(FakeStream& s, const std::string& bytes) {
    {
        std::lock_guard<std::mutex> lock(s.mu);
        s.inbound += bytes;
    }
    wake(s, EPOLLIN);
}

/// The peer hangs up.
void hangUp(FakeStream& s) {
    {
        std::lock_guard<std::mutex> lock(s.mu);
        s.peerGone = true;
    }
    wake(s, EPOLLIN | EPOLLRDHUP);
}

/// The peer reads everything queued (its window opens again).
void drain(FakeStream& s) {
    {
        std::lock_guard<std::mutex> lock(s.mu);
        s.capacity = SIZE_MAX;
    }
    wake(s, EPOLLOUT);
}

const std::string kUpgrade =
    "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

std::string clientFrame(const std::string& text) {
    return protocol::encodeWsFrame(protocol::WsOpcode::Text, text, 0x12345678u);
}

const std::string kConnect =
    R"({"type":"req","id":"c1","method":"connect","params":{"minProtocol":4,"maxProtocol":4,)"
    R"("client":{"id":"cli","version":"0.0.1","platform":"linux","mode":"cli"},"role":"operator",)"
    R"("scopes":["operator.read"]}})";

/// The server's WebSocket frames so far (after the 101 response).
std::vector<protocol::WsFrame> framesSent(FakeStream& s) {
    std::string sent;
    {
        std::lock_guard<std::mutex> lock(s.mu);
        sent = s.sent;
    }
    std::vector<protocol::WsFrame> out;
    const size_t body = sent.find("\r\n\r\n");
    if (body == std::string::npos) return out;
    protocol::WsDecoder decoder(1 << 24);
    decoder.feed(sent.data() + body + 4, sent.size() - body - 4);
    while (auto f = decoder.next())
        out.push_back(*f);
    return out;
}

/// The close frame's code, or 0 when the server sent none.
int closeCodeSent(FakeStream& s) {
    for (const auto& f : framesSent(s))
        if (f.opcode == protocol::WsOpcode::Close) return protocol::decodeCloseCode(f.payload);
    return 0;
}

/// Upgrades and connects (auth none); returns the connect answer.
json::ObjectPtr openSession(FakeStream& s) {
    deliver(s, kUpgrade);
    deliver(s, clientFrame(kConnect));
    for (const auto& f : framesSent(s)) {
        json::ObjectPtr o = json::asObject(json::parse(f.payload));
        if (o && json::getString(o, "id") == std::optional<std::string>("c1")) return o;
    }
    return nullptr;
}

config::LimitsConfig limits(int sessions, int preauth, long long buffered = 52428800) {
    config::LimitsConfig l;
    l.maxSessions = sessions;
    l.maxPreauthConnections = preauth;
    l.maxBufferedBytes = buffered;
    return l;
}

TEST(Connection, UpgradeAndConnectOpenASessionOnTheFakeStream) {
    InProcessServer gw(limits(10, 10));
    auto s = gw.connect();
    json::ObjectPtr hello = openSession(*s);
    ASSERT_TRUE(hello);
    EXPECT_EQ(json::getBool(hello, "ok"), true);
    EXPECT_EQ(json::getString(json::getObject(json::getObject(hello, "payload"), "auth"), "method"), "none");
    {
        std::lock_guard<std::mutex> lock(s->mu);
        EXPECT_EQ(s->sent.rfind("HTTP/1.1 101 Switching Protocols\r\n", 0), 0u);
        EXPECT_EQ(s->watched & (EPOLLIN | EPOLLOUT), static_cast<uint32_t>(EPOLLIN))
            << "reads, nothing queued";
    }
    hangUp(*s);
    EXPECT_EQ(s->closedFuture.wait_for(kStepBound), std::future_status::ready);
}

TEST(Connection, TheLongestStalledHandshakeIsEvictedWhenPreauthSlotsRunOut) {
    InProcessServer gw(limits(10, 2));
    auto upgraded = gw.connect();
    deliver(*upgraded, kUpgrade); // a WebSocket that never sends connect
    // A TCP connection that never sends a byte: when its slot is needed it is dropped without a word (a
    // StrictMock: a write or a FIN would fail the test).
    auto silent = gw.connect({}, true);
    auto third = gw.connect();
    // The oldest (the upgraded one) made room: told why with 1013, then hung up on.
    onLoop(*upgraded, [] {});
    EXPECT_EQ(closeCodeSent(*upgraded), 1013);
    hangUp(*upgraded);
    EXPECT_EQ(upgraded->closedFuture.wait_for(kStepBound), std::future_status::ready);
    // The next one over the cap goes too (it never spoke HTTP: dropped without a word).
    auto fourth = gw.connect();
    EXPECT_EQ(silent->closedFuture.wait_for(kStepBound), std::future_status::ready);
    EXPECT_FALSE(third->closed);
    EXPECT_FALSE(fourth->closed);
}

TEST(Connection, AnHonestClientGetsInWhileStalledOnesHoldEverySlot) {
    InProcessServer gw(limits(10, 1));
    auto stalled = gw.connect();
    auto honest = gw.connect();
    json::ObjectPtr hello = openSession(*honest);
    ASSERT_TRUE(hello);
    EXPECT_EQ(json::getBool(hello, "ok"), true);
    EXPECT_EQ(stalled->closedFuture.wait_for(kStepBound), std::future_status::ready);
    hangUp(*honest);
}

TEST(Connection, TheSessionCapRefusesWith1013AndAClosedSessionFreesItsSlot) {
    InProcessServer gw(limits(1, 10));
    auto first = gw.connect();
    ASSERT_EQ(json::getBool(openSession(*first), "ok"), true);
    auto second = gw.connect();
    json::ObjectPtr refused = openSession(*second);
    ASSERT_TRUE(refused);
    EXPECT_EQ(json::getBool(refused, "ok"), false);
    json::ObjectPtr err = json::getObject(refused, "error");
    EXPECT_EQ(json::getString(err, "code"), "UNAVAILABLE");
    EXPECT_NE(json::getString(err, "message").value_or("").find("gateway at capacity: 1 sessions"),
              std::string::npos);
    EXPECT_EQ(closeCodeSent(*second), 1013);
    hangUp(*second);
    hangUp(*first);
    EXPECT_EQ(first->closedFuture.wait_for(kStepBound), std::future_status::ready);
    auto third = gw.connect();
    EXPECT_EQ(json::getBool(openSession(*third), "ok"), true) << "the first session's slot was not freed";
    hangUp(*third);
}

TEST(Connection, WritesTheSocketRefusesAreQueuedAndSentWhenItIsWritableAgain) {
    InProcessServer gw(limits(10, 10));
    auto s = gw.connect();
    ASSERT_TRUE(openSession(*s));
    const size_t before = framesSent(*s).size();
    {
        std::lock_guard<std::mutex> lock(s->mu);
        s->capacity = 0; // the peer's receive window is full
    }
    for (int i = 0; i < 3; ++i)
        onLoop(*s, [&gw] { gw.server().broadcast("test.event", json::Var(1)); });
    onLoop(*s, [] {}); // a broadcast reaches each session in a task of its own loop: let the last one run
    {
        std::lock_guard<std::mutex> lock(s->mu);
        EXPECT_TRUE(s->watched & EPOLLOUT) << "queued bytes must wait for writability";
    }
    EXPECT_EQ(framesSent(*s).size(), before);
    drain(*s);
    EXPECT_EQ(framesSent(*s).size(), before + 3) << "queued events lost or reordered";
    {
        std::lock_guard<std::mutex> lock(s->mu);
        EXPECT_FALSE(s->watched & EPOLLOUT) << "nothing queued: stop watching writability";
    }
    hangUp(*s);
}

TEST(Connection, ASlowConsumerIsClosedWith1008OnceItsQueueExceedsTheLimit) {
    InProcessServer gw(limits(10, 10, 4096));
    auto s = gw.connect([](MockTransport& t) {
        // Once closing, FIN goes out after the close frame has been flushed, exactly once.
        EXPECT_CALL(t, shutdownWrite()).Times(1);
    });
    ASSERT_TRUE(openSession(*s));
    {
        std::lock_guard<std::mutex> lock(s->mu);
        s->capacity = 0;
    }
    const std::string payload(1000, 'x');
    for (int i = 0; i < 6; ++i)
        onLoop(*s, [&gw, &payload] { gw.server().broadcast("test.event", json::Var(payload)); });
    onLoop(*s, [] {});
    EXPECT_EQ(closeCodeSent(*s), 0) << "nothing can be sent while the window is shut";
    drain(*s);
    EXPECT_EQ(closeCodeSent(*s), 1008);
    std::vector<protocol::WsFrame> frames = framesSent(*s);
    ASSERT_FALSE(frames.empty());
    EXPECT_EQ(frames.back().opcode, protocol::WsOpcode::Close);
    EXPECT_NE(frames.back().payload.find("slow consumer"), std::string::npos);
    hangUp(*s);
    EXPECT_EQ(s->closedFuture.wait_for(kStepBound), std::future_status::ready);
}

// ---- the auth chain in-process: test-overlay (x-test-identity header) before auth-token ----

namespace {

const std::string kAuthConfig =
    std::string("{ gateway: { auth: { mode: 'token', token: 'T0k3n' } }, plugins: { ") + "load: { paths: ['" +
    OPENCLAW_TEST_PLUGIN_DIR + "/test-overlay'] } } }";

std::string upgradeWith(const std::string& headers) {
    return "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" +
           headers + "\r\n";
}

std::string connectWithToken(const std::string& token) {
    return R"({"type":"req","id":"c1","method":"connect","params":{"minProtocol":4,"maxProtocol":4,)"
           R"("client":{"id":"cli","version":"0.0.1","platform":"linux","mode":"cli"},"role":"operator",)"
           R"("scopes":["operator.read"])" +
           (token.empty() ? std::string() : R"(,"auth":{"token":")" + token + R"("})") + "}}";
}

/// Where the answer to request `id` is among the frames sent, once it has come (polled under a bound), with
/// the answer; -1 when it has not come.
std::pair<int, json::ObjectPtr> answerTo(FakeStream& s, const std::string& id) {
    const auto deadline = std::chrono::steady_clock::now() + kStepBound;
    while (std::chrono::steady_clock::now() < deadline) {
        const std::vector<protocol::WsFrame> frames = framesSent(s);
        for (size_t i = 0; i < frames.size(); ++i) {
            json::ObjectPtr o = json::asObject(json::tryParse(frames[i].payload).value_or(json::Var()));
            if (o && json::getString(o, "id") == std::optional<std::string>(id))
                return {static_cast<int>(i), o};
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return {-1, nullptr};
}

/// The answer to connect once the plugins have decided (some answer off the loop).
json::ObjectPtr connectAnswer(FakeStream& s) {
    return answerTo(s, "c1").second;
}

std::string authMethodOf(const json::ObjectPtr& answer) {
    return json::getString(json::getObject(json::getObject(answer, "payload"), "auth"), "method")
        .value_or("");
}

/// Opens a session with `headers` on the upgrade and `token` in connect; returns the connect answer.
json::ObjectPtr authenticate(InProcessServer& gw, std::shared_ptr<FakeStream>& s, const std::string& headers,
                             const std::string& token) {
    s = gw.connect();
    deliver(*s, upgradeWith(headers));
    deliver(*s, clientFrame(connectWithToken(token)));
    return connectAnswer(*s);
}

/// Opens a WebSocket and sends connect to an overlay that answers `delayMs` later (reading is held until
/// then).
std::shared_ptr<FakeStream> connectWhileTheOverlayDecides(InProcessServer& gw, int delayMs) {
    auto s = gw.connect();
    deliver(*s, upgradeWith("x-test-identity: alice\r\nx-test-async: 1\r\nx-test-delay-ms: " +
                            std::to_string(delayMs) + "\r\n"));
    deliver(*s, clientFrame(connectWithToken("")));
    return s;
}

} // namespace

TEST(AuthChain, TheModesPluginAcceptsTheRightTokenWhenTheOverlayDefers) {
    InProcessServer gw(kAuthConfig);
    std::shared_ptr<FakeStream> s;
    json::ObjectPtr answer = authenticate(gw, s, "", "T0k3n");
    ASSERT_TRUE(answer);
    EXPECT_EQ(json::getBool(answer, "ok"), true) << json::stringify(answer);
    EXPECT_EQ(authMethodOf(answer), "token");
    hangUp(*s);
}

TEST(AuthChain, AWrongTokenIsRefusedWith1008) {
    InProcessServer gw(kAuthConfig);
    std::shared_ptr<FakeStream> s;
    json::ObjectPtr answer = authenticate(gw, s, "", "wrong");
    ASSERT_TRUE(answer);
    EXPECT_EQ(json::getBool(answer, "ok"), false);
    onLoop(*s, [] {});
    EXPECT_EQ(closeCodeSent(*s), 1008);
    hangUp(*s);
}

TEST(AuthChain, AnOverlayThatAcceptsDecidesAndHelloNamesItsMode) {
    InProcessServer gw(kAuthConfig);
    std::shared_ptr<FakeStream> s;
    json::ObjectPtr answer = authenticate(gw, s, "x-test-identity: alice\r\n", "");
    ASSERT_TRUE(answer);
    EXPECT_EQ(json::getBool(answer, "ok"), true) << json::stringify(answer);
    EXPECT_EQ(authMethodOf(answer), "test-identity");
    hangUp(*s);
}

TEST(AuthChain, AnOverlaysDeferredAcceptArrivesLater) {
    InProcessServer gw(kAuthConfig);
    std::shared_ptr<FakeStream> s;
    json::ObjectPtr answer = authenticate(gw, s, "x-test-identity: alice\r\nx-test-async: 1\r\n", "");
    ASSERT_TRUE(answer);
    EXPECT_EQ(json::getBool(answer, "ok"), true) << json::stringify(answer);
    EXPECT_EQ(authMethodOf(answer), "test-identity");
    hangUp(*s);
}

TEST(AuthChain, AnOverlayThatRefusesIsFinalEvenWithTheRightToken) {
    InProcessServer gw(kAuthConfig);
    std::shared_ptr<FakeStream> s;
    json::ObjectPtr answer = authenticate(gw, s, "x-test-identity: deny\r\n", "T0k3n");
    ASSERT_TRUE(answer);
    EXPECT_EQ(json::getBool(answer, "ok"), false);
    EXPECT_EQ(json::getString(json::getObject(json::getObject(answer, "error"), "details"), "code"),
              "AUTH_OVERLAY_DENIED");
    onLoop(*s, [] {});
    EXPECT_EQ(closeCodeSent(*s), 1008);
    hangUp(*s);
}

TEST(AuthChain, NothingMoreIsReadWhileThePluginsDecide) {
    InProcessServer gw(kAuthConfig);
    auto s = connectWhileTheOverlayDecides(gw, 1000);
    // A request right behind connect while the overlay decides (it answers a second later).
    const std::string health = R"({"type":"req","id":"h1","method":"health"})";
    deliver(*s, clientFrame(health));
    onLoop(*s, [] {});
    {
        std::lock_guard<std::mutex> lock(s->mu);
        EXPECT_EQ(s->inbound.size(), clientFrame(health).size()) << "the request stays unread meanwhile";
        EXPECT_FALSE(s->watched & EPOLLIN) << "and input meanwhile does not wake the loop again and again";
    }
    const auto [connectAt, connect] = answerTo(*s, "c1");
    ASSERT_TRUE(connect);
    const auto [healthAt, answer] = answerTo(*s, "h1");
    ASSERT_TRUE(answer) << "read once the session is open";
    EXPECT_GT(healthAt, connectAt);
    {
        std::lock_guard<std::mutex> lock(s->mu);
        EXPECT_TRUE(s->watched & EPOLLIN) << "reading again once the session is open";
    }
    hangUp(*s);
}

TEST(AuthChain, APeerThatHalfClosesWhileThePluginsDecideIsNotWokenForItAgainAndStillGetsItsAnswer) {
    InProcessServer gw(kAuthConfig);
    auto s = connectWhileTheOverlayDecides(gw, 300);
    wake(*s, EPOLLRDHUP); // the peer shut its side down after connect (it may still read)
    {
        std::lock_guard<std::mutex> lock(s->mu);
        EXPECT_EQ(s->watched & (EPOLLIN | EPOLLRDHUP), 0u)
            << "level-triggered, it would wake the loop at every turn";
    }
    ASSERT_TRUE(connectAnswer(*s)) << "a half-closed peer can still be answered";
    hangUp(*s);
}

TEST(AuthChain, APeerResetWhileThePluginsDecideIsDroppedAtOnce) {
    InProcessServer gw(kAuthConfig);
    auto s = connectWhileTheOverlayDecides(gw, 1000);
    {
        std::lock_guard<std::mutex> lock(s->mu);
        s->peerGone = true;
    }
    wake(*s, EPOLLHUP | EPOLLERR);
    EXPECT_EQ(s->closedFuture.wait_for(std::chrono::milliseconds(500)), std::future_status::ready)
        << "closed before the overlay's answer (a second later)";
}

TEST(EventLoop, RunsPostedTasksInOrderOnItsThreadAndTimersByDueTime) {
    net::EventLoop loop("test-loop");
    loop.start();
    std::vector<std::string> seen;
    std::promise<void> done;
    loop.post([&] { seen.push_back(loop.inLoop() ? "post-1 on loop" : "post-1 elsewhere"); });
    loop.post([&] {
        seen.push_back("post-2");
        loop.runAfter(std::chrono::milliseconds(20), [&] {
            seen.push_back("timer-20");
            done.set_value();
        });
        loop.runAfter(std::chrono::milliseconds(1), [&] { seen.push_back("timer-1"); });
        const uint64_t cancelled =
            loop.runAfter(std::chrono::milliseconds(5), [&] { seen.push_back("cancelled"); });
        loop.cancel(cancelled);
    });
    ASSERT_EQ(done.get_future().wait_for(kStepBound), std::future_status::ready);
    loop.stop();
    EXPECT_EQ(seen, (std::vector<std::string>{"post-1 on loop", "post-2", "timer-1", "timer-20"}));
    EXPECT_FALSE(loop.post([] {})) << "a stopped loop takes no more tasks";
}

TEST(EventLoop, ManyCancelledTimersNeverRunAndTheLiveOnesStillRunInDueOrder) {
    // Sessions that open and close cancel their timers long before they are due: thousands of cancels
    // (past the point where the loop drops cancelled slots all at once), and the timers left run in order.
    net::EventLoop loop("test-loop");
    loop.start();
    std::vector<int> ran;
    std::promise<void> done;
    loop.post([&] {
        std::vector<uint64_t> ids;
        for (int i = 0; i < 5000; ++i)
            ids.push_back(loop.runAfter(std::chrono::milliseconds(1 + i % 7), [&ran] { ran.push_back(-1); }));
        loop.runAfter(std::chrono::milliseconds(15), [&] { ran.push_back(2); });
        loop.runAfter(std::chrono::milliseconds(3), [&] { ran.push_back(1); });
        for (uint64_t id : ids)
            loop.cancel(id);
        loop.cancel(ids.front()); // twice: ignored
        loop.runAfter(std::chrono::milliseconds(15), [&] {
            ran.push_back(3); // the same time as "2", set after it: runs after it
            done.set_value();
        });
    });
    ASSERT_EQ(done.get_future().wait_for(kStepBound), std::future_status::ready);
    loop.stop();
    EXPECT_EQ(ran, (std::vector<int>{1, 2, 3}));
}

TEST(TimerService, CancelReturnsOnlyOnceARunningCallbackHasFinishedAndNothingRunsAfter) {
    net::TimerService timers;
    std::promise<void> entered;
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::atomic<int> runs{0};
    std::atomic<bool> finished{false};
    bool first = true;
    const uint64_t id = timers.add(1, true, [&] {
        ++runs;
        if (!first) return;
        first = false;
        entered.set_value();
        released.wait();
        finished = true;
    });
    ASSERT_NE(id, 0u);
    ASSERT_EQ(entered.get_future().wait_for(kStepBound), std::future_status::ready);
    // The callback is running and held; cancel from another thread while it is held. The callback is let go
    // only after a while: a cancel that did not wait would have returned by then and seen it unfinished (a
    // correct one passes however the threads are scheduled).
    std::promise<void> cancelling;
    std::atomic<bool> finishedWhenCancelReturned{false};
    std::thread canceller([&] {
        cancelling.set_value();
        timers.cancel(id);
        finishedWhenCancelReturned = finished.load();
    });
    ASSERT_EQ(cancelling.get_future().wait_for(kStepBound), std::future_status::ready);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    release.set_value();
    canceller.join();
    EXPECT_TRUE(finishedWhenCancelReturned);
    const int after = runs.load();
    // A timer scheduled after the cancel fires later than the cancelled one would have: it did not run.
    std::promise<void> later;
    timers.add(5, false, [&] { later.set_value(); });
    ASSERT_EQ(later.get_future().wait_for(kStepBound), std::future_status::ready);
    EXPECT_EQ(runs.load(), after);
    timers.stop();
    EXPECT_EQ(timers.add(1, false, [] {}), 0u) << "a stopped service starts nothing";
}

} // namespace
