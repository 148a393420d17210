#include "NodeInvoke.h"

#include "DeviceKey.hpp"

#include "json/Json.h"

#include <memory>

namespace openclaw::bench {

namespace {

double usSince(Clock::time_point t) {
    return std::chrono::duration<double, std::micro>(Clock::now() - t).count();
}

} // namespace

std::string nodeConnectParams(const devices::DeviceKey& key, const Target& t, const std::string& nonce,
                              long long ts) {
    devices::DeviceKey::Signing s;
    s.clientId = "node-host";
    s.clientMode = "node";
    s.role = "node";
    s.token = t.token;
    return R"({"minProtocol":4,"maxProtocol":4,"client":{"id":"node-host","version":"2026.9.6",)"
           R"("platform":"linux","deviceFamily":"Linux","mode":"node","displayName":"Bench Node"},)"
           R"("role":"node","scopes":[],"caps":["system"],"commands":["system.which"],"auth":{"token":)" +
           json::stringify(json::Var(t.token)) + "}" + key.deviceMember(s, nonce, ts) + "}";
}

namespace {

/// The node's side: answers each node.invoke.request at once with a fixed result.
void answerInvokes(BenchConn& node, const std::string& text) {
    if (text.find("\"event\":\"node.invoke.request\"") == std::string::npos) return;
    const json::ObjectPtr payload = json::getObject(json::asObject(json::parse(text)), "payload");
    json::ObjectPtr result = json::makeObject();
    result->set("id", json::getString(payload, "id").value_or(""));
    result->set("nodeId", json::getString(payload, "nodeId").value_or(""));
    result->set("ok", true);
    result->set("payloadJSON", std::string(R"({"bins":{"sh":"/usr/bin/sh"}})"));
    node.request("r", "node.invoke.result", json::stringify(result));
}

/// Waits for the response to request `id` on `c`; its frame, or null after `seconds`.
json::ObjectPtr awaitResponse(BenchLoop& loop, BenchConn& c, const std::string& id, double seconds) {
    json::ObjectPtr answer;
    c.onText = [&](BenchConn&, const std::string& text) {
        if (text.find("\"type\":\"res\"") == std::string::npos) return;
        json::ObjectPtr frame = json::asObject(json::parse(text));
        if (json::getString(frame, "id") == id) answer = frame;
    };
    loop.runUntil([&] { return answer != nullptr; },
                  Clock::now() + std::chrono::milliseconds(static_cast<long long>(seconds * 1000)));
    c.onText = nullptr;
    return answer;
}

/// The operator approves the node's pending surface (silently paired on loopback, its commands pending).
std::string approveSurface(BenchLoop& loop, BenchConn& op, const std::string& nodeId) {
    for (int attempt = 0; attempt < 50; ++attempt) {
        op.request("l", "node.pair.list");
        const json::ObjectPtr listed = awaitResponse(loop, op, "l", 10);
        const json::ArrayPtr pending = json::getArray(json::getObject(listed, "payload"), "pending");
        for (size_t i = 0; pending && i < pending->size(); ++i) {
            json::ObjectPtr r = json::asObject(pending->get(static_cast<unsigned>(i)));
            if (json::getString(r, "nodeId") != nodeId) continue;
            op.request("a", "node.pair.approve",
                       R"({"requestId":")" + json::getString(r, "requestId").value_or("") + "\"}");
            const json::ObjectPtr approved = awaitResponse(loop, op, "a", 10);
            return json::getBool(approved, "ok").value_or(false) ? "" : "node.pair.approve failed";
        }
        loop.runUntil([] { return false; }, Clock::now() + std::chrono::milliseconds(100));
    }
    return "the node's surface never appeared in node.pair.list";
}

/// Opens one connection; "" or why it failed.
std::string open(BenchLoop& loop, BenchConn& c) {
    bool done = false;
    c.onReady = [&](BenchConn&) { done = true; };
    c.onClosed = [&](BenchConn&) { done = true; };
    if (!c.start()) return c.error();
    loop.runUntil([&] { return done; }, Clock::now() + std::chrono::seconds(30));
    return c.phase() == BenchConn::Phase::Ready ? "" : "connect failed: " + c.error();
}

/// `count` sequential invokes, each timed from the request to its answer.
void timeInvokes(BenchLoop& loop, BenchConn& op, const std::string& nodeId, NodeInvokeFigures& f) {
    const auto t0 = Clock::now();
    for (int i = 0; i < f.count; ++i) {
        const std::string id = "i" + std::to_string(i);
        const auto start = Clock::now();
        op.request(id, "node.invoke",
                   R"({"nodeId":")" + nodeId +
                       R"(","command":"system.which","params":{"bins":["sh"]},"timeoutMs":10000,)"
                       R"("idempotencyKey":"bench-)" +
                       std::to_string(i) + "\"}");
        const json::ObjectPtr answer = awaitResponse(loop, op, id, 15);
        if (!json::getBool(answer, "ok").value_or(false)) {
            ++f.errors;
            if (f.firstError.empty())
                f.firstError =
                    answer ? json::getString(json::getObject(answer, "error"), "message").value_or("?")
                           : "no answer in 15 s";
            continue;
        }
        f.roundTripUs.add(usSince(start));
    }
    f.ratePerSecond = f.count / (usSince(t0) / 1e6);
}

} // namespace

NodeInvokeFigures runNodeInvoke(const Target& target, int count) {
    NodeInvokeFigures f;
    f.count = count;
    BenchLoop loop;
    Target admin = target;
    admin.scopes = R"(["operator.admin"])";
    BenchConn op(loop, admin, 0), node(loop, target, 1);
    const devices::DeviceKey key;
    node.connectParams = [&](const std::string& nonce, long long ts) {
        return nodeConnectParams(key, target, nonce, ts);
    };
    f.firstError = open(loop, op);
    if (f.firstError.empty()) f.firstError = open(loop, node);
    if (f.firstError.empty()) f.firstError = approveSurface(loop, op, key.deviceId());
    if (!f.firstError.empty()) {
        f.errors = count;
        return f;
    }
    node.onText = answerInvokes;
    timeInvokes(loop, op, key.deviceId(), f);
    return f;
}

} // namespace openclaw::bench
