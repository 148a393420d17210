// `gateway run` options that shape output and files: --raw-stream-path, --ws-log, --claude-cli-logs,
// --dev --reset; and presence events for node-role sessions.
#include "DeviceKey.h"
#include "Process.h"
#include "Wire.h"

#include "client/GatewayClient.h"
#include "protocol/Scopes.h"

#include <gtest/gtest.h>

#include <csignal>
#include <functional>
#include <thread>

using namespace openclaw;
using namespace openclaw::test;

namespace {
std::string withTestPlugin() {
    return std::string(
               R"({ gateway: { mode: 'local', auth: { token: 'T0k3n' } }, plugins: { load: { paths: [')") +
           OPENCLAW_TEST_PLUGIN_DIR + R"(/test-good'] } } })";
}
} // namespace

TEST(RunOptions, RawStreamPathRecordsPluginEventsAsJsonLines) {
    TempDir files;
    std::string path = files.path() + "/raw.jsonl";
    GatewayUnderTest gw(withTestPlugin(), {"--raw-stream-path", path});
    client::ClientOptions o{gw.url(), std::string("T0k3n")};
    o.scopes = protocol::allOperatorScopes();
    client::GatewayClient c(o);
    c.connect();
    c.call("test.emit", json::parse(R"({"chunk":"hello"})"));
    std::string text;
    for (int i = 0; i < 200 && text.empty(); ++i) {
        text = readFile(path);
        if (text.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    json::ObjectPtr rec = json::asObject(json::parse(text.substr(0, text.find('\n'))));
    ASSERT_TRUE(rec) << text;
    EXPECT_EQ(json::getString(rec, "event"), "test.event");
    EXPECT_EQ(json::stringify(rec->get("payload")), R"({"chunk":"hello"})");
}

TEST(RunOptions, WsLogCompactPrintsConnectionLinesWithoutVerbose) {
    GatewayUnderTest gw(R"({ gateway: { mode: 'local', auth: { token: 'T0k3n' } } })", {"--compact"});
    client::GatewayClient c({gw.url(), std::string("T0k3n")});
    c.connect();
    c.call("health");
    c.close();
    std::string out;
    for (int i = 0; i < 200 && out.find("⇄ res ✓ health") == std::string::npos; ++i) {
        out = gw.process().out();
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_NE(out.find("[ws] ← connect client=cli"), std::string::npos) << out;
    EXPECT_NE(out.find("[ws] → hello-ok methods="), std::string::npos);
    EXPECT_NE(out.find("[ws] ⇄ res ✓ health"), std::string::npos);
}

TEST(RunOptions, WsLogAutoStaysQuietAndClaudeCliLogsFiltersTheConsole) {
    GatewayUnderTest quiet(R"({ gateway: { mode: 'local', auth: { token: 'T0k3n' } } })", {});
    client::GatewayClient c({quiet.url(), std::string("T0k3n")});
    c.connect();
    c.call("health");
    // /readyz answers as soon as the port listens, a moment before "ready" is logged: wait for the line.
    auto eventually = [](const std::function<std::string()>& text, const std::string& needle) {
        for (int i = 0; i < 250; ++i) {
            if (text().find(needle) != std::string::npos) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return false;
    };
    EXPECT_TRUE(eventually([&] { return quiet.process().out(); }, "[gateway] ready"));
    EXPECT_EQ(quiet.process().out().find("[ws]"), std::string::npos);
    GatewayUnderTest filtered(R"({ gateway: { mode: 'local', auth: { token: 'T0k3n' } } })",
                              {"--claude-cli-logs"});
    // The log file still has everything, while the console shows only the claude-cli subsystem.
    EXPECT_TRUE(eventually([&] { return readFile(filtered.home() + "/.openclaw/logs/gateway.log"); },
                           "\"message\":\"ready\""));
    EXPECT_EQ(filtered.process().out().find("[gateway]"), std::string::npos) << filtered.process().out();
}

TEST(RunOptions, DevResetReplacesDevConfigAndWorkspace) {
    TempDir home;
    std::map<std::string, std::string> env = {{"HOME", home.path()}, {"OPENCLAW_GATEWAY_TOKEN", ""}};
    home.write(".openclaw-dev/openclaw.json",
               R"({ gateway: { mode: 'local', auth: { token: 'old-token' } } })");
    home.write(".openclaw-dev/workspace/notes.txt", "scratch");
    home.write(".openclaw-dev/sessions/s1.json", "{}");
    int port = freePort();
    ChildProcess gw({openclawBin(), "--dev", "gateway", "run", "--reset", "--port", std::to_string(port)},
                    env);
    ASSERT_TRUE(waitReadyz(gw, port)) << gw.err();
    std::string cfg = readFile(home.path() + "/.openclaw-dev/openclaw.json");
    EXPECT_EQ(cfg.find("old-token"), std::string::npos);
    EXPECT_TRUE(readFile(home.path() + "/.openclaw-dev/workspace/notes.txt").empty());
    EXPECT_TRUE(readFile(home.path() + "/.openclaw-dev/sessions/s1.json").empty());
    EXPECT_NE(gw.out().find("Dev state reset"), std::string::npos);
    EXPECT_EQ(gw.stop(), 0);
}

TEST(Presence, NodeSessionsJoinAndLeaveWithPresenceEvents) {
    GatewayUnderTest gw(R"({ gateway: { mode: 'local', auth: { token: 'T0k3n' } } })", {});
    client::GatewayClient watcher({gw.url(), std::string("T0k3n")});
    watcher.connect();
    client::WsConnection node;
    const Challenge ch = openForChallenge(node, gw.url());
    // A node connects with a signed device identity (the reference refuses one without).
    DeviceKey::Signing signing{"node-host", "node", "node", {}, "T0k3n", "linux", ""};
    node.send(
        protocol::WsOpcode::Text,
        R"({"type":"req","id":"n1","method":"connect","params":{"minProtocol":4,"maxProtocol":4,)"
        R"("client":{"id":"node-host","version":"1.0","platform":"linux","mode":"node","instanceId":"node-1"},)"
        R"("role":"node","auth":{"token":"T0k3n"})" +
            DeviceKey().deviceMember(signing, ch.nonce, ch.ts) + "}}");
    ASSERT_EQ(json::getBool(nextFrom(node).frame, "ok"), true);
    auto waitPresence = [&](size_t expectCount) {
        for (int i = 0; i < 50; ++i) {
            json::ObjectPtr e = watcher.nextEvent(5000);
            if (!e) return false;
            if (json::getString(e, "event") != "presence") continue;
            EXPECT_TRUE(json::getObject(e, "stateVersion"));
            if (json::asArray(e->get("payload"))->size() == expectCount) return true;
        }
        return false;
    };
    EXPECT_TRUE(waitPresence(2)); // self + the node
    node.close();
    EXPECT_TRUE(waitPresence(1));
}

TEST(Keepalive, AuthenticatedSessionsArePinged) {
    GatewayUnderTest gw(R"({ gateway: { mode: 'local', auth: { token: 'T0k3n' } } })", {},
                        {{"OPENCLAW_PING_INTERVAL_MS", "200"}});
    client::WsConnection ws;
    openPastChallenge(ws, gw.url());
    ws.send(protocol::WsOpcode::Text, connectFrame(R"({"token":"T0k3n"})"));
    ASSERT_EQ(json::getBool(nextFrom(ws).frame, "ok"), true);
    bool pinged = false;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!pinged && std::chrono::steady_clock::now() < deadline) {
        auto f = ws.receive(deadline);
        if (!f) break;
        pinged = f->opcode == protocol::WsOpcode::Ping;
    }
    EXPECT_TRUE(pinged);
    // Answering pings keeps the session usable.
    ws.send(protocol::WsOpcode::Pong, "");
    ws.send(protocol::WsOpcode::Text, R"({"type":"req","id":"h","method":"health"})");
    bool answered = false;
    for (int i = 0; i < 20 && !answered; ++i) {
        Next n = nextFrom(ws, 5000);
        answered = n.frame && json::getString(n.frame, "id") == "h";
    }
    EXPECT_TRUE(answered);
}
