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
#include <map>
#include <set>
#include <thread>

using namespace openclaw;
using namespace openclaw::test;

namespace {

const std::string kTranscripts = std::string(OPENCLAW_SHARED_DIR) + "/reference/transcripts";

std::vector<std::string> scenarioNames() {
    std::vector<std::string> out;
    if (DIR* d = ::opendir(kTranscripts.c_str())) {
        while (dirent* e = ::readdir(d)) {
            std::string n = e->d_name;
            if (n.size() > 6 && n.substr(n.size() - 6) == ".jsonl") out.push_back(n.substr(0, n.size() - 6));
        }
        ::closedir(d);
    }
    std::sort(out.begin(), out.end());
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

class Replay : public ::testing::TestWithParam<std::string> {
  protected:
    static void SetUpTestSuite() {
        tokenGw_ = new GatewayUnderTest(R"({ gateway: { mode: 'local', auth: { token: 'T0k3n' } } })", {});
        passwordGw_ = new GatewayUnderTest(
            R"({ gateway: { mode: 'local', auth: { mode: 'password', password: 'Pa55w0rd' } } })", {});
    }
    static void TearDownTestSuite() {
        delete tokenGw_;
        delete passwordGw_;
        tokenGw_ = passwordGw_ = nullptr;
    }
    static GatewayUnderTest* tokenGw_;
    static GatewayUnderTest* passwordGw_;
};
GatewayUnderTest* Replay::tokenGw_ = nullptr;
GatewayUnderTest* Replay::passwordGw_ = nullptr;

} // namespace

TEST_P(Replay, ServerFramesMatchTheRecording) {
    const std::string name = GetParam();
    ASSERT_NE(name, "missing_transcripts") << "no transcripts in " << kTranscripts;
    std::vector<json::ObjectPtr> recs = readRecords(name);
    int targetPort = 0;
    json::ObjectPtr upgrade, upgradeReply;
    bool gatewayDown = false;
    for (const auto& r : recs) {
        std::string dir = json::getString(r, "dir").value_or("");
        if (dir == "proxy-listening")
            targetPort = static_cast<int>(json::getInt(r, "targetPort").value_or(0));
        if (dir == "upgrade-c2p") upgrade = r;
        if (dir == "upgrade-s2p") upgradeReply = r;
        if (dir == "s2c-error") gatewayDown = true;
    }
    if (!upgrade || gatewayDown) {
        record(name, "not replayable",
               gatewayDown ? "recorded against a stopped gateway" : "no connection in the recording");
        GTEST_SKIP() << name << ": nothing to replay (no connection, or the recorded gateway was down)";
    }
    GatewayUnderTest* gw = targetPort == 18889 ? passwordGw_ : tokenGw_;

    std::vector<std::pair<std::string, std::string>> headers;
    json::ObjectPtr h = json::getObject(upgrade, "headers");
    if (auto origin = json::getString(h, "origin")) {
        std::string o = *origin; // the recorded gateway's own origin maps to ours
        size_t at = o.find(":18789");
        if (at != std::string::npos) o.replace(at, 6, ":" + std::to_string(gw->port()));
        headers.push_back({"Origin", o});
    }
    if (auto proto = json::getString(h, "sec-websocket-protocol"))
        headers.push_back({"Sec-WebSocket-Protocol", *proto});
    client::WsConnection ws;
    ws.open(gw->url() + json::getString(upgrade, "url").value_or("/"), 5000, headers);
    if (upgradeReply) {
        if (auto proto =
                json::getString(json::getObject(upgradeReply, "headers"), "sec-websocket-protocol")) {
            EXPECT_NE(Poco::toLower(ws.responseHead()).find("sec-websocket-protocol: " + *proto),
                      std::string::npos)
                << ws.responseHead();
        }
    }

    // Expected: response shapes by id, the first frame, and the close code.
    std::map<std::string, std::string> expected;
    std::string firstFrame;
    int expectedClose = 0;
    bool clientCloses = false;
    std::optional<int> clientCloseCode;
    for (const auto& r : recs) {
        std::string dir = json::getString(r, "dir").value_or("");
        if (dir == "s2c") {
            json::ObjectPtr j = json::getObject(r, "json");
            if (firstFrame.empty())
                firstFrame = json::getString(j, "event").value_or(json::getString(j, "type").value_or(""));
            if (j && json::getString(j, "type") == "res")
                expected[json::getString(j, "id").value_or("")] = shapeOf(j);
        } else if (dir == "c2s-close" && !expectedClose) {
            clientCloses = true;
            clientCloseCode = static_cast<int>(json::getInt(r, "code").value_or(1000));
        } else if (dir == "s2c-close" && !expectedClose) {
            expectedClose = static_cast<int>(json::getInt(r, "code").value_or(0));
        }
    }

    // Send the client's frames in order, a little apart (responses may interleave, as recorded).
    for (const auto& r : recs) {
        if (json::getString(r, "dir") != "c2s") continue;
        std::string text;
        if (auto t = json::getString(r, "text")) {
            text = *t;
        } else if (json::asObject(r->get("json"))) {
            text = json::stringify(r->get("json"));
        } else if (auto big = json::getInt(r, "bytes")) {
            text = std::string(static_cast<size_t>(*big), ' '); // an oversized frame, recorded by size only
        }
        ws.send(protocol::WsOpcode::Text, text);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }

    std::map<std::string, std::string> got;
    std::string ourFirst;
    int ourClose = 0;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(12);
    while (std::chrono::steady_clock::now() < deadline) {
        bool haveAll = true;
        for (const auto& e : expected)
            haveAll = haveAll && got.count(e.first);
        if (clientCloses && haveAll) break;
        std::optional<protocol::WsFrame> f;
        try {
            f = ws.receive(std::min(deadline, std::chrono::steady_clock::now() + std::chrono::seconds(6)));
        } catch (const client::GatewayError&) {
            break;
        }
        if (!f) break;
        if (f->opcode == protocol::WsOpcode::Close) {
            ourClose = f->payload.size() >= 2 ? (static_cast<unsigned char>(f->payload[0]) << 8) |
                                                    static_cast<unsigned char>(f->payload[1])
                                              : 1005;
            break;
        }
        if (f->opcode != protocol::WsOpcode::Text) continue;
        json::ObjectPtr j = json::asObject(json::parse(f->payload));
        if (ourFirst.empty())
            ourFirst = json::getString(j, "event").value_or(json::getString(j, "type").value_or(""));
        if (json::getString(j, "type") == "res") got[json::getString(j, "id").value_or("")] = shapeOf(j);
    }
    if (clientCloses && !ourClose) {
        // The client ended the recorded session: close the same way and read the echo.
        ws.send(protocol::WsOpcode::Close,
                protocol::encodeClosePayload(clientCloseCode == 1005 ? 1000 : clientCloseCode.value_or(1000),
                                             ""));
        try {
            while (auto f = ws.receive(std::chrono::steady_clock::now() + std::chrono::seconds(3))) {
                if (f->opcode == protocol::WsOpcode::Close) {
                    ourClose = f->payload.size() >= 2 ? (static_cast<unsigned char>(f->payload[0]) << 8) |
                                                            static_cast<unsigned char>(f->payload[1])
                                                      : 1005;
                    break;
                }
            }
        } catch (const client::GatewayError&) {
        }
    }

    // Requests the recorded client sent but left before their answer: extra answers from us are fine.
    std::set<std::string> sent;
    for (const auto& r : recs)
        if (json::getString(r, "dir") == "c2s")
            if (auto id = json::getString(json::getObject(r, "json"), "id")) sent.insert(*id);
    std::string diffs;
    if (ourFirst != firstFrame) diffs += "first frame " + ourFirst + " vs recorded " + firstFrame + "; ";
    for (const auto& [id, shape] : expected) {
        auto it = got.find(id);
        if (it == got.end())
            diffs += "no response to " + id + " (recorded " + shape + "); ";
        else if (it->second != shape)
            diffs += id + ": " + it->second + " vs recorded " + shape + "; ";
    }
    for (const auto& [id, shape] : got)
        if (!expected.count(id) && !sent.count(id)) diffs += "extra response " + id + " (" + shape + "); ";
    if (ourClose != expectedClose)
        diffs += "close " + std::to_string(ourClose) + " vs recorded " + std::to_string(expectedClose) + "; ";
    std::string summary =
        std::to_string(expected.size()) + " response(s), close " + std::to_string(expectedClose);
    // Deliberate deviations, with the reason (docs/compatibility.md lists them).
    static const std::map<std::string, std::string> kIntended = {
        {"call_logs_tail",
         "logs.tail accepts sinceMs (the seed page's own example); the reference rejects it"}};
    auto intended = kIntended.find(name);
    if (intended != kIntended.end() && !diffs.empty()) {
        record(name, "intended difference", intended->second + " (" + diffs + ")");
        return;
    }
    record(name, diffs.empty() ? "match" : "differs", diffs.empty() ? summary : diffs);
    EXPECT_TRUE(diffs.empty()) << name << ": " << diffs;
}

INSTANTIATE_TEST_SUITE_P(Transcripts, Replay, ::testing::ValuesIn(scenarioNames()),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param; });
