// The node command policy (reference/nodes-and-devices.md §3.2, §3.5).
#include "NodePolicy.hpp"

#include <gtest/gtest.h>

using namespace openclaw::devices;

TEST(NodePolicy, ASurfaceKeepsWhatTheReferenceKeepsForALinuxNodeHost) {
    // The reference's node host offer and what the reference kept (transcripts/nodes run 1).
    const Surface s = surfaceOf({"browser", "file", "local-inference", "mcp", "system"},
                                {"browser.proxy",
                                 "browser.proxy.upload.v1",
                                 "desktop.stream",
                                 "dir.fetch",
                                 "dir.list",
                                 "file.create",
                                 "file.fetch",
                                 "file.stat",
                                 "file.write",
                                 "fs.listDir",
                                 "mcp.tools.call.v1",
                                 "ollama.chat",
                                 "ollama.models",
                                 "system.execApprovals.get",
                                 "system.execApprovals.set",
                                 "system.run",
                                 "system.run.prepare",
                                 "system.which",
                                 "terminal.upload",
                                 "workspace.memory",
                                 "workspace.skills"},
                                {});
    EXPECT_EQ(s.caps, (std::vector<std::string>{"browser", "local-inference", "mcp", "system"}));
    EXPECT_EQ(s.commands,
              (std::vector<std::string>{"browser.proxy", "browser.proxy.upload.v1", "desktop.stream",
                                        "fs.listDir", "mcp.tools.call.v1", "ollama.chat", "ollama.models",
                                        "system.execApprovals.get", "system.execApprovals.set", "system.run",
                                        "system.run.prepare", "system.which", "terminal.upload"}));
    EXPECT_EQ(s.withheld.size(), 8U);
}

TEST(NodePolicy, DenyWinsDangerousNeedsAllowDesktopNeedsApproval) {
    CommandConfig config;
    EXPECT_FALSE(allowedNow("camera.snap", {"camera.snap"}, config));
    config.allow.insert("camera.snap");
    EXPECT_TRUE(allowedNow("camera.snap", {}, config));
    config.deny.insert("camera.snap");
    EXPECT_FALSE(allowedNow("camera.snap", {}, config));
    EXPECT_FALSE(offerable("camera.snap", config));
    EXPECT_FALSE(allowedNow("system.run", {}, config));
    EXPECT_TRUE(allowedNow("system.run", {"system.run"}, config));
    EXPECT_TRUE(allowedNow("system.notify", {}, config));
    EXPECT_EQ(notAllowedWhy("camera.snap", "linux", config),
              "\"camera.snap\" is blocked by gateway.nodes.commands.deny");
    EXPECT_EQ(notAllowedWhy("sms.send", "linux", {}),
              "\"sms.send\" requires explicit gateway.nodes.commands.allow opt-in");
}

TEST(NodePolicy, ApprovalAndInvokeScopes) {
    EXPECT_EQ(requiredApproveScopes({}), std::vector<std::string>{"operator.pairing"});
    EXPECT_EQ(requiredApproveScopes({"system.notify"}),
              (std::vector<std::string>{"operator.pairing", "operator.write"}));
    EXPECT_EQ(requiredApproveScopes({"system.notify", "system.which"}),
              (std::vector<std::string>{"operator.pairing", "operator.admin"}));
    EXPECT_EQ(invokeScope("fs.listDir"), "operator.admin");
    EXPECT_EQ(invokeScope("system.run"), "operator.write");
}
