// Replays the client side of every recorded reference transcript (shared/reference/transcripts)
// against our gateway and compares the server side structurally: first frame, response ids with
// ok / error.code / error.details.code, hello-ok's required keys, payload kinds, the echoed
// subprotocol and the close code. Volatile values (ids, nonces, times, versions) are ignored.
// Each scenario's outcome is appended to <build>/interop-results.jsonl for docs/compatibility.md.
#include "Process.h"
#include "Reference.h"

#include "client/WsConnection.h"
#include "json/Json.h"

#include <Poco/String.h>

#include <gtest/gtest.h>

#include <dirent.h>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <set>

using namespace openclaw;
using namespace openclaw::test;

namespace {

const std::string kTranscripts = std::string(OPENCLAW_SHARED_DIR) + "/reference/transcripts";

std::vector<std::string> allTranscripts() {
    std::vector<std::string> out;
    if (DIR* d = ::opendir(kTranscripts.c_str())) {
        while (dirent* e = ::readdir(d)) {
            std::string n = e->d_name;
            if (n.size() > 6 && n.substr(n.size() - 6) == ".jsonl") out.push_back(n.substr(0, n.size() - 6));
        }
        ::closedir(d);
    }
    std::sort(out.begin(), out.end());
    return out;
}

/// Recordings with nothing on the wire to replay: the recorded client never opened a connection
/// through the recording proxy. Each names where its behaviour is tested instead, or the issue that
/// will make it testable.
const std::map<std::string, std::string>& notReplayable() {
    static const std::map<std::string, std::string> k = {
        {"discover",
         "`gateway discover` opens no WebSocket (mDNS/DNS-SD only): tested against avahi-daemon in "
         "tests/bonjour/BonjourTest.cpp"},
        {"discover_json",
         "`gateway discover --json` opens no WebSocket: tested against avahi-daemon and the reference "
         "CLI in tests/bonjour/BonjourTest.cpp"},
        {"down_call_status", "the CLI found its gateway stopped before any connection; the stopped-gateway "
                             "verdicts are QueryCommandsTest (ECONNREFUSED, exit 1)"},
        {"down_gateway_health",
         "no connection (gateway stopped); QueryCommandsTest.HealthHumanJsonAndFailures"},
        {"down_gateway_health_json",
         "no connection (gateway stopped); QueryCommandsTest.HealthHumanJsonAndFailures"},
        {"down_gateway_probe",
         "no connection (gateway stopped); QueryCommandsTest.ProbeWithNothingReachableExits1"},
        {"down_gateway_probe_json",
         "no connection (gateway stopped); QueryCommandsTest.ProbeWithNothingReachableExits1"},
        {"down_gateway_status",
         "no connection (gateway stopped); QueryCommandsTest.StatusReportsAndExitCodes"},
        {"health_json", "the CLI refused before connecting (no credentials for the target); "
                        "QueryCommandsTest.HealthHumanJsonAndFailures"},
        {"no_token",
         "the CLI refused before connecting (no token); QueryCommandsTest.HealthHumanJsonAndFailures"},
        {"none_gateway_health_default",
         "the CLI refused before connecting; ReferenceCliTest compares the verdicts"},
        {"none_health_json_default",
         "the CLI refused before connecting; ReferenceCliTest compares the verdicts"},
    };
    return k;
}

/// The transcripts this suite replays: every one not listed in notReplayable().
std::vector<std::string> scenarioNames() {
    std::vector<std::string> out;
    for (const auto& n : allTranscripts())
        if (!notReplayable().count(n)) out.push_back(n);
    if (out.empty()) out.push_back("missing_transcripts");
    return out;
}

std::vector<json::ObjectPtr> readRecords(const std::string& name) {
    std::vector<json::ObjectPtr> out;
    std::ifstream in(kTranscripts + "/" + name + ".jsonl");
    std::string line;
    while (std::getline(in, line))
        if (!line.empty()) out.push_back(json::asObject(json::parse(line)));
    return out;
}

/// Structural summary of a response frame.
std::string shapeOf(const json::ObjectPtr& res) {
    if (json::getBool(res, "ok").value_or(false)) {
        json::Var p = res->has("payload") ? res->get("payload") : json::Var();
        json::ObjectPtr o = json::asObject(p);
        if (o && json::getString(o, "type") == "hello-ok") return "ok hello-ok";
        return "ok " + json::typeName(p);
    }
    json::ObjectPtr e = json::getObject(res, "error");
    json::ObjectPtr d = json::getObject(e, "details");
    return "error " + json::getString(e, "code").value_or("?") +
           (d ? "/" + json::getString(d, "code").value_or("-") : "");
}

void record(const std::string& name, const std::string& result, const std::string& note) {
    recordResult("transcript-replay", name, result, note);
}

/// What a recording says: the connection, the server's answers by request id, first frame, close.
struct Recording {
    std::vector<json::ObjectPtr> records;
    int targetPort = 0;
    json::ObjectPtr upgrade, upgradeReply;
    std::string gatewayError; ///< the proxy could not reach the recorded gateway
    std::map<std::string, std::string> expected;
    std::string firstFrame;
    int expectedClose = 0;
    std::optional<int> clientCloseCode; ///< set when the client ended the session
    std::set<std::string> sent;         ///< request ids the client sent
};

Recording readRecording(const std::string& name) {
    Recording r;
    r.records = readRecords(name);
    for (const auto& rec : r.records) {
        std::string dir = json::getString(rec, "dir").value_or("");
        if (dir == "proxy-listening")
            r.targetPort = static_cast<int>(json::getInt(rec, "targetPort").value_or(0));
        if (dir == "upgrade-c2p") r.upgrade = rec;
        if (dir == "upgrade-s2p") r.upgradeReply = rec;
        if (dir == "s2c-error") r.gatewayError = json::getString(rec, "error").value_or("?");
        if (dir == "s2c") {
            json::ObjectPtr j = json::getObject(rec, "json");
            if (r.firstFrame.empty())
                r.firstFrame = json::getString(j, "event").value_or(json::getString(j, "type").value_or(""));
            if (j && json::getString(j, "type") == "res")
                r.expected[json::getString(j, "id").value_or("")] = shapeOf(j);
        } else if (dir == "c2s-close" && !r.expectedClose && !r.clientCloseCode) {
            r.clientCloseCode = static_cast<int>(json::getInt(rec, "code").value_or(1000));
        } else if (dir == "s2c-close" && !r.expectedClose) {
            r.expectedClose = static_cast<int>(json::getInt(rec, "code").value_or(0));
        } else if (dir == "c2s") {
            if (auto id = json::getString(json::getObject(rec, "json"), "id")) r.sent.insert(*id);
        }
    }
    return r;
}

/// What our gateway did.
struct Observed {
    std::map<std::string, std::string> got;
    std::string first;
    int close = 0;
    bool ended = false; ///< closed, dropped or timed out: nothing more will come
};

/// Reads frames into `seen` until `done()` holds, the connection ends, or the deadline passes.
void readUntil(client::WsConnection& ws, Observed& seen, const std::function<bool()>& done, int timeoutMs) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (!seen.ended && !done()) {
        std::optional<protocol::WsFrame> f;
        try {
            f = ws.receive(deadline);
        } catch (const client::GatewayError&) {
            seen.ended = true;
            return;
        }
        if (!f) return; // deadline
        if (f->opcode == protocol::WsOpcode::Close) {
            seen.close = f->payload.size() >= 2 ? protocol::decodeCloseCode(f->payload) : 1005;
            seen.ended = true;
            return;
        }
        if (f->opcode != protocol::WsOpcode::Text) continue;
        json::ObjectPtr j = json::asObject(json::parse(f->payload));
        if (seen.first.empty())
            seen.first = json::getString(j, "event").value_or(json::getString(j, "type").value_or(""));
        if (json::getString(j, "type") == "res") seen.got[json::getString(j, "id").value_or("")] = shapeOf(j);
    }
}

/// The text of a recorded client frame.
std::string clientText(const json::ObjectPtr& rec) {
    if (auto t = json::getString(rec, "text")) return *t;
    if (json::asObject(rec->get("json"))) return json::stringify(rec->get("json"));
    if (auto big = json::getInt(rec, "bytes"))
        return std::string(static_cast<size_t>(*big), ' '); // size only
    return "";
}

/// What the recorded server did after client frame `i` and before the next one: the id it answered
/// (empty when none) and whether it closed.
std::pair<std::string, bool> answerAfter(const Recording& r, size_t i) {
    std::optional<std::string> sentId = json::getString(json::getObject(r.records[i], "json"), "id");
    std::string answered;
    for (size_t k = i + 1; k < r.records.size(); ++k) {
        std::string dir = json::getString(r.records[k], "dir").value_or("");
        if (dir == "c2s" || dir == "c2s-close") break;
        if (dir == "s2c-close") return {answered, true};
        json::ObjectPtr j = json::getObject(r.records[k], "json");
        if (dir == "s2c" && sentId && json::getString(j, "type") == "res" &&
            json::getString(j, "id") == sentId)
            answered = *sentId;
    }
    return {answered, false};
}

class Replay : public ::testing::TestWithParam<std::string> {
  protected:
    static void SetUpTestSuite() {
        tokenGw_.start(R"({ gateway: { mode: 'local', auth: { token: 'T0k3n' } } })");
        passwordGw_.start(
            R"({ gateway: { mode: 'local', auth: { mode: 'password', password: 'Pa55w0rd' } } })");
    }
    void SetUp() override {
        ASSERT_TRUE(tokenGw_.require());
        ASSERT_TRUE(passwordGw_.require());
    }
    static void TearDownTestSuite() {
        tokenGw_.stop();
        passwordGw_.stop();
    }
    static SharedGateway tokenGw_;
    static SharedGateway passwordGw_;
};
SharedGateway Replay::tokenGw_;
SharedGateway Replay::passwordGw_;

/// Opens the recorded upgrade (path, origin, subprotocol) against `port`.
void openAsRecorded(client::WsConnection& ws, const Recording& r, int port) {
    std::vector<std::pair<std::string, std::string>> headers;
    json::ObjectPtr h = json::getObject(r.upgrade, "headers");
    if (auto origin = json::getString(h, "origin")) {
        std::string o = *origin; // the recorded gateway's own origin maps to ours
        size_t at = o.find(":18789");
        if (at != std::string::npos) o.replace(at, 6, ":" + std::to_string(port));
        headers.push_back({"Origin", o});
    }
    if (auto proto = json::getString(h, "sec-websocket-protocol"))
        headers.push_back({"Sec-WebSocket-Protocol", *proto});
    ws.open("ws://127.0.0.1:" + std::to_string(port) + json::getString(r.upgrade, "url").value_or("/"), 5000,
            headers);
}

/// Sends the client's frames in recorded order; where the recorded server answered (or closed)
/// before the client's next frame, waits for our answer first, so responses interleave as recorded.
void sendAsRecorded(client::WsConnection& ws, const Recording& r, Observed& seen) {
    for (size_t i = 0; i < r.records.size(); ++i) {
        if (json::getString(r.records[i], "dir") != "c2s") continue;
        if (seen.ended) return;
        ws.send(protocol::WsOpcode::Text, clientText(r.records[i]));
        auto [answered, closed] = answerAfter(r, i);
        if (closed)
            readUntil(
                ws, seen, [] { return false; }, 10000);
        else if (!answered.empty())
            readUntil(
                ws, seen, [&seen, id = answered] { return seen.got.count(id) > 0; }, 10000);
    }
}

/// The client ended the recorded session: close the same way and read the echo.
void closeAsRecorded(client::WsConnection& ws, const Recording& r, Observed& seen) {
    int code = r.clientCloseCode.value_or(1000);
    ws.send(protocol::WsOpcode::Close, protocol::encodeClosePayload(code == 1005 ? 1000 : code, ""));
    readUntil(
        ws, seen, [] { return false; }, 5000);
}

std::string differences(const Recording& r, const Observed& seen) {
    std::string diffs;
    if (seen.first != r.firstFrame)
        diffs += "first frame " + seen.first + " vs recorded " + r.firstFrame + "; ";
    for (const auto& [id, shape] : r.expected) {
        auto it = seen.got.find(id);
        if (it == seen.got.end())
            diffs += "no response to " + id + " (recorded " + shape + "); ";
        else if (it->second != shape)
            diffs += id + ": " + it->second + " vs recorded " + shape + "; ";
    }
    // Requests the recorded client sent but left before their answer: extra answers from us are fine.
    for (const auto& [id, shape] : seen.got)
        if (!r.expected.count(id) && !r.sent.count(id))
            diffs += "extra response " + id + " (" + shape + "); ";
    if (seen.close != r.expectedClose)
        diffs +=
            "close " + std::to_string(seen.close) + " vs recorded " + std::to_string(r.expectedClose) + "; ";
    return diffs;
}

/// Deliberate deviations: the reason, and the exact difference it explains (anything else fails).
struct Intended {
    std::string reason;
    std::string diff;
};
const std::map<std::string, Intended>& intendedDifferences() {
    static const std::map<std::string, Intended> k = {
        {"call_logs_tail",
         {"logs.tail accepts sinceMs (the seed page's own example); the reference rejects it",
          "2:9ca253ac-1c8b-475e-aca2-1ebcfb3d4347: ok object vs recorded error INVALID_REQUEST; "}}};
    return k;
}

/// The recorded gateway was down (the proxy got ECONNREFUSED): stop ours, then connect as recorded.
void replayAgainstAStoppedGateway(const std::string& name, const Recording& r) {
    ASSERT_NE(r.gatewayError.find("ECONNREFUSED"), std::string::npos) << name << ": " << r.gatewayError;
    GatewayUnderTest gw(R"({ gateway: { mode: 'local', auth: { token: 'T0k3n' } } })", {});
    int port = gw.port();
    ASSERT_EQ(gw.stop(), 0);
    client::WsConnection ws;
    try {
        openAsRecorded(ws, r, port);
        ADD_FAILURE() << name << ": a stopped gateway still accepted the upgrade";
    } catch (const client::GatewayError& e) {
        const std::string why = std::string(e.what()) + " / " + e.reason;
        EXPECT_NE(why.find("ECONNREFUSED"), std::string::npos) << why;
    }
    record(name, ::testing::Test::HasFailure() ? "differs" : "match",
           "gateway stopped: the connection is refused, as recorded");
}

} // namespace

TEST_P(Replay, ServerFramesMatchTheRecording) {
    const std::string name = GetParam();
    ASSERT_NE(name, "missing_transcripts") << "no transcripts in " << kTranscripts;
    Recording r = readRecording(name);
    ASSERT_TRUE(r.upgrade) << name << " has no connection: list it in notReplayable() with the reason";
    if (!r.gatewayError.empty()) return replayAgainstAStoppedGateway(name, r);
    SharedGateway& gw = r.targetPort == 18889 ? passwordGw_ : tokenGw_;

    client::WsConnection ws;
    openAsRecorded(ws, r, gw->port());
    if (r.upgradeReply) {
        if (auto proto =
                json::getString(json::getObject(r.upgradeReply, "headers"), "sec-websocket-protocol")) {
            EXPECT_NE(Poco::toLower(ws.responseHead()).find("sec-websocket-protocol: " + *proto),
                      std::string::npos)
                << ws.responseHead();
        }
    }
    Observed seen;
    readUntil(
        ws, seen, [&seen] { return !seen.first.empty(); }, 10000); // the challenge
    sendAsRecorded(ws, r, seen);
    auto haveAll = [&] {
        for (const auto& e : r.expected)
            if (!seen.got.count(e.first)) return false;
        return true;
    };
    readUntil(
        ws, seen, [&] { return r.clientCloseCode && haveAll(); }, 12000);
    if (r.clientCloseCode && !seen.ended) closeAsRecorded(ws, r, seen);

    std::string diffs = differences(r, seen);
    auto intended = intendedDifferences().find(name);
    if (intended != intendedDifferences().end()) {
        EXPECT_EQ(diffs, intended->second.diff) << name << ": the intended difference changed";
        record(name, diffs == intended->second.diff ? "intended difference" : "differs",
               intended->second.reason + " (" + diffs + ")");
        return;
    }
    std::string summary =
        std::to_string(r.expected.size()) + " response(s), close " + std::to_string(r.expectedClose);
    record(name, diffs.empty() ? "match" : "differs", diffs.empty() ? summary : diffs);
    EXPECT_TRUE(diffs.empty()) << name << ": " << diffs;
}

INSTANTIATE_TEST_SUITE_P(Transcripts, Replay, ::testing::ValuesIn(scenarioNames()),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param; });

// A recording left out of the replay must really have nothing to replay, and say why.
TEST(Transcripts, EveryRecordingIsReplayedOrListedWithItsReason) {
    std::vector<std::string> all = allTranscripts();
    ASSERT_FALSE(all.empty()) << "no transcripts in " << kTranscripts;
    for (const auto& [name, reason] : notReplayable()) {
        ASSERT_TRUE(std::find(all.begin(), all.end(), name) != all.end())
            << name << " is listed but not recorded";
        Recording r = readRecording(name);
        EXPECT_FALSE(r.upgrade) << name << " has a connection to replay: remove it from notReplayable()";
        record(name, "not replayable", reason);
    }
}
