// Resource limits against a real gateway process: pre-auth slots with eviction of the longest-stalled
// handshake, the session cap, the per-session in-flight cap, the outbound buffer cap (slow consumer),
// and 429 + Retry-After on HTTP routes for a locked-out address.
#include "Process.h"
#include "Wire.h"

#include "client/GatewayClient.h"

#include <Poco/Net/StreamSocket.h>

#include <gtest/gtest.h>

#include <cstring>
#include <thread>

using namespace openclaw;
using namespace openclaw::test;

namespace {

std::string withPlugin(const std::string& limits, const std::string& extraGateway = "") {
    return std::string(R"({ gateway: { mode: 'local', auth: { token: 'T0k3n' )") + extraGateway +
           R"( }, limits: )" + limits + R"( }, plugins: { load: { paths: [')" + OPENCLAW_TEST_PLUGIN_DIR +
           R"(/test-good'] } } })";
}

/// A TCP connection that sends `bytes` and then nothing (a stalled or half-sent handshake).
std::unique_ptr<Poco::Net::StreamSocket> stall(int port, const std::string& bytes) {
    auto s = std::make_unique<Poco::Net::StreamSocket>(
        Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
    if (!bytes.empty()) s->sendBytes(bytes.data(), static_cast<int>(bytes.size()));
    return s;
}

/// True when the server has closed this connection (EOF or reset) within timeoutMs.
bool closedByServer(Poco::Net::StreamSocket& s, int timeoutMs) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    char buf[4096];
    while (std::chrono::steady_clock::now() < deadline) {
        try {
            if (!s.poll(Poco::Timespan(50000), Poco::Net::Socket::SELECT_READ)) continue;
            if (s.receiveBytes(buf, sizeof buf) <= 0) return true;
        } catch (const Poco::Exception&) {
            return true;
        }
    }
    return false;
}

/// Raw HTTP GET; returns the whole response (head and body).
std::string rawGet(int port, const std::string& path) {
    Poco::Net::StreamSocket s(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
    std::string req = "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    s.sendBytes(req.data(), static_cast<int>(req.size()));
    s.setReceiveTimeout(Poco::Timespan(5, 0));
    std::string out;
    char buf[4096];
    int n = 0;
    while ((n = s.receiveBytes(buf, sizeof buf)) > 0)
        out.append(buf, static_cast<size_t>(n));
    return out;
}

/// A session opened frame by hand (challenge, connect, hello-ok), so the test controls every frame after.
void openSession(client::WsConnection& ws, const std::string& url) {
    openPastChallenge(ws, url);
    ws.send(protocol::WsOpcode::Text, connectFrame(R"({"token":"T0k3n"})"));
    ASSERT_EQ(json::getBool(nextFrom(ws).frame, "ok"), true);
}

const char* kUpgrade = "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

} // namespace

TEST(Limits, StalledHandshakesAreEvictedOldestFirstAndAnHonestClientAlwaysGetsIn) {
    GatewayUnderTest gw(withPlugin("{ maxPreauthConnections: 8 }"), {});
    // Three kinds of stall: nothing sent, half an HTTP request, an upgrade without a connect.
    std::vector<std::unique_ptr<Poco::Net::StreamSocket>> stalled;
    for (int i = 0; i < 24; ++i)
        stalled.push_back(stall(gw.port(), i % 3 == 0   ? ""
                                           : i % 3 == 1 ? "GET / HTTP/1.1\r\nHost:"
                                                        : kUpgrade));
    // Wait for the event, not a while: 24 stalls against 8 slots is 16 evictions once all are accepted.
    auto evictions = [&gw] {
        const std::string err = gw.process().err();
        size_t n = 0;
        for (size_t at = err.find("evicted a stalled handshake"); at != std::string::npos;
             at = err.find("evicted a stalled handshake", at + 1))
            ++n;
        return n;
    };
    for (int i = 0; i < 1000 && evictions() < 16; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ASSERT_EQ(evictions(), 16u) << "exactly the stalls beyond the 8 slots: " << gw.process().err();
    // The honest client still gets in, while the stalls are nowhere near the handshake timeout: its slot
    // is the oldest stall's.
    client::GatewayClient c({gw.url(), std::string("T0k3n")});
    ASSERT_NO_THROW(c.connect());
    EXPECT_EQ(json::getBool(json::asObject(c.call("health")), "ok"), true);
    EXPECT_EQ(evictions(), 17u) << gw.process().err();
    // Oldest first: the first 17 stalls were closed by the server, the newest 7 are still held.
    for (size_t i = 0; i < stalled.size(); ++i)
        EXPECT_EQ(closedByServer(*stalled[i], i < 17 ? 2000 : 100), i < 17) << "stall #" << i;
}

TEST(Limits, SessionCapRefusesClearlyAndFreesTheSlotOnClose) {
    GatewayUnderTest gw(withPlugin("{ maxSessions: 2 }"), {});
    auto a = std::make_unique<client::GatewayClient>(client::ClientOptions{gw.url(), std::string("T0k3n")});
    client::GatewayClient b({gw.url(), std::string("T0k3n")});
    a->connect();
    b.connect();
    client::WsConnection ws;
    openPastChallenge(ws, gw.url());
    ws.send(protocol::WsOpcode::Text, connectFrame(R"({"token":"T0k3n"})"));
    Next n = nextFrom(ws);
    ASSERT_TRUE(n.frame);
    json::ObjectPtr err = json::getObject(n.frame, "error");
    EXPECT_EQ(json::getString(err, "code"), "UNAVAILABLE");
    EXPECT_NE(json::getString(err, "message").value_or("").find("gateway at capacity: 2 sessions"),
              std::string::npos);
    EXPECT_EQ(json::getBool(err, "retryable"), true);
    Next closed = nextFrom(ws);
    EXPECT_EQ(closed.closeCode, 1013);
    // A session that leaves frees its slot.
    a->close();
    a.reset();
    bool admitted = false;
    for (int i = 0; i < 50 && !admitted; ++i) {
        client::GatewayClient c({gw.url(), std::string("T0k3n")});
        try {
            c.connect();
            admitted = true;
        } catch (const client::GatewayError&) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
    EXPECT_TRUE(admitted);
}

TEST(Limits, InflightCapPerSessionAnswersTheExcessAndSpareOthers) {
    GatewayUnderTest gw(withPlugin("{ maxInflightPerSession: 2 }"), {});
    client::WsConnection ws;
    ASSERT_NO_FATAL_FAILURE(openSession(ws, gw.url()));
    for (int i = 0; i < 4; ++i)
        ws.send(protocol::WsOpcode::Text, R"({"type":"req","id":"s)" + std::to_string(i) +
                                              R"(","method":"test.sleep","params":{"ms":400}})");
    // Another session is not held up by the slow calls.
    client::GatewayClient other({gw.url(), std::string("T0k3n")});
    other.connect();
    EXPECT_EQ(json::getBool(json::asObject(other.call("health")), "ok"), true);
    int ok = 0, refused = 0;
    for (int i = 0; i < 4; ++i) {
        Next n = nextFrom(ws, 5000);
        ASSERT_TRUE(n.frame);
        if (json::getString(n.frame, "type") != "res") {
            --i; // an event
            continue;
        }
        if (json::getBool(n.frame, "ok").value_or(false)) {
            ++ok;
        } else {
            ++refused;
            json::ObjectPtr err = json::getObject(n.frame, "error");
            EXPECT_NE(json::getString(err, "message").value_or("").find("too many requests in flight"),
                      std::string::npos);
        }
    }
    EXPECT_EQ(ok, 2);
    EXPECT_EQ(refused, 2);
}

TEST(Limits, SlowConsumerIsClosedWith1008AndOthersCarryOn) {
    GatewayUnderTest gw(withPlugin("{ maxBufferedBytes: 65536 }"), {});
    client::WsConnection ws;
    ASSERT_NO_FATAL_FAILURE(openSession(ws, gw.url()));
    // Ask for more than the kernel's socket buffers can hold on loopback (up to tcp_rmem + tcp_wmem,
    // 36 MiB here) and read nothing meanwhile: the rest piles up in the gateway's outbound buffer.
    const std::string big(1 << 20, 'x');
    try {
        for (int i = 0; i < 60; ++i)
            ws.send(protocol::WsOpcode::Text, R"({"type":"req","id":"e)" + std::to_string(i) +
                                                  R"(","method":"test.echo","params":{"pad":")" + big +
                                                  R"("}})");
    } catch (const client::GatewayError&) {
        // the server may close before every request is sent
    }
    client::GatewayClient other({gw.url(), std::string("T0k3n")});
    const json::ObjectPtr hello = other.connect();
    EXPECT_EQ(json::getInt(json::getObject(hello, "policy"), "maxBufferedBytes"), 65536)
        << "hello-ok advertises the limit the connection enforces";
    EXPECT_EQ(json::getBool(json::asObject(other.call("health")), "ok"), true);
    // Reading now: the responses that were queued, then the close.
    Next n;
    int frames = 0;
    while ((n = nextFrom(ws, 10000)).frame)
        ++frames;
    EXPECT_LT(frames, 60);
    EXPECT_EQ(n.closeCode, 1008) << "after " << frames << " frames; dropped=" << n.dropped;
    EXPECT_EQ(n.closeReason, "slow consumer");
    EXPECT_NE(gw.process().err().find("slow consumer"), std::string::npos);
}

TEST(Limits, LockedOutAddressGets429WithRetryAfterOnHttpRoutes) {
    GatewayUnderTest gw(R"({ gateway: { mode: 'local', auth: { token: 'T0k3n',
                            rateLimit: { maxAttempts: 1, windowMs: 60000, lockoutMs: 60000, exemptLoopback: false } } } })",
                        {});
    EXPECT_NE(rawGet(gw.port(), "/").find("HTTP/1.1 200"), std::string::npos);
    client::GatewayClient wrong({gw.url(), std::string("WRONG")});
    EXPECT_THROW(wrong.connect(), client::GatewayError);
    std::string locked = rawGet(gw.port(), "/");
    EXPECT_NE(locked.find("HTTP/1.1 429 Too Many Requests"), std::string::npos) << locked;
    size_t at = locked.find("Retry-After: ");
    ASSERT_NE(at, std::string::npos) << locked;
    long seconds = std::strtol(locked.c_str() + at + 13, nullptr, 10);
    EXPECT_GT(seconds, 0);
    EXPECT_LE(seconds, 60);
    EXPECT_NE(locked.find("retryAfterMs"), std::string::npos);
    // Liveness and readiness stay answerable for monitoring.
    EXPECT_NE(rawGet(gw.port(), "/healthz").find("HTTP/1.1 200"), std::string::npos);
}
