// Service backends without a running service manager: the systemd unit text (golden) and the
// `systemctl --user` calls through a GoogleMock command runner (no systemd runs in CI).
#include "Process.h"

#include "service/CommandRunner.h"
#include "service/ServiceManager.h"
#include "service/SystemdUnit.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace openclaw;
using namespace openclaw::service;
using ::testing::_;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::InSequence;
using ::testing::Return;

namespace {

class MockRunner : public CommandRunner {
  public:
    MOCK_METHOD(CommandResult, run, (const std::vector<std::string>& argv), (override));
};

ServiceSpec spec() {
    return makeSpec("/opt/open claw/bin/openclaw", "", "/home/u/.openclaw", "/home/u/.openclaw/openclaw.json",
                    18800, "2026.9.6");
}

CommandResult ok(const std::string& out = "") {
    return {0, out, ""};
}

} // namespace

TEST(SystemdUnit, GoldenText) {
    const std::string expected = R"([Unit]
Description=OpenClaw Gateway
After=network-online.target
Wants=network-online.target
StartLimitBurst=5
StartLimitIntervalSec=60

[Service]
ExecStart="/opt/open claw/bin/openclaw" gateway run --port 18800
Restart=always
RestartSec=5
RestartPreventExitStatus=78
SuccessExitStatus=0 143
TimeoutStopSec=30
KillMode=mixed
EnvironmentFile=-/home/u/.openclaw/service/gateway.env
Environment=OPENCLAW_CONFIG_PATH=/home/u/.openclaw/openclaw.json
Environment=OPENCLAW_GATEWAY_PORT=18800
Environment=OPENCLAW_SERVICE_KIND=gateway
Environment=OPENCLAW_SERVICE_MARKER=openclaw
Environment=OPENCLAW_SERVICE_VERSION=2026.9.6
Environment=OPENCLAW_STATE_DIR=/home/u/.openclaw

[Install]
WantedBy=default.target
)";
    EXPECT_EQ(renderSystemdUnit(spec()), expected);
}

TEST(SystemdUnit, NoSecretIsEverBakedIn) {
    ServiceSpec s = spec();
    std::string unit = renderSystemdUnit(s);
    EXPECT_EQ(unit.find("OPENCLAW_GATEWAY_TOKEN"), std::string::npos);
    EXPECT_EQ(unit.find("OPENCLAW_GATEWAY_PASSWORD"), std::string::npos);
    EXPECT_EQ(systemdQuote("100%"), "100%%");
    EXPECT_EQ(systemdQuote("a\"b"), "\"a\\\"b\"");
    s.env["BAD"] = "x\ny";
    EXPECT_THROW(renderSystemdUnit(s), std::invalid_argument);
}

TEST(SystemdUnit, ProfileNamesTheUnit) {
    EXPECT_EQ(makeSpec("/x", "rescue", "/s", "/c", 1, "v").name, "openclaw-gateway-rescue");
    EXPECT_EQ(makeSpec("/x", "", "/s", "/c", 1, "v").name, "openclaw-gateway");
}

TEST(EnvironmentFile, RoundTripsAndRefusesLineBreaks) {
    auto text = renderEnvironmentFile({{"OPENCLAW_GATEWAY_TOKEN", "t=1"}});
    EXPECT_EQ(parseEnvironmentFile(text).at("OPENCLAW_GATEWAY_TOKEN"), "t=1");
    EXPECT_THROW(renderEnvironmentFile({{"K", "a\nb"}}), std::invalid_argument);
}

TEST(SystemdWithMockedSystemctl, InstallWritesTheUnitReloadsEnablesAndWarnsAboutLinger) {
    test::TempDir dir;
    MockRunner runner;
    {
        InSequence seq;
        EXPECT_CALL(runner, run(ElementsAre("systemctl", "--user", "daemon-reload"))).WillOnce(Return(ok()));
        EXPECT_CALL(runner,
                    run(ElementsAre("systemctl", "--user", "enable", "--now", "openclaw-gateway.service")))
            .WillOnce(Return(ok()));
        EXPECT_CALL(runner, run(ElementsAre("loginctl", "show-user", _, "-p", "Linger")))
            .WillOnce(Return(ok("Linger=no\n")));
    }
    auto m = makeSystemdManager(runner, dir.path() + "/systemd/user", "openclaw-gateway");
    ActionResult r = m->install(spec(), false);
    EXPECT_TRUE(r.ok) << r.error;
    EXPECT_EQ(r.result, "installed");
    EXPECT_EQ(test::readFile(dir.path() + "/systemd/user/openclaw-gateway.service"),
              renderSystemdUnit(spec()));
    ASSERT_EQ(r.hints.size(), 1u);
    EXPECT_THAT(r.hints[0], HasSubstr("loginctl enable-linger"));
}

TEST(SystemdWithMockedSystemctl, InstallTwiceSaysAlreadyInstalledUnlessForced) {
    test::TempDir dir;
    dir.write("user/openclaw-gateway.service", "old");
    MockRunner runner;
    auto m = makeSystemdManager(runner, dir.path() + "/user", "openclaw-gateway");
    EXPECT_CALL(runner, run(_)).Times(0);
    ActionResult r = m->install(spec(), false);
    EXPECT_TRUE(r.ok);
    EXPECT_EQ(r.result, "already-installed");
    EXPECT_EQ(test::readFile(dir.path() + "/user/openclaw-gateway.service"), "old");
    ::testing::Mock::VerifyAndClearExpectations(&runner);
    EXPECT_CALL(runner, run(_)).WillRepeatedly(Return(ok("Linger=yes")));
    EXPECT_EQ(m->install(spec(), true).result, "installed");
    EXPECT_NE(test::readFile(dir.path() + "/user/openclaw-gateway.service"), "old");
}

TEST(SystemdWithMockedSystemctl, LifecycleCallsAndFailures) {
    test::TempDir dir;
    dir.write("user/openclaw-gateway.service", renderSystemdUnit(spec()));
    MockRunner runner;
    auto m = makeSystemdManager(runner, dir.path() + "/user", "openclaw-gateway");
    EXPECT_CALL(runner, run(ElementsAre("systemctl", "--user", "start", "openclaw-gateway.service")))
        .WillOnce(Return(ok()));
    EXPECT_EQ(m->start().result, "started");
    EXPECT_CALL(runner, run(ElementsAre("systemctl", "--user", "restart", "openclaw-gateway.service")))
        .WillOnce(
            Return(CommandResult{1, "", "Failed to restart openclaw-gateway.service: Unit is masked.\n"}));
    ActionResult failed = m->restart();
    EXPECT_FALSE(failed.ok);
    EXPECT_THAT(failed.error, HasSubstr("Unit is masked."));
    EXPECT_CALL(runner, run(ElementsAre("systemctl", "--user", "stop", "openclaw-gateway.service")))
        .WillOnce(Return(ok()));
    EXPECT_EQ(m->stop().result, "stopped");
    EXPECT_CALL(runner, run(ElementsAre("systemctl", "--user", "show", "openclaw-gateway.service", "-p", _)))
        .WillOnce(Return(
            ok("ActiveState=active\nSubState=running\nMainPID=4242\nExecMainStatus=0\n"
               "ActiveEnterTimestamp=Thu 2026-11-26 00:00:00 UTC\nUnitFileState=enabled\nNRestarts=2\n")));
    ServiceStatus s = m->status();
    EXPECT_TRUE(s.installed);
    EXPECT_TRUE(s.loaded);
    EXPECT_TRUE(s.running);
    EXPECT_EQ(s.pid, 4242);
    EXPECT_EQ(s.restarts, 2);
    {
        InSequence seq;
        EXPECT_CALL(runner,
                    run(ElementsAre("systemctl", "--user", "disable", "--now", "openclaw-gateway.service")))
            .WillOnce(Return(ok()));
        EXPECT_CALL(runner, run(ElementsAre("systemctl", "--user", "daemon-reload"))).WillOnce(Return(ok()));
    }
    EXPECT_EQ(m->uninstall().result, "uninstalled");
    EXPECT_TRUE(test::readFile(dir.path() + "/user/openclaw-gateway.service").empty());
    EXPECT_EQ(m->uninstall().result, "not-installed"); // uninstalling nothing is fine
    EXPECT_FALSE(m->start().ok);                       // starting nothing is not
}

TEST(SystemdWithMockedSystemctl, AvailabilityProbe) {
    MockRunner runner;
    EXPECT_CALL(runner, run(ElementsAre("systemctl", "--user", "show-environment")))
        .WillOnce(Return(CommandResult{1, "", "Failed to connect to bus"}))
        .WillOnce(Return(ok("HOME=/root")));
    EXPECT_FALSE(systemdUserAvailable(runner));
    EXPECT_TRUE(systemdUserAvailable(runner));
}
