// Nodes through the bundled devices plugin, the test playing the node with hand-built frames
// (reference/nodes-and-devices.md §3): the command surface withheld and pending until an operator with its
// requiredApproveScopes approves it (the node told too), node.invoke relayed to that node without seq and
// answered from its node.invoke.result, the timeout with node.invoke.cancel, the node's own errors, the
// command policy (dangerous commands, gateway.nodes.commands.deny), the role gate, node.list/describe/rename,
// and a node that goes away.
#include "DeviceConnect.h"

#include "client/GatewayClient.h"
#include "client/GatewayError.h"

#include <gtest/gtest.h>

#include <fstream>
#include <future>
#include <thread>

using namespace openclaw;
using namespace openclaw::test;

namespace {

const char* kConfig = "{ gateway: { mode: 'local', auth: { token: 'T0k3n' }, nodes: { commands: { deny: "
                      "['system.notify'] } } } }";

DeviceShape nodeShape() {
    DeviceShape s = DeviceShape::node();
    s.extra =
        R"(,"caps":["system","camera","dir"],"commands":["system.which","system.run","system.notify","camera.snap","dir.list"],"pathEnv":"/usr/bin")";
    return s;
}

std::string invokeParams(const std::string& nodeId, const std::string& command,
                         const std::string& extra = "") {
    return R"({"nodeId":")" + nodeId + R"(","command":")" + command +
           R"(","params":{"bins":["sh"]},"idempotencyKey":"k1")" + extra + "}";
}

class NodeRelay : public ::testing::Test {
  protected:
    void SetUp() override {
        node_ = connectWithDevice(gw_, key_, nodeShape());
        ASSERT_TRUE(node_.ok()) << json::stringify(node_.frame);
        admin_ = operatorWith(gw_, {"operator.admin"});
        const json::ArrayPtr pending =
            json::getArray(json::asObject(admin_->call("node.pair.list", json::parse("{}"))), "pending");
        ASSERT_TRUE(pending && pending->size() == 1U);
        request_ = json::asObject(pending->get(0));
    }
    /// Approves the pending surface and waits until the node is told.
    void approve() {
        admin_->call("node.pair.approve", json::parse(R"({"requestId":")" + requestId() + "\"}"));
        json::ObjectPtr told = nextEventOn(*node_.ws, "node.pair.resolved");
        ASSERT_TRUE(told);
        EXPECT_FALSE(told->has("seq")) << "node-directed events carry no seq";
    }
    std::string requestId() const { return json::getString(request_, "requestId").value_or(""); }
    std::string id() const { return key_.deviceId(); }

    GatewayUnderTest gw_{kConfig, {}};
    DeviceKey key_;
    Answer node_;
    std::unique_ptr<client::GatewayClient> admin_;
    json::ObjectPtr request_;
};

} // namespace

TEST_F(NodeRelay, TheSurfaceWaitsForAnOperatorWithItsScopes) {
    EXPECT_EQ(json::stringify(json::getArray(request_, "commands")),
              R"(["camera.snap","system.run","system.which"])")
        << "dir.list is withheld, system.notify denied by config";
    EXPECT_EQ(json::stringify(json::getArray(request_, "caps")), R"(["system","camera"])")
        << "dir's commands all withheld";
    EXPECT_EQ(json::stringify(json::getArray(request_, "requiredApproveScopes")),
              R"(["operator.pairing","operator.admin"])");
    json::ObjectPtr stats = request(*node_.ws, "n1", "node.event",
                                    R"({"event":"node.host.stats","payloadJSON":"{\"cpuCount\":2}"})");
    EXPECT_EQ(json::getString(json::getObject(stats, "error"), "message"),
              "node pairing changed while invocation was active");
    EXPECT_EQ(failureOf(*admin_, "node.invoke", invokeParams(id(), "system.which")).second,
              "node pairing changed while invocation was active");
    auto pairing = operatorWith(gw_, {"operator.pairing"});
    EXPECT_EQ(failureOf(*pairing, "node.pair.approve", R"({"requestId":")" + requestId() + "\"}"),
              std::make_pair(std::string("FORBIDDEN"), std::string("missing scope: operator.admin")));
    approve();
    stats = request(*node_.ws, "n2", "node.event",
                    R"({"event":"node.host.stats","payloadJSON":"{\"cpuCount\":2}"})");
    EXPECT_EQ(json::getString(json::getObject(stats, "payload"), "reason"), "updated")
        << json::stringify(stats);
    json::ObjectPtr inventory =
        request(*node_.ws, "n3", "node.runnerInventory.update", R"({"protocolFeatures":[]})");
    EXPECT_EQ(json::getString(json::getObject(inventory, "payload"), "nodeId"), id())
        << json::stringify(inventory);

    json::ObjectPtr described =
        json::asObject(admin_->call("node.describe", json::parse(R"({"nodeId":")" + id() + "\"}")));
    EXPECT_EQ(json::getString(described, "approvalState"), "approved");
    EXPECT_EQ(json::getBool(described, "connected"), true);
    EXPECT_EQ(json::stringify(json::getArray(described, "commands")), R"(["system.run","system.which"])")
        << "camera.snap needs gateway.nodes.commands.allow";
    EXPECT_EQ(json::getInt(json::getObject(described, "hostStats"), "cpuCount"), 2);
    EXPECT_EQ(failureOf(*admin_, "node.describe", R"({"nodeId":"nope"})").second, "unknown nodeId");
    admin_->call("node.rename", json::parse(R"({"nodeId":")" + id() + R"(","displayName":"Build Box"})"));
    EXPECT_EQ(json::getString(
                  json::asObject(admin_->call("node.describe", json::parse(R"({"nodeId":")" + id() + "\"}"))),
                  "displayName"),
              "Build Box");
}

TEST_F(NodeRelay, AnInvokeGoesToTheNodeAndItsResultComesBack) {
    approve();
    auto answer = std::async(std::launch::async, [&] {
        return json::asObject(admin_->call(
            "node.invoke", json::parse(invokeParams(id(), "system.which", R"(,"timeoutMs":15000)"))));
    });
    json::ObjectPtr req = nextEventOn(*node_.ws, "node.invoke.request");
    ASSERT_TRUE(req);
    EXPECT_FALSE(req->has("seq"));
    json::ObjectPtr p = json::getObject(req, "payload");
    EXPECT_EQ(json::getString(p, "command"), "system.which");
    EXPECT_EQ(json::getString(p, "paramsJSON"), R"({"bins":["sh"]})");
    EXPECT_EQ(json::getString(p, "idempotencyKey"), "k1");
    EXPECT_EQ(json::getInt(p, "timeoutMs"), 15000);
    const std::string invokeId = json::getString(p, "id").value_or("");
    json::ObjectPtr ack = request(*node_.ws, "r1", "node.invoke.result",
                                  R"({"id":")" + invokeId + R"(","nodeId":")" + id() +
                                      R"(","ok":true,"payloadJSON":"{\"bins\":{\"sh\":\"/usr/bin/sh\"}}"})");
    EXPECT_EQ(json::getBool(json::getObject(ack, "payload"), "ok"), true);
    json::ObjectPtr result = answer.get();
    EXPECT_EQ(json::getString(result, "nodeId"), id());
    EXPECT_EQ(json::stringify(json::getObject(result, "payload")), R"({"bins":{"sh":"/usr/bin/sh"}})");
    // A late or unknown result is ignored.
    ack = request(*node_.ws, "r2", "node.invoke.result",
                  R"({"id":")" + invokeId + R"(","nodeId":")" + id() + R"(","ok":true})");
    EXPECT_EQ(json::getBool(json::getObject(ack, "payload"), "ignored"), true);
    ack = request(*node_.ws, "r3", "node.invoke.result", R"({"id":"x","nodeId":"someone-else","ok":true})");
    EXPECT_EQ(json::getString(json::getObject(ack, "error"), "message"), "nodeId mismatch");

    // The node's own failure.
    auto failing = std::async(std::launch::async, [&] {
        return failureOf(*admin_, "node.invoke", invokeParams(id(), "system.which"));
    });
    req = nextEventOn(*node_.ws, "node.invoke.request");
    ASSERT_TRUE(req);
    request(*node_.ws, "r4", "node.invoke.result",
            R"({"id":")" + json::getString(json::getObject(req, "payload"), "id").value_or("") +
                R"(","nodeId":")" + id() +
                R"(","ok":false,"error":{"code":"INVALID_REQUEST","message":"bins required"}})");
    EXPECT_EQ(failing.get(),
              std::make_pair(std::string("UNAVAILABLE"), std::string("INVALID_REQUEST: bins required")));
}

TEST_F(NodeRelay, ANodeThatNeverAnswersTimesOutAndIsToldToCancel) {
    approve();
    auto failing = std::async(std::launch::async, [&] {
        return failureOf(*admin_, "node.invoke", invokeParams(id(), "system.which", R"(,"timeoutMs":300)"));
    });
    json::ObjectPtr req = nextEventOn(*node_.ws, "node.invoke.request");
    ASSERT_TRUE(req);
    EXPECT_EQ(failing.get(),
              std::make_pair(std::string("UNAVAILABLE"), std::string("TIMEOUT: node invoke timed out")));
    json::ObjectPtr cancel = nextEventOn(*node_.ws, "node.invoke.cancel");
    ASSERT_TRUE(cancel);
    EXPECT_EQ(json::getString(json::getObject(cancel, "payload"), "invokeId"),
              json::getString(json::getObject(req, "payload"), "id"));
}

TEST_F(NodeRelay, ThePolicyTheRoleGateAndAGoneNode) {
    approve();
    EXPECT_EQ(
        failureOf(*admin_, "node.invoke", invokeParams(id(), "camera.snap")).second,
        "node command not allowed: \"camera.snap\" requires explicit gateway.nodes.commands.allow opt-in");
    EXPECT_EQ(failureOf(*admin_, "node.invoke", invokeParams(id(), "system.notify")).second,
              "node command not allowed: \"system.notify\" is blocked by gateway.nodes.commands.deny");
    EXPECT_EQ(failureOf(*admin_, "node.invoke", invokeParams(id(), "system.execApprovals.get")).second,
              "node.invoke does not allow system.execApprovals.*; use exec.approvals.node.*");
    EXPECT_EQ(
        failureOf(*admin_, "node.invoke", R"({"nodeId":")" + id() + R"(","command":"system.which"})").second,
        "invalid node.invoke params: must have required property 'idempotencyKey'");
    auto reader = operatorWith(gw_, {"operator.read"});
    EXPECT_EQ(failureOf(*reader, "node.invoke", invokeParams(id(), "system.which")).second,
              "missing scope: operator.write");
    EXPECT_EQ(failureOf(*admin_, "node.event", R"({"event":"x"})").second, "unauthorized role: operator");
    EXPECT_EQ(json::getString(json::getObject(request(*node_.ws, "s1", "status", "{}"), "error"), "message"),
              "unauthorized role: node");
    EXPECT_EQ(json::getBool(request(*node_.ws, "h1", "health", "{}"), "ok"), true);

    node_.ws->close();
    node_.ws.reset();
    for (int i = 0;
         i < 100 && json::getBool(json::asObject(admin_->call("node.describe",
                                                              json::parse(R"({"nodeId":")" + id() + "\"}"))),
                                  "connected")
                        .value_or(true);
         ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_EQ(failureOf(*admin_, "node.invoke", invokeParams(id(), "system.which")).second,
              "node not connected");
    admin_->call("node.pair.remove", json::parse(R"({"nodeId":")" + id() + "\"}"));
    EXPECT_EQ(failureOf(*admin_, "node.describe", R"({"nodeId":")" + id() + "\"}").second, "unknown nodeId");
}

// gateway.nodes.commands is read again on SIGUSR1: the node is closed with the old server, reconnects as
// after any restart, and what was refused (an opt-in command, a denied one) is relayed under the new policy.
TEST_F(NodeRelay, TheCommandPolicyFollowsAReloadOnSIGUSR1) {
    approve();
    ASSERT_EQ(failureOf(*admin_, "node.invoke", invokeParams(id(), "camera.snap")).first, "INVALID_REQUEST");
    std::ofstream(gw_.home() + "/.openclaw/openclaw.json")
        << "{ gateway: { mode: 'local', auth: { token: 'T0k3n' }, nodes: { commands: { allow: "
           "['camera.snap'], "
           "deny: ['system.which'] } } } }";
    gw_.process().signal(SIGUSR1);
    EXPECT_GT(closeOf(*node_.ws).closeCode, 0) << "the node's session ends with the old server";
    node_ = Answer{};
    for (int i = 0; i < 100 && !node_.ok(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        try {
            node_ = connectWithDevice(gw_, key_, nodeShape());
        } catch (const std::exception&) { // still rebinding
        }
    }
    ASSERT_TRUE(node_.ok()) << json::stringify(node_.frame);
    admin_ = operatorWith(gw_, {"operator.admin"});
    EXPECT_EQ(failureOf(*admin_, "node.invoke", invokeParams(id(), "system.which")).second,
              "node command not allowed: \"system.which\" is blocked by gateway.nodes.commands.deny");
    auto snap = std::async(std::launch::async, [&] {
        return failureOf(*admin_, "node.invoke", invokeParams(id(), "camera.snap"));
    });
    json::ObjectPtr req = nextEventOn(*node_.ws, "node.invoke.request");
    ASSERT_TRUE(req) << "the opt-in command was not relayed after the reload";
    EXPECT_EQ(json::getString(json::getObject(req, "payload"), "command"), "camera.snap");
    request(*node_.ws, "r1", "node.invoke.result",
            R"({"id":")" + json::getString(json::getObject(req, "payload"), "id").value_or("") +
                R"(","nodeId":")" + id() + R"(","ok":true})");
    EXPECT_EQ(snap.get().first, "");
}
