// Helpers for raw-frame tests: open a WebSocket, read JSON frames and close frames.
#pragma once

#include "client/GatewayClient.h"
#include "client/WsConnection.h"
#include "json/Json.h"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>

namespace openclaw::test {

/// What the server did next.
struct Next {
    json::ObjectPtr frame; ///< a JSON text frame
    int closeCode = 0;     ///< a close frame's code (0 when not a close)
    std::string closeReason;
    bool timedOut = false;
    bool dropped = false; ///< TCP closed without a close frame
};

inline Next nextFrom(client::WsConnection& ws, int timeoutMs = 10000) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (true) {
        std::optional<protocol::WsFrame> f;
        try {
            f = ws.receive(deadline);
        } catch (const client::GatewayError&) {
            return Next{nullptr, 0, "", false, true};
        }
        if (!f) return Next{nullptr, 0, "", true, false};
        if (f->opcode == protocol::WsOpcode::Close) {
            Next n;
            n.closeCode = protocol::decodeCloseCode(f->payload);
            n.closeReason = f->payload.size() > 2 ? f->payload.substr(2) : "";
            return n;
        }
        if (f->opcode != protocol::WsOpcode::Text) continue;
        return Next{json::asObject(json::parse(f->payload))};
    }
}

/// Opens a connection and consumes the challenge (asserting it is first and well-formed).
inline void openPastChallenge(client::WsConnection& ws, const std::string& url,
                              const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    ws.open(url, 5000, headers);
    Next n = nextFrom(ws);
    ASSERT_TRUE(n.frame);
    EXPECT_EQ(json::getString(n.frame, "event"), "connect.challenge");
    json::ObjectPtr p = json::getObject(n.frame, "payload");
    ASSERT_TRUE(p);
    EXPECT_EQ(json::getString(p, "nonce").value_or("").size(), 36u);
    EXPECT_TRUE(json::getInt(p, "ts").has_value());
    EXPECT_FALSE(n.frame->has("seq"));
}

/// How the server ended the connection: the first close (or drop, or timeout), skipping the frames before it.
inline Next closeOf(client::WsConnection& ws, int timeoutMs = 10000) {
    for (;;) {
        Next n = nextFrom(ws, timeoutMs);
        if (!n.frame) return n;
    }
}

/// A socket's challenge.
struct Challenge {
    std::string nonce;
    long long ts = 0;
};

/// Opens a connection and reads its challenge (what a device identity signs).
inline Challenge openForChallenge(client::WsConnection& ws, const std::string& url) {
    ws.open(url, 5000);
    json::ObjectPtr payload = json::getObject(nextFrom(ws).frame, "payload");
    return {json::getString(payload, "nonce").value_or(""), json::getInt(payload, "ts").value_or(0)};
}

inline std::string connectFrame(const std::string& authJson, const std::string& extra = "",
                                const std::string& mode = "cli",
                                const std::string& scopes = "[\"operator.read\"]") {
    return R"({"type":"req","id":"c1","method":"connect","params":{"minProtocol":4,"maxProtocol":4,)"
           R"("client":{"id":"cli","version":"0.0.1","platform":"linux","mode":")" +
           mode + R"("},"role":"operator","scopes":)" + scopes +
           (authJson.empty() ? "" : ",\"auth\":" + authJson) + extra + "}}";
}

/// The next event named `name` that `c` gets within `ms` (other events, such as ticks, are skipped), or null.
inline json::ObjectPtr nextEventNamed(client::GatewayClient& c, const std::string& name, int ms) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    for (auto now = std::chrono::steady_clock::now(); now < until; now = std::chrono::steady_clock::now()) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - now).count();
        json::ObjectPtr e = c.nextEvent(static_cast<int>(left));
        if (e && json::getString(e, "event") == std::optional<std::string>(name)) return e;
    }
    return nullptr;
}

} // namespace openclaw::test
