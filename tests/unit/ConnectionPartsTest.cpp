// The pieces a connection is made of, each on its own: the HTTP route table, the output buffer with
// back-pressure, and TLS as a transport decorator (over a scripted transport and a scripted TLS session).
#include "server/HttpRoutes.h"
#include "server/OutputBuffer.h"
#include "server/TlsTransport.h"

#include <gtest/gtest.h>

#include <deque>

using namespace openclaw;
using net::IoResult;

namespace {

protocol::HttpHead get(const std::string& path) {
    protocol::HttpHead h;
    h.ok = true;
    h.path = path;
    return h;
}

server::HttpRoutes sample() {
    server::HttpRoutes r;
    r.addOpen("/healthz", [](const protocol::HttpHead&) { return server::HttpResponse{200, "live"}; });
    r.addGuarded("/page", [](const protocol::HttpHead&) { return server::HttpResponse{200, "page"}; });
    return r;
}

/// A byte stream that takes at most `capacity` bytes (then would block) and hands out scripted input.
class ScriptedTransport : public net::Transport {
  public:
    IoResult read(char* buf, size_t len) override {
        if (input.empty()) return {closed ? IoResult::Kind::Closed : IoResult::Kind::WouldBlock, 0};
        const size_t n = std::min(len, input.front().size());
        input.front().copy(buf, n);
        input.front().erase(0, n);
        if (input.front().empty()) input.pop_front();
        return {IoResult::Kind::Bytes, n};
    }
    IoResult write(const char* data, size_t len) override {
        ++writes;
        if (broken) return {IoResult::Kind::Closed, 0};
        const size_t n = std::min(len, capacity);
        if (n == 0) return {IoResult::Kind::WouldBlock, 0};
        capacity -= n;
        sent.append(data, n);
        return {IoResult::Kind::Bytes, n};
    }
    void shutdownWrite() override {}
    void watch(net::EventLoop&, uint32_t, net::IoHandler*) override {}
    void close(net::EventLoop&) override {}

    std::deque<std::string> input;
    bool closed = false;
    bool broken = false;
    size_t capacity = SIZE_MAX;
    std::string sent;
    int writes = 0;
};

/// A TLS session whose "encryption" wraps each plaintext in brackets and whose "decryption" strips a
/// leading '#' (a handshake record, answered with "HS") and passes the rest through.
class FakeSession : public tls::ServerSession {
  public:
    bool receive(const char* data, size_t len, std::string& plain, std::string& wireOut) override {
        std::string in(data, len);
        if (!in.empty() && in[0] == '#') {
            wireOut += "HS";
            in.erase(0, 1);
        }
        if (in == "!") {
            error_ = "bad record mac";
            return false;
        }
        plain += in;
        return true;
    }
    bool send(const char* data, size_t len, std::string& wireOut) override {
        wireOut += "[" + std::string(data, len) + "]";
        return true;
    }
    const std::string& error() const override { return error_; }

  private:
    std::string error_;
};

} // namespace

TEST(HttpRoutes, AnOpenRouteAnswersEvenWhileTheCallerIsLockedOut) {
    const server::HttpRoutes r = sample();
    const server::HttpResponse live = r.respond(get("/healthz"), [] { return 3000LL; });
    EXPECT_EQ(live.status, 200);
    EXPECT_EQ(live.body, "live");
}

TEST(HttpRoutes, AGuardedRouteAndUnknownPathsSay429WithRetryAfterWhileLockedOut) {
    const server::HttpRoutes r = sample();
    for (const char* path : {"/page", "/nowhere"}) {
        const server::HttpResponse locked = r.respond(get(path), [] { return 1500LL; });
        EXPECT_EQ(locked.status, 429) << path;
        EXPECT_NE(locked.body.find("\"retryAfterMs\":1500"), std::string::npos) << locked.body;
        EXPECT_EQ(locked.extraHeaders, "Retry-After: 2\r\n") << "seconds, rounded up";
    }
}

TEST(HttpRoutes, WithoutLockoutAGuardedRouteAnswersAndAnUnknownPathIs404) {
    const server::HttpRoutes r = sample();
    EXPECT_EQ(r.respond(get("/page"), [] { return 0LL; }).body, "page");
    const server::HttpResponse missing = r.respond(get("/nowhere"), [] { return 0LL; });
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(missing.body, R"({"ok":false,"error":"not found: /nowhere"})");
}

TEST(HttpRoutes, TheWireFormHasLengthNoStoreAndTheConnectionHeader) {
    const server::HttpResponse r{200, "abc", "text/plain", "X-A: 1\r\n"};
    EXPECT_EQ(r.wire(false), "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n"
                             "Cache-Control: no-store\r\nX-A: 1\r\nConnection: close\r\n\r\nabc");
    EXPECT_NE(r.wire(true).find("Connection: keep-alive\r\n"), std::string::npos);
}

TEST(OutputBuffer, WritesThroughWhatTheTransportTakesAndQueuesTheRestInOrder) {
    ScriptedTransport t;
    t.capacity = 4;
    server::OutputBuffer out;
    EXPECT_EQ(out.write(t, "abcdef", 6), server::OutputBuffer::Status::Blocked);
    EXPECT_EQ(t.sent, "abcd");
    EXPECT_EQ(out.pending(), 2u);
    EXPECT_EQ(out.write(t, "gh", 2), server::OutputBuffer::Status::Blocked) << "behind what waits";
    EXPECT_EQ(out.pending(), 4u);
    t.capacity = SIZE_MAX;
    EXPECT_EQ(out.flush(t), server::OutputBuffer::Status::Sent);
    EXPECT_EQ(t.sent, "abcdefgh");
    EXPECT_EQ(out.pending(), 0u);
}

TEST(OutputBuffer, InsideABatchNothingIsTriedUntilTheFlush) {
    ScriptedTransport t;
    server::OutputBuffer out;
    out.beginBatch();
    EXPECT_EQ(out.write(t, "one", 3), server::OutputBuffer::Status::Queued);
    EXPECT_EQ(out.write(t, "two", 3), server::OutputBuffer::Status::Queued);
    EXPECT_EQ(t.writes, 0);
    out.endBatch();
    EXPECT_EQ(out.flush(t), server::OutputBuffer::Status::Sent);
    EXPECT_EQ(t.writes, 1) << "one send for the whole batch";
    EXPECT_EQ(t.sent, "onetwo");
}

TEST(OutputBuffer, ABatchTheTransportCannotTakeWholeKeepsTheRestInOrderBehindWhatWaited) {
    ScriptedTransport t;
    t.capacity = 2;
    server::OutputBuffer out;
    EXPECT_EQ(out.write(t, "abcd", 4), server::OutputBuffer::Status::Blocked);
    out.beginBatch();
    EXPECT_EQ(out.write(t, "ef", 2), server::OutputBuffer::Status::Queued);
    EXPECT_EQ(out.pending(), 4u) << "what waited and the batch";
    out.endBatch();
    EXPECT_EQ(out.flush(t), server::OutputBuffer::Status::Blocked);
    t.capacity = 3;
    out.beginBatch();
    EXPECT_EQ(out.writeFrame(t, protocol::WsOpcode::Text, "hi"), server::OutputBuffer::Status::Queued);
    out.endBatch();
    EXPECT_EQ(out.flush(t), server::OutputBuffer::Status::Blocked);
    t.capacity = SIZE_MAX;
    EXPECT_EQ(out.flush(t), server::OutputBuffer::Status::Sent);
    EXPECT_EQ(t.sent, "abcdef" + protocol::encodeWsFrame(protocol::WsOpcode::Text, "hi"));
}

TEST(OutputBuffer, TwoConnectionsOnOneThreadNeverShareBatchedBytes) {
    // The batch is built in one buffer per thread; a second buffer writing while the first one's batch is
    // open (an event sent to another session while answering) must get its own bytes only.
    ScriptedTransport ta, tb;
    server::OutputBuffer a, b;
    a.beginBatch();
    EXPECT_EQ(a.write(ta, "A1", 2), server::OutputBuffer::Status::Queued);
    EXPECT_EQ(b.write(tb, "B1", 2), server::OutputBuffer::Status::Sent)
        << "b is not batching: written through";
    b.beginBatch(); // the thread's batch is taken: b queues in its own buffer
    EXPECT_EQ(b.write(tb, "B2", 2), server::OutputBuffer::Status::Queued);
    b.endBatch();
    EXPECT_EQ(b.flush(tb), server::OutputBuffer::Status::Sent);
    a.endBatch();
    EXPECT_EQ(a.flush(ta), server::OutputBuffer::Status::Sent);
    EXPECT_EQ(ta.sent, "A1");
    EXPECT_EQ(tb.sent, "B1B2");
    // Released unflushed (the connection closed inside its batch): the bytes go nowhere, the next batch is
    // clean.
    a.beginBatch();
    a.write(ta, "lost", 4);
    a.release();
    b.beginBatch();
    b.write(tb, "B3", 2);
    b.endBatch();
    EXPECT_EQ(b.flush(tb), server::OutputBuffer::Status::Sent);
    EXPECT_EQ(tb.sent, "B1B2B3");
    EXPECT_EQ(ta.sent, "A1");
}

TEST(OutputBuffer, AFailedTransportSaysClosed) {
    ScriptedTransport t;
    t.broken = true;
    server::OutputBuffer out;
    EXPECT_EQ(out.write(t, "x", 1), server::OutputBuffer::Status::Closed);
}

TEST(TlsTransport, ReadsPlaintextAndSendsHandshakeRecordsOnDrain) {
    auto inner = std::make_unique<ScriptedTransport>();
    ScriptedTransport* socket = inner.get();
    socket->input = {"#hello"};
    server::TlsTransport tls(std::move(inner), std::make_unique<FakeSession>(), "conn=t");
    char buf[64];
    const IoResult got = tls.read(buf, sizeof buf);
    ASSERT_EQ(got.kind, IoResult::Kind::Bytes);
    EXPECT_EQ(std::string(buf, got.count), "hello");
    EXPECT_EQ(socket->sent, "") << "records wait for drain";
    EXPECT_EQ(tls.drain().kind, IoResult::Kind::Bytes);
    EXPECT_EQ(socket->sent, "HS");
    EXPECT_EQ(tls.read(buf, sizeof buf).kind, IoResult::Kind::WouldBlock);
}

TEST(TlsTransport, AHandshakeRecordAloneReadsAsWouldBlock) {
    auto inner = std::make_unique<ScriptedTransport>();
    inner->input = {"#"};
    server::TlsTransport tls(std::move(inner), std::make_unique<FakeSession>(), "conn=t");
    char buf[8];
    EXPECT_EQ(tls.read(buf, sizeof buf).kind, IoResult::Kind::WouldBlock);
}

TEST(TlsTransport, PlaintextLargerThanTheReadIsHandedOutInPieces) {
    auto inner = std::make_unique<ScriptedTransport>();
    inner->input = {"abcdefgh"};
    server::TlsTransport tls(std::move(inner), std::make_unique<FakeSession>(), "conn=t");
    char buf[3];
    std::string all;
    for (IoResult r = tls.read(buf, sizeof buf); r.kind == IoResult::Kind::Bytes;
         r = tls.read(buf, sizeof buf))
        all.append(buf, r.count);
    EXPECT_EQ(all, "abcdefgh");
}

TEST(TlsTransport, WritesAreEncryptedAndWhatTheSocketRefusesWaitsAndGoesFirst) {
    auto inner = std::make_unique<ScriptedTransport>();
    ScriptedTransport* socket = inner.get();
    socket->capacity = 3;
    server::TlsTransport tls(std::move(inner), std::make_unique<FakeSession>(), "conn=t");
    const IoResult first = tls.write("abc", 3);
    EXPECT_EQ(first.kind, IoResult::Kind::Bytes);
    EXPECT_EQ(first.count, 3u) << "encrypted whole";
    EXPECT_EQ(socket->sent, "[ab");
    EXPECT_EQ(tls.write("de", 2).kind, IoResult::Kind::WouldBlock) << "nothing taken while records wait";
    EXPECT_EQ(tls.drain().kind, IoResult::Kind::WouldBlock);
    socket->capacity = SIZE_MAX;
    EXPECT_EQ(tls.drain().kind, IoResult::Kind::Bytes);
    EXPECT_EQ(tls.write("de", 2).kind, IoResult::Kind::Bytes);
    EXPECT_EQ(socket->sent, "[abc][de]");
}

TEST(TlsTransport, AFatalTlsErrorClosesAndStaysClosed) {
    auto inner = std::make_unique<ScriptedTransport>();
    inner->input = {"!"};
    server::TlsTransport tls(std::move(inner), std::make_unique<FakeSession>(), "conn=t");
    char buf[8];
    EXPECT_EQ(tls.read(buf, sizeof buf).kind, IoResult::Kind::Closed);
    EXPECT_EQ(tls.write("x", 1).kind, IoResult::Kind::Closed);
}

TEST(TlsTransport, ThePeersHangUpComesAfterTheLastPlaintext) {
    auto inner = std::make_unique<ScriptedTransport>();
    inner->input = {"bye"};
    inner->closed = true;
    server::TlsTransport tls(std::move(inner), std::make_unique<FakeSession>(), "conn=t");
    char buf[8];
    const IoResult got = tls.read(buf, sizeof buf);
    ASSERT_EQ(got.kind, IoResult::Kind::Bytes);
    EXPECT_EQ(std::string(buf, got.count), "bye");
    EXPECT_EQ(tls.read(buf, sizeof buf).kind, IoResult::Kind::Closed);
}
