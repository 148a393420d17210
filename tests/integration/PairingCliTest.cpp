// Our `devices` and `nodes` commands against our gateway (reference/nodes-and-devices.md §4): outputs and
// exit codes for an empty table, a pending node approved with `devices approve` (which asks again with admin,
// as the reference's CLI), its surface approved with `nodes approve`, `nodes invoke` answered by a node the
// test plays, and the reference's error texts.
#include "DeviceConnect.h"

#include <gtest/gtest.h>

#include <future>
#include <thread>

using namespace openclaw;
using namespace openclaw::test;

namespace {

RunResult cli(const GatewayUnderTest& gw, std::vector<std::string> args) {
    args.insert(args.begin(), openclawBin());
    args.insert(args.end(), {"--url", gw.url(), "--token", "T0k3n"});
    return run(args, gw.env());
}

std::string jsonField(const std::string& text, const std::string& key) {
    return json::getString(json::asObject(json::parse(text)), key).value_or("");
}

} // namespace

TEST(PairingCli, DevicesAndNodesCommandsWalkANodeFromPendingToInvoke) {
    GatewayUnderTest gw("{ gateway: { mode: 'local', auth: { token: 'T0k3n' }, nodes: { pairing: { "
                        "autoApproveLocal: false } } } }",
                        {});
    RunResult r = cli(gw, {"devices", "list"});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, "No device pairing entries.\n");
    r = cli(gw, {"devices", "list", "--json"});
    EXPECT_EQ(r.out, "{\n  \"paired\": [],\n  \"pending\": []\n}\n");

    DeviceKey key;
    DeviceShape shape = DeviceShape::node();
    shape.extra = R"(,"caps":["system"],"commands":["system.which"])";
    Answer refused = connectWithDevice(gw, key, shape);
    const std::string requestId = json::getString(refused.details(), "requestId").value_or("");
    ASSERT_FALSE(requestId.empty()) << json::stringify(refused.frame);

    r = cli(gw, {"devices", "list"});
    EXPECT_NE(r.out.find("Pending (1)"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("new pairing"), std::string::npos) << r.out;
    r = cli(gw, {"devices", "approve"});
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.out.find("Selected pending device request " + requestId), std::string::npos) << r.out;
    EXPECT_NE(r.err.find("openclaw devices approve " + requestId), std::string::npos) << r.err;
    r = cli(gw, {"devices", "approve", requestId});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, "Approved " + key.deviceId() + " (" + requestId + ")\n");
    r = cli(gw, {"devices", "reject", requestId});
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("[openclaw] Reason: unknown requestId"), std::string::npos) << r.err;

    Answer node = connectWithDevice(gw, key, shape);
    ASSERT_TRUE(node.ok()) << json::stringify(node.frame);
    r = cli(gw, {"nodes", "pending", "--json"});
    const json::ArrayPtr pending = json::asArray(json::parse(r.out));
    ASSERT_TRUE(pending && pending->size() == 1U) << r.out;
    const std::string surfaceId = json::getString(json::asObject(pending->get(0)), "requestId").value_or("");
    r = cli(gw, {"nodes", "approve", surfaceId});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(jsonField(r.out, "requestId"), surfaceId);
    r = cli(gw, {"nodes", "approve", "no-such-request"});
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("Unknown node pairing requestId: no-such-request"), std::string::npos) << r.err;

    r = cli(gw, {"nodes", "rename", "--node", key.deviceId(), "--name", "Build Box"});
    EXPECT_EQ(r.out, "node rename ok: " + key.deviceId() + " -> Build Box\n") << r.err;
    auto invoked = std::async(std::launch::async, [&] {
        return cli(gw, {"nodes", "invoke", "--node", "Build Box", "--command", "system.which", "--params",
                        R"({"bins":["sh"]})"});
    });
    json::ObjectPtr req = nextEventOn(*node.ws, "node.invoke.request");
    ASSERT_TRUE(req);
    request(*node.ws, "r1", "node.invoke.result",
            R"({"id":")" + json::getString(json::getObject(req, "payload"), "id").value_or("") +
                R"(","nodeId":")" + key.deviceId() +
                R"(","ok":true,"payloadJSON":"{\"bins\":{\"sh\":\"/usr/bin/sh\"}}"})");
    r = invoked.get();
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("\"sh\": \"/usr/bin/sh\""), std::string::npos) << r.out;
    r = cli(gw, {"nodes", "invoke", "--node", "Build Box", "--command", "system.run"});
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("is reserved for shell execution"), std::string::npos) << r.err;
    r = cli(gw, {"nodes", "describe", "--node", "nosuchnode"});
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("unknown node: nosuchnode (known: Build Box)"), std::string::npos) << r.err;
    r = cli(gw, {"nodes", "status"});
    EXPECT_NE(r.out.find("Known: 1 · Paired: 1 · Connected: 1"), std::string::npos) << r.out;
    node.ws->close();
    for (int i = 0;
         i < 100 && cli(gw, {"nodes", "status", "--connected"}).out.find("Known: 0") == std::string::npos;
         ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    r = cli(gw, {"nodes", "status", "--connected"});
    EXPECT_NE(r.out.find("Known: 0 · Paired: 0 · Connected: 0"), std::string::npos)
        << "--connected: " << r.out;
    r = cli(gw, {"nodes", "list", "--last-connected", "1h", "--json"});
    EXPECT_EQ(json::getArray(json::asObject(json::parse(r.out)), "paired")->size(), 1U) << r.out;
    r = cli(gw, {"nodes", "list", "--last-connected", "soon"});
    EXPECT_EQ(r.code, 1);
}
