// The systemd unit text (golden), its quoting, and the environment file. The `systemctl --user` calls
// themselves are tested through the real CLI with stand-in scripts (integration/ServiceStandInTest).
#include "Process.h"

#include "service/SystemdUnit.h"

#include <gtest/gtest.h>

using namespace openclaw;
using namespace openclaw::service;

namespace {

ServiceSpec spec() {
    return makeSpec("/opt/open claw/bin/openclaw", "", "/home/u/.openclaw", "/home/u/.openclaw/openclaw.json",
                    18800, "2026.9.6");
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

// (That no token reaches the unit is tested where a token is given: ServiceStandInTest.)
TEST(SystemdUnit, QuotesSpecialCharactersAndRefusesLineBreaks) {
    ServiceSpec s = spec();
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
