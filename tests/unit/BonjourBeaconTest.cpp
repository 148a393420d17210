// The bonjour plugin's pure parts: names, the TXT record (written and read back, bounded), the wide-area
// zone in the reference's format, and the discover JSON of a found beacon.
#include "Beacon.hpp"

#include <gtest/gtest.h>

using namespace openclaw::bonjour;

namespace {

TEST(BonjourBeacon, InstanceNamesFollowTheReferencesRules) {
    EXPECT_EQ(instanceName("vm"), "vm (OpenClaw)");
    EXPECT_EQ(instanceName("  "), "OpenClaw");
    EXPECT_EQ(instanceName("my-openclaw-box"), "my-openclaw-box") << "already says openclaw";
    const std::string longName(70, 'a');
    EXPECT_EQ(instanceName(longName).size(), 63u);
    // 62 ASCII bytes then a 3-byte character: cut before it, never inside it.
    const std::string utf8 = std::string(61, 'b') + "\xE2\x82\xAC" + "OpenClaw";
    const std::string cut = instanceName(utf8);
    EXPECT_LE(cut.size(), 63u);
    EXPECT_EQ(cut, std::string(61, 'b'));
    EXPECT_EQ(displayName("vm (OpenClaw)"), "vm");
    EXPECT_EQ(displayName("OpenClaw"), "OpenClaw");
}

TEST(BonjourBeacon, TheHostLabelComesFromTheEnvironmentElseAValidHostname) {
    EXPECT_EQ(hostLabel("", "vm.example.com"), "vm");
    EXPECT_EQ(hostLabel("", "gw.local"), "gw");
    EXPECT_EQ(hostLabel("", "bad_host"), "openclaw");
    EXPECT_EQ(hostLabel("studio.local", "vm"), "studio");
    EXPECT_EQ(dnsLabel("My Host!!", "x"), "my-host");
    EXPECT_EQ(dnsLabel("***", "openclaw-gw"), "openclaw-gw");
}

TEST(BonjourBeacon, MinimalAndFullTxtAndTheirWireForm) {
    BeaconFacts f;
    f.gatewayPort = 18790;
    f.gatewayTls = true;
    f.gatewayTlsSha256 = "ab12";
    f.tailnetDns = "gw-host.tail4e2a7c.ts.net";
    f.cliPath = "/usr/bin/openclaw";
    f.sshPort = 2222;
    auto minimal = txtEntries(f, "vm (OpenClaw)", "vm.local");
    const std::map<std::string, std::string> m(minimal.begin(), minimal.end());
    EXPECT_EQ(m.at("role"), "gateway");
    EXPECT_EQ(m.at("transport"), "gateway");
    EXPECT_EQ(m.at("displayName"), "vm");
    EXPECT_EQ(m.at("lanHost"), "vm.local");
    EXPECT_EQ(m.at("gatewayPort"), "18790");
    EXPECT_EQ(m.at("gatewayTls"), "1");
    EXPECT_EQ(m.at("gatewayTlsSha256"), "ab12");
    EXPECT_EQ(m.count("sshPort") + m.count("cliPath") + m.count("tailnetDns"), 0u)
        << "minimal leaves them out";
    f.mdnsMode = "full";
    auto full = txtEntries(f, "vm (OpenClaw)", "vm.local");
    const std::map<std::string, std::string> expected(full.begin(), full.end());
    EXPECT_EQ(parseTxtRecord(txtRecord(full)), expected);
    const std::map<std::string, std::string> fm(full.begin(), full.end());
    EXPECT_EQ(fm.at("sshPort"), "2222");
    EXPECT_EQ(fm.at("cliPath"), "/usr/bin/openclaw");
    EXPECT_EQ(fm.at("tailnetDns"), "gw-host.tail4e2a7c.ts.net");
}

TEST(BonjourBeacon, UntrustedTxtIsBounded) {
    EXPECT_TRUE(parseTxtRecord(std::string("\x0a"
                                           "role=gate"))
                    .empty())
        << "a length past the end stops the parse";
    std::string many;
    for (int i = 0; i < 100; ++i) {
        const std::string item = "k" + std::to_string(i) + "=v";
        many += static_cast<char>(item.size()) + item;
    }
    size_t skipped = 0;
    EXPECT_EQ(parseTxtRecord(many, &skipped).size(), 64u);
    EXPECT_EQ(skipped, 36u) << "the excess is counted (the plugin logs it at debug level)";
    EXPECT_EQ(parseTxtRecord(std::string("\x01=\x04solo", 7)),
              (std::map<std::string, std::string>{{"solo", ""}}));
}

TEST(BonjourBeacon, TheZoneIsTheReferencesFormatAndItsHashIgnoresTheSerial) {
    BeaconFacts f;
    f.gatewayPort = 18789;
    f.tailnetIPv4 = "100.101.42.7";
    f.tailnetDns = "gw-host.tail4e2a7c.ts.net";
    const std::string body = zoneBody(f, "openclaw.internal.", "vm", "2026112601");
    EXPECT_EQ(body,
              "$ORIGIN openclaw.internal.\n"
              "$TTL 60\n"
              "@ IN SOA ns1 hostmaster 2026112601 7200 3600 1209600 60\n"
              "@ IN NS ns1\n"
              "ns1 IN A 100.101.42.7\n"
              "vm IN A 100.101.42.7\n"
              "_openclaw-gw._tcp IN PTR vm-gateway._openclaw-gw._tcp\n"
              "vm-gateway._openclaw-gw._tcp IN SRV 0 0 18789 vm\n"
              "vm-gateway._openclaw-gw._tcp IN TXT \"displayName=vm\" \"role=gateway\" \"transport=gateway\" "
              "\"gatewayPort=18789\" \"tailnetDns=gw-host.tail4e2a7c.ts.net\"\n");
    EXPECT_EQ(zoneHash(body, "2026112601"),
              zoneHash(zoneBody(f, "openclaw.internal.", "vm", "2026112602"), "2026112602"));
    f.gatewayPort = 18790;
    EXPECT_NE(zoneHash(body, "2026112601"),
              zoneHash(zoneBody(f, "openclaw.internal.", "vm", "2026112601"), "2026112601"));
    EXPECT_EQ(nextSerial("20261126", ""), "2026112601");
    EXPECT_EQ(nextSerial("20261126", "2026112601"), "2026112602");
    EXPECT_EQ(nextSerial("20261127", "2026112609"), "2026112701");
}

TEST(BonjourBeacon, AFoundBeaconsJsonHasTheReferencesKeysAndAWsUrlFromTheSrv) {
    FoundBeacon b;
    b.instanceName = "vm (OpenClaw)";
    b.domain = "local.";
    b.host = "vm.local";
    b.port = 18790;
    b.txt = {{"displayName", "vm"},        {"gatewayPort", "18790"}, {"gatewayTls", "1"},
             {"gatewayTlsSha256", "ab12"}, {"lanHost", "vm.local"},  {"sshPort", "not a number"}};
    const std::string j = foundBeaconJson(b);
    EXPECT_NE(j.find(R"("wsUrl":"wss://vm.local:18790")"), std::string::npos) << j;
    EXPECT_NE(j.find(R"("gatewayTlsFingerprintSha256":"ab12")"), std::string::npos) << j;
    EXPECT_NE(j.find(R"("gatewayPort":18790)"), std::string::npos) << j;
    EXPECT_EQ(j.find(R"("sshPort")"), j.rfind(R"("sshPort")"))
        << "only in txt: a malformed number is left out: " << j;
    b.host.clear();
    EXPECT_NE(foundBeaconJson(b).find(R"("wsUrl":null)"), std::string::npos) << "no SRV host, no URL";
    EXPECT_EQ(unescapeLabel("vm\\032\\040OpenClaw\\041"), "vm (OpenClaw)");
}

} // namespace
