// The reference's own node host and CLI with our gateway (reference/nodes-and-devices.md §4): `openclaw node
// run` pairs silently on loopback, its surface is approved with the reference's `nodes approve`, `nodes
// invoke … system.which` and our `gateway call node.invoke … system.run echo hi` come back with the node's
// answer; the node killed → "node not connected"; restarted without the shared token it reconnects with its
// device token alone; a rotation closes it (4001) and its old token is refused; a revocation closes it and
// its reconnect waits for an operator (a role upgrade).
#include "Reference.h"

#include "client/GatewayClient.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

using namespace openclaw;
using namespace openclaw::test;

namespace {

const char* kToken = "T0k3n-interop";

class ReferenceNode : public ::testing::Test {
  protected:
    void SetUp() override {
        if (!referenceAvailable()) GTEST_SKIP() << "reference OpenClaw not installed";
        const bool silent = std::string(::testing::UnitTest::GetInstance()->current_test_info()->name())
                                .find("WithoutSilent") == std::string::npos;
        gw_ = std::make_unique<GatewayUnderTest>(
            std::string("{ gateway: { mode: 'local', auth: { token: '") + kToken + "' }" +
                (silent ? "" : ", nodes: { pairing: { autoApproveLocal: false } }") + " } }",
            std::vector<std::string>{});
        // The reference CLI finds our gateway through its own config (local mode, our port and token).
        cliHome_.write(".openclaw/openclaw.json",
                       "{ gateway: { mode: 'local', port: " + std::to_string(gw_->port()) +
                           ", auth: { token: '" + kToken + "' } } }");
    }
    void TearDown() override {
        recordCurrentTest("reference node host and CLI → our gateway", "nodes-and-devices §4");
    }

    /// Starts the reference node host (with the shared token in its environment, or without).
    std::unique_ptr<ChildProcess> startNode(bool withSharedToken, int port = 0) {
        std::map<std::string, std::string> env = referenceEnv(nodeHome_.path());
        env["OPENCLAW_GATEWAY_TOKEN"] = withSharedToken ? kToken : "";
        return std::make_unique<ChildProcess>(
            std::vector<std::string>{referenceNode(), referenceCli(), "node", "run", "--host", "127.0.0.1",
                                     "--port", std::to_string(port ? port : gw_->port()), "--display-name",
                                     "Test Node"},
            env);
    }
    RunResult referenceCliRun(std::vector<std::string> args) {
        args.insert(args.begin(), {referenceNode(), referenceCli()});
        return run(args, referenceEnv(cliHome_.path()), 90000);
    }
    std::unique_ptr<client::GatewayClient> admin(const std::string& url = "") {
        client::ClientOptions o;
        o.url = url.empty() ? gw_->url() : url;
        o.token = kToken;
        o.scopes = {"operator.admin"};
        auto c = std::make_unique<client::GatewayClient>(o);
        c->connect();
        return c;
    }
    /// Polls node.list until the first node's `connected` is `want` (a bound that catches a hang).
    json::ObjectPtr waitNode(bool want, int timeoutMs = 60000, const std::string& url = "") {
        const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
        while (std::chrono::steady_clock::now() < end) {
            const json::ArrayPtr nodes =
                json::getArray(json::asObject(admin(url)->call("node.list", json::parse("{}"))), "nodes");
            if (nodes && nodes->size() == 1U) {
                json::ObjectPtr n = json::asObject(nodes->get(0));
                if (json::getBool(n, "connected") == want) return n;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(250));
        }
        return nullptr;
    }

    /// The one pending device pairing request (polled; null after a bound that catches a hang).
    json::ObjectPtr pendingRequest() {
        const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (std::chrono::steady_clock::now() < end) {
            const json::ArrayPtr pending = json::getArray(
                json::asObject(admin()->call("device.pair.list", json::parse("{}"))), "pending");
            if (pending && pending->size() == 1U) return json::asObject(pending->get(0));
            std::this_thread::sleep_for(std::chrono::milliseconds(250));
        }
        return nullptr;
    }

    TempDir nodeHome_, cliHome_;
    std::unique_ptr<GatewayUnderTest> gw_;
};

} // namespace

TEST_F(ReferenceNode, TheReferenceNodeHostPairsIsApprovedAndRunsCommandsThroughOurGateway) {
    auto node = startNode(true);
    json::ObjectPtr n = waitNode(true);
    ASSERT_TRUE(n) << "the node host never connected: " << node->err();
    EXPECT_EQ(json::getString(n, "approvalState"), "pending-approval");
    const std::string nodeId = json::getString(n, "nodeId").value_or("");
    const std::string requestId = json::getString(n, "pendingRequestId").value_or("");
    ASSERT_FALSE(requestId.empty()) << json::stringify(n);

    RunResult approved = referenceCliRun({"nodes", "approve", requestId});
    EXPECT_EQ(approved.code, 0) << approved.out << approved.err;
    EXPECT_NE(approved.out.find(nodeId), std::string::npos) << approved.out;

    RunResult which = referenceCliRun({"nodes", "invoke", "--node", nodeId, "--command", "system.which",
                                       "--params", R"({"bins":["sh","nonexistent-bin-xyz"]})", "--json"});
    EXPECT_EQ(which.code, 0) << which.out << which.err;
    EXPECT_NE(which.out.find("\"sh\""), std::string::npos) << which.out;
    EXPECT_EQ(which.out.find("nonexistent-bin-xyz"), std::string::npos) << which.out;

    RunResult echo =
        run({openclawBin(), "gateway", "call", "node.invoke", "--json", "--url", gw_->url(), "--token",
             kToken, "--params",
             R"({"nodeId":")" + nodeId +
                 R"(","command":"system.run","params":{"command":["echo","hi"]},"idempotencyKey":"run-1"})"},
            gw_->env());
    EXPECT_EQ(echo.code, 0) << echo.out << echo.err;
    EXPECT_NE(echo.out.find(R"("stdout": "hi\n")"), std::string::npos) << echo.out;
    RunResult theirs = referenceCliRun(
        {"gateway", "call", "node.invoke", "--json", "--params",
         R"({"nodeId":")" + nodeId +
             R"(","command":"system.run","params":{"command":["echo","hi"]},"idempotencyKey":"run-2"})"});
    EXPECT_EQ(theirs.code, 0) << theirs.out << theirs.err;
    EXPECT_NE(theirs.out.find(R"("stdout": "hi\n")"), std::string::npos) << theirs.out;

    node->stop(9);
    ASSERT_TRUE(waitNode(false));
    RunResult gone = referenceCliRun(
        {"nodes", "invoke", "--node", nodeId, "--command", "system.which", "--params", R"({"bins":["sh"]})"});
    EXPECT_EQ(gone.code, 1);
    EXPECT_NE((gone.out + gone.err).find("node not connected"), std::string::npos) << gone.out << gone.err;

    // Without the shared token the node host uses the device token our gateway handed it.
    node = startNode(false);
    ASSERT_TRUE(waitNode(true)) << "no reconnect with the device token alone: " << node->err();

    // A rotation closes it 4001; its old token is then refused and it waits for an operator.
    json::ObjectPtr rotated = json::asObject(admin()->call(
        "device.token.rotate", json::parse(R"({"deviceId":")" + nodeId + R"(","role":"node"})")));
    EXPECT_EQ(json::getString(rotated, "tokenDelivery"), "withheld-cross-device");
    EXPECT_TRUE(waitNode(false, 20000));
    std::this_thread::sleep_for(std::chrono::seconds(3));
    EXPECT_FALSE(json::getBool(waitNode(false, 5000), "connected").value_or(true)) << "it stays out";
    node->stop();
    EXPECT_NE(node->err().find("AUTH_DEVICE_TOKEN_MISMATCH"), std::string::npos) << node->err();

    // Restarted with the shared token it is handed the new token; a revocation then closes it 4001 and its
    // next connect is a role upgrade, never approved silently (it waits for an operator).
    node = startNode(true);
    ASSERT_TRUE(waitNode(true)) << node->err();
    json::ObjectPtr revoked = json::asObject(admin()->call(
        "device.token.revoke", json::parse(R"({"deviceId":")" + nodeId + R"(","role":"node"})")));
    EXPECT_GT(json::getInt(revoked, "revokedAtMs").value_or(0), 0);
    EXPECT_TRUE(waitNode(false, 20000));
    json::ArrayPtr pending;
    for (int i = 0; i < 120 && !(pending && pending->size() == 1U); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
        pending =
            json::getArray(json::asObject(admin()->call("device.pair.list", json::parse("{}"))), "pending");
    }
    ASSERT_TRUE(pending && pending->size() == 1U) << node->err();
    json::ObjectPtr request = json::asObject(pending->get(0));
    EXPECT_EQ(json::getString(request, "deviceId"), nodeId);
    EXPECT_EQ(json::getBool(request, "isRepair"), true);
    EXPECT_FALSE(json::getBool(waitNode(false, 3000), "connected").value_or(true)) << "not approved silently";
    node->stop();
    // The node host words it as the error code or as its own "role upgrade pending approval (requestId: …)".
    const std::string said = node->err();
    EXPECT_TRUE(said.find("PAIRING_REQUIRED") != std::string::npos ||
                said.find("role upgrade pending approval") != std::string::npos)
        << said;
}

// With autoApproveLocal off the node host is refused (PAIRING_REQUIRED) and waits; the reference's
// `devices approve` approves it through our gateway (retrying with operator.admin, as it does against its
// own), and the restarted node host connects; removed, it asks again and our `devices approve` approves it.
TEST_F(ReferenceNode, WithoutSilentPairingTheReferenceCliApprovesTheNodeHost) {
    auto node = startNode(true);
    json::ObjectPtr request = pendingRequest();
    ASSERT_TRUE(request) << node->err();
    const std::string requestId = json::getString(request, "requestId").value_or("");
    const std::string deviceId = json::getString(request, "deviceId").value_or("");
    RunResult listed = referenceCliRun({"devices", "list", "--json"});
    EXPECT_EQ(listed.code, 0) << listed.err;
    EXPECT_NE(listed.out.find(requestId), std::string::npos) << listed.out;
    RunResult approved = referenceCliRun({"devices", "approve", requestId});
    EXPECT_EQ(approved.code, 0) << approved.out << approved.err;
    EXPECT_NE(approved.out.find("Approved"), std::string::npos) << approved.out;
    node->stop();
    EXPECT_NE(node->err().find("PAIRING_REQUIRED"), std::string::npos) << node->err();
    node = startNode(true);
    EXPECT_TRUE(waitNode(true)) << node->err();
    node->stop();

    // Removed with our CLI, it asks again; our `devices approve` approves it as the reference's did.
    RunResult removed = run(
        {openclawBin(), "devices", "remove", deviceId, "--url", gw_->url(), "--token", kToken}, gw_->env());
    EXPECT_EQ(removed.out, "Removed " + deviceId + "\n") << removed.err;
    node = startNode(true);
    request = pendingRequest();
    ASSERT_TRUE(request) << node->err();
    const std::string again = json::getString(request, "requestId").value_or("");
    RunResult ours =
        run({openclawBin(), "devices", "approve", again, "--url", gw_->url(), "--token", kToken}, gw_->env());
    EXPECT_EQ(ours.code, 0) << ours.out << ours.err;
    EXPECT_EQ(ours.out, "Approved " + deviceId + " (" + again + ")\n") << ours.err;
    node->stop();
    node = startNode(true);
    EXPECT_TRUE(waitNode(true)) << node->err();
    node->stop();
}

// `openclaw devices import`: the reference gateway pairs its own node host (silently, on loopback) and is
// stopped; our `devices import` reads its state database, and the node host, restarted against our gateway
// without the shared token, connects with the device token the reference handed it — no pairing again.
TEST_F(ReferenceNode, DevicesImportKeepsTheReferencesPairedNodeHost) {
    TempDir refHome;
    const int refPort = freePort();
    ChildProcess reference({referenceNode(), referenceCli(), "gateway", "run", "--allow-unconfigured",
                            "--port", std::to_string(refPort), "--token", kToken, "--bind", "loopback"},
                           referenceEnv(refHome.path()));
    for (int i = 0; i < 1800 && httpGet(refPort, "/readyz").first != 200 && reference.running(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ASSERT_EQ(httpGet(refPort, "/readyz").first, 200) << reference.err();
    const std::string refUrl = "ws://127.0.0.1:" + std::to_string(refPort);
    auto node = startNode(true, refPort);
    json::ObjectPtr n = waitNode(true, 60000, refUrl);
    ASSERT_TRUE(n) << "the node host never connected to the reference: " << node->err();
    const std::string nodeId = json::getString(n, "nodeId").value_or("");
    node->stop();
    EXPECT_EQ(reference.stop(SIGTERM, 30000), 0) << reference.err();

    RunResult imported = run({openclawBin(), "devices", "import", "--from",
                              refHome.path() + "/.openclaw/state/openclaw.sqlite", "--json", "--url",
                              gw_->url(), "--token", kToken},
                             gw_->env());
    ASSERT_EQ(imported.code, 0) << imported.out << imported.err;
    EXPECT_NE(imported.out.find(nodeId), std::string::npos) << imported.out;

    node = startNode(false);
    n = waitNode(true);
    ASSERT_TRUE(n) << "the imported node host did not connect with its device token: " << node->err();
    EXPECT_EQ(json::getString(n, "nodeId"), nodeId);
    json::ObjectPtr listed = json::asObject(admin()->call("device.pair.list", json::parse("{}")));
    const json::ArrayPtr pending = json::getArray(listed, "pending");
    EXPECT_TRUE(pending && pending->size() == 0U) << "no pairing asked again: " << json::stringify(listed);
    node->stop();
}
