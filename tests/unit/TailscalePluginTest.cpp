// The tailscale plugin's logic: its pure parts (tailscale's outputs, the kernel's socket table, the whois
// cache) and the plugin itself on the SDK's fake host, with tailscale's answers scripted per command line.
// The process-level behaviour (a STAND-IN tailscale on PATH, a real gateway) is in
// tests/integration/TailscaleStandInTest.cpp.
#include "IdentityCheck.hpp"
#include "TailscaleFacts.hpp"

#include "openclaw/testing/FakeHost.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fstream>
#include <netinet/in.h>
#include <sstream>
#include <sys/socket.h>
#include <unistd.h>

using namespace openclaw::tailscale;
using openclaw::testing::FakeHost;
using openclaw::testing::ScriptedProcess;

namespace {

const std::string kRunning = R"({
  "Version": "1.102.3-t8b2832fff-g809129d48",
  "BackendState": "Running",
  "TailscaleIPs": ["100.101.42.7", "fd7a:115c:a1e0::6b01:2a07"],
  "Self": {
    "HostName": "gw-host",
    "DNSName": "gw-host.tail4e2a7c.ts.net.",
    "TailscaleIPs": ["fd7a:115c:a1e0::6b01:2a07", "100.101.42.7"],
    "Online": true
  },
  "Health": []
})";

const std::string kNeedsLogin = R"({"BackendState": "NeedsLogin", "TailscaleIPs": null,
  "Self": {"HostName": "gw-host", "DNSName": "", "TailscaleIPs": null}, "Peer": null})";

TEST(TailscaleFacts, StatusGivesTheNameWithoutItsDotAndTheIpv4EvenWithNoiseAround) {
    const auto s =
        parseStatus("Warning: client version \"1.102.3\" != tailscaled server version \"1.100.0\"\n" +
                    kRunning + "\ntrailing words");
    ASSERT_TRUE(s);
    EXPECT_EQ(s->backendState, "Running");
    EXPECT_EQ(s->dnsName, "gw-host.tail4e2a7c.ts.net");
    EXPECT_EQ(s->ipv4(), "100.101.42.7");
    EXPECT_EQ(s->host(), "gw-host.tail4e2a7c.ts.net");
}

TEST(TailscaleFacts, ALoggedOutNodeHasNoNameAndNoAddressAndTextIsNotAStatus) {
    const auto s = parseStatus(kNeedsLogin);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->backendState, "NeedsLogin");
    EXPECT_EQ(s->host(), "");
    EXPECT_EQ(s->ipv4(), "");
    EXPECT_FALSE(parseStatus("failed to connect to local tailscaled"));
    EXPECT_FALSE(parseStatus("{not json}"));
    EXPECT_FALSE(parseStatus("[1,2]"));
}

TEST(TailscaleFacts, TheHostIsTheFirstAddressWhenThereIsNoDnsName) {
    const auto s = parseStatus(R"({"Self":{"DNSName":"","TailscaleIPs":["100.64.0.9"]}})");
    ASSERT_TRUE(s);
    EXPECT_EQ(s->host(), "100.64.0.9");
}

TEST(TailscaleFacts, WhoisGivesTheLoginName) {
    EXPECT_EQ(parseWhoisLogin(R"({"Node":{"ID":1},"UserProfile":{"ID":5,"LoginName":"alice@example.com"}})"),
              "alice@example.com");
    EXPECT_FALSE(parseWhoisLogin(R"({"Node":{"ID":1}})"));
    EXPECT_FALSE(parseWhoisLogin("peer not found"));
}

TEST(TailscaleFacts, AnEarlierGatewayRouteIsTheSoleRootHandlerToItsPort) {
    const std::string ours =
        R"({"TCP":{"443":{"HTTPS":true}},"Web":{"gw.ts.net:443":{"Handlers":{"/":{"Proxy":"http://127.0.0.1:18789"}}}}})";
    EXPECT_TRUE(hasGatewayRoute(ours, 18789));
    EXPECT_FALSE(hasGatewayRoute(ours, 18790)) << "another port's route is not ours to remove";
    EXPECT_FALSE(hasGatewayRoute(
        R"({"Web":{"gw.ts.net:443":{"Handlers":{"/":{"Proxy":"http://127.0.0.1:18789"},"/x":{"Path":"/srv"}}}}})",
        18789))
        << "a root shared with other handlers was not made by a gateway";
    EXPECT_FALSE(hasGatewayRoute(
        R"({"Web":{"gw.ts.net:8443":{"Handlers":{"/":{"Proxy":"http://127.0.0.1:18789"}}}}})", 18789));
    EXPECT_FALSE(hasGatewayRoute("{}", 18789));
}

TEST(TailscaleFacts, PermissionErrorsAreClassifiedAsTheReferenceDoes) {
    EXPECT_TRUE(
        isPermissionError("sending serve config: Access denied: serve config denied\n\nUse 'sudo …'"));
    EXPECT_TRUE(isPermissionError("open /var/lib/tailscale: Permission denied"));
    EXPECT_TRUE(isPermissionError("this command must be run as root"));
    EXPECT_FALSE(isPermissionError("Logged out.\nLog in at: https://login.tailscale.com/a/1"));
    EXPECT_TRUE(isSudoPromptFailure("sudo: a password is required\n"));
    EXPECT_TRUE(isSudoPromptFailure("something\nsudo: a terminal is required to read the password"));
    EXPECT_FALSE(isSudoPromptFailure("sudo: tailscale: command not found"));
}

TEST(TailscaleIdentity, TheHeadersSayWhatIsClaimed) {
    using K = IdentityClaim::Kind;
    EXPECT_EQ(readClaim({}).kind, K::None);
    EXPECT_EQ(readClaim({{"x-forwarded-for", "100.88.14.93"}}).kind, K::IdentityMissing);
    EXPECT_EQ(readClaim({{"tailscale-user-login", "alice@example.com"}}).kind, K::ProxyMissing);
    const IdentityClaim c = readClaim({{"tailscale-user-login", "alice@example.com"},
                                       {"x-forwarded-for", "100.88.14.93, 10.0.0.1"},
                                       {"x-forwarded-proto", "https"},
                                       {"x-forwarded-host", "gw-host.tail4e2a7c.ts.net"}});
    EXPECT_EQ(c.kind, K::Complete);
    EXPECT_EQ(c.login, "alice@example.com");
    EXPECT_EQ(c.clientIp, "100.88.14.93");
}

std::string readProc(const char* path) {
    std::ifstream in(path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

TEST(TailscaleIdentity, TheKernelsSocketTableNamesTheOwnerOfThePeersSocket) {
    int server = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(server, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    ASSERT_EQ(::listen(server, 1), 0);
    socklen_t len = sizeof a;
    ::getsockname(server, reinterpret_cast<sockaddr*>(&a), &len);
    int client = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_EQ(::connect(client, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    sockaddr_in c{};
    len = sizeof c;
    ::getsockname(client, reinterpret_cast<sockaddr*>(&c), &len);
    const int serverPort = ntohs(a.sin_port);
    const int clientPort = ntohs(c.sin_port);
    // The client's socket: local end = the client's address, remote end = the server's.
    EXPECT_EQ(socketOwner(readProc("/proc/net/tcp"), "127.0.0.1", clientPort, "127.0.0.1", serverPort),
              ::getuid());
    EXPECT_FALSE(
        socketOwner(readProc("/proc/net/tcp"), "127.0.0.1", clientPort, "127.0.0.1", serverPort + 1));
    EXPECT_FALSE(socketOwner("garbage\nlines that are\nnot a table", "127.0.0.1", 1, "127.0.0.1", 2));
    ::close(client);
    ::close(server);
}

TEST(TailscaleIdentity, WhoisAnswersAreKeptSixtySecondsAndFailuresFive) {
    WhoisCache cache;
    const auto t0 = WhoisCache::Clock::now();
    cache.put("100.88.14.93", {true, "alice@example.com", ""}, t0);
    cache.put("100.88.14.94", {false, "", "peer not found"}, t0);
    EXPECT_TRUE(cache.find("100.88.14.93", t0 + std::chrono::seconds(59)));
    EXPECT_TRUE(cache.find("100.88.14.94", t0 + std::chrono::seconds(4)));
    EXPECT_FALSE(cache.find("100.88.14.94", t0 + std::chrono::seconds(6)));
    EXPECT_FALSE(cache.find("100.88.14.93", t0 + std::chrono::seconds(61)));
}

// ---- the plugin on the fake host ----

const std::string kPlugin = std::string(OPENCLAW_BUNDLED_PLUGIN_DIR) + "/tailscale/tailscale.so";

std::vector<std::string> commandLines(const FakeHost& host) {
    std::vector<std::string> lines;
    for (const auto& r : host.processRequests()) {
        std::string line;
        for (const auto& a : r.argv)
            line += (line.empty() ? "" : " ") + a;
        lines.push_back(line);
    }
    return lines;
}

bool logged(const FakeHost& host, const std::string& text) {
    for (const auto& l : host.logs())
        if (l.message.find(text) != std::string::npos) return true;
    return false;
}

class TailscaleOnFakeHost : public ::testing::Test {
  protected:
    void SetUp() override {
        host_.scriptCommand("tailscale status --json", {0, 0, false, kRunning, ""});
        host_.scriptCommand("tailscale serve status --json", {0, 0, false, "{}\n", ""});
    }
    FakeHost host_{kPlugin};
};

TEST_F(TailscaleOnFakeHost, ServeRunsTheClassicCommandsAndReportsTheTailnetName) {
    host_.create(R"({"binary":"tailscale"})");
    const std::string status = host_.exposureStart(R"({"port":18790,"mode":"serve","resetOnExit":true})");
    EXPECT_EQ(commandLines(host_),
              (std::vector<std::string>{"tailscale version", "tailscale serve status --json",
                                        "tailscale serve --bg --yes 18790", "tailscale status --json"}));
    EXPECT_NE(status.find(R"("dnsName":"gw-host.tail4e2a7c.ts.net")"), std::string::npos) << status;
    EXPECT_NE(status.find(R"("publicUrl":"https://gw-host.tail4e2a7c.ts.net/")"), std::string::npos)
        << status;
    EXPECT_NE(status.find(R"("address":"100.101.42.7")"), std::string::npos) << status;
    EXPECT_TRUE(logged(
        host_, "serve enabled: https://gw-host.tail4e2a7c.ts.net/ (WS via wss://gw-host.tail4e2a7c.ts.net)"));
    host_.exposureStop();
    EXPECT_EQ(commandLines(host_).back(), "tailscale serve reset");
}

TEST_F(TailscaleOnFakeHost, AnEarlierRouteForThePortIsRemovedBeforeOursIsAdded) {
    host_.scriptCommand(
        "tailscale serve status --json",
        {0, 0, false,
         R"({"Web":{"gw-host.tail4e2a7c.ts.net:443":{"Handlers":{"/":{"Proxy":"http://127.0.0.1:18790"}}}}})",
         ""});
    host_.create(R"({"binary":"tailscale"})");
    host_.exposureStart(R"({"port":18790,"mode":"funnel","resetOnExit":false})");
    const auto lines = commandLines(host_);
    ASSERT_GE(lines.size(), 4u);
    EXPECT_EQ(lines[2], "tailscale serve --yes --https=443 --set-path=/ off");
    EXPECT_EQ(lines[3], "tailscale funnel --bg --yes 18790");
    host_.exposureStop();
    EXPECT_EQ(commandLines(host_).back(), "tailscale funnel --yes --https=443 --set-path=/ off")
        << "without reset on exit only our route goes";
}

TEST_F(TailscaleOnFakeHost, APermissionErrorIsRetriedWithSudoAndAPasswordPromptExplainsItself) {
    const std::string denied =
        "sending serve config: Access denied: serve config denied\n\nUse 'sudo tailscale "
        "serve --bg --yes 18790'.\n";
    host_.scriptCommand("tailscale serve --bg", {1, 0, false, "", denied});
    host_.create(R"({"binary":"tailscale"})");
    host_.exposureStart(R"({"port":18790,"mode":"serve"})");
    EXPECT_EQ(commandLines(host_)[3], "sudo -n tailscale serve --bg --yes 18790");

    host_.scriptCommand("sudo -n tailscale serve --bg", {1, 0, false, "", "sudo: a password is required\n"});
    try {
        host_.exposureStart(R"({"port":18790,"mode":"serve"})");
        FAIL() << "a refused sudo must fail the start";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(
            std::string(e.what()).find(
                "Tailscale serve needs elevated access and non-interactive sudo failed: sudo: a password is "
                "required. Run `sudo tailscale set --operator=$USER` once so the unprivileged path "
                "succeeds."),
            std::string::npos)
            << e.what();
    }
}

TEST_F(TailscaleOnFakeHost, ALoggedOutNodeFailsTheStartWithTailscalesWords) {
    host_.scriptCommand("tailscale serve --bg",
                        {1, 0, false, "", "Logged out.\nLog in at: https://login.tailscale.com/a/1f\n"});
    host_.create(R"({"binary":"tailscale"})");
    EXPECT_THROW(host_.exposureStart(R"({"port":18790,"mode":"serve"})"), std::runtime_error);
    EXPECT_NE(host_.exposureStatus().find("Logged out."), std::string::npos) << host_.exposureStatus();
}

/// A loopback connection of this process, for the identity check's socket-owner test.
struct LoopbackPair {
    int server = -1, client = -1, serverPort = 0, clientPort = 0;
    LoopbackPair() {
        server = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(server, reinterpret_cast<sockaddr*>(&a), sizeof a);
        ::listen(server, 1);
        socklen_t len = sizeof a;
        ::getsockname(server, reinterpret_cast<sockaddr*>(&a), &len);
        client = ::socket(AF_INET, SOCK_STREAM, 0);
        ::connect(client, reinterpret_cast<sockaddr*>(&a), sizeof a);
        sockaddr_in c{};
        len = sizeof c;
        ::getsockname(client, reinterpret_cast<sockaddr*>(&c), &len);
        serverPort = ntohs(a.sin_port);
        clientPort = ntohs(c.sin_port);
    }
    ~LoopbackPair() {
        ::close(client);
        ::close(server);
    }
    /// An auth request as the gateway sends it for a connect on this connection.
    std::string request(const std::string& login, const std::string& auth = "{}",
                        bool loopback = true) const {
        return R"({"mode":"token","auth":)" + auth + R"(,"remoteAddress":"127.0.0.1","remotePort":)" +
               std::to_string(clientPort) + R"(,"isLoopback":)" + (loopback ? "true" : "false") +
               R"(,"localAddress":"127.0.0.1","localPort":)" + std::to_string(serverPort) +
               R"(,"headers":{"tailscale-user-login":")" + login +
               R"(","x-forwarded-for":"100.88.14.93","x-forwarded-proto":"https","x-forwarded-host":"gw-host.tail4e2a7c.ts.net"}})";
    }
};

const std::string kWhois = R"({"Node":{"ID":1},"UserProfile":{"ID":5,"LoginName":"Alice@Example.com"}})";

class TailscaleIdentityOnFakeHost : public TailscaleOnFakeHost {
  protected:
    void createWith(const std::string& tailscaledUser) {
        host_.setConfig("gateway", R"({"auth":{"mode":"token","allowTailscale":true}})");
        host_.create(R"({"binary":"tailscale","tailscaledUser":")" + tailscaledUser + "\"}");
    }
    std::string me() const { return std::to_string(::getuid()); }
    LoopbackPair conn_;
};

TEST_F(TailscaleIdentityOnFakeHost, AMatchingWhoisAcceptsLaterAndIsCached) {
    host_.scriptCommand("tailscale whois --json 100.88.14.93", {0, 0, false, kWhois, ""});
    createWith(me());
    EXPECT_EQ(host_.verify(conn_.request("alice@example.com")), "") << "answered later";
    const uint64_t call = host_.lastDeferred();
    ASSERT_NE(call, 0u);
    EXPECT_FALSE(host_.completion(call)) << "nothing runs until the posted work does";
    host_.runPostedWork();
    ASSERT_TRUE(host_.completion(call));
    EXPECT_EQ(host_.completion(call)->second, R"({"ok":true,"user":"Alice@Example.com"})");
    const size_t processes = host_.processRequests().size();
    EXPECT_EQ(host_.verify(conn_.request("alice@example.com")), R"({"ok":true,"user":"Alice@Example.com"})");
    EXPECT_EQ(host_.processRequests().size(), processes) << "the second answer comes from the cache";
}

TEST_F(TailscaleIdentityOnFakeHost, AMismatchRefusesWithoutCredentialsAndDefersWithThem) {
    host_.scriptCommand("tailscale whois --json 100.88.14.93", {0, 0, false, kWhois, ""});
    createWith(me());
    host_.verify(conn_.request("mallory@example.com"));
    host_.runPostedWork();
    const auto answer = host_.completion(host_.lastDeferred());
    ASSERT_TRUE(answer);
    EXPECT_NE(answer->second.find("AUTH_TAILSCALE_IDENTITY_MISMATCH"), std::string::npos) << answer->second;
    EXPECT_NE(answer->second.find("unauthorized: tailscale identity mismatch"), std::string::npos);
    EXPECT_EQ(host_.verify(conn_.request("mallory@example.com", R"({"token":"T"})")), R"({"defer":true})");
}

TEST_F(TailscaleIdentityOnFakeHost, AFailingWhoisRefusesWithItsCode) {
    host_.scriptCommand("tailscale whois", {1, 0, false, "", "peer not found\n"});
    createWith(me());
    host_.verify(conn_.request("alice@example.com"));
    host_.runPostedWork();
    const auto answer = host_.completion(host_.lastDeferred());
    ASSERT_TRUE(answer);
    EXPECT_NE(answer->second.find("AUTH_TAILSCALE_WHOIS_FAILED"), std::string::npos) << answer->second;
}

TEST_F(TailscaleIdentityOnFakeHost, HeadersAreIgnoredOffLoopbackAndFromAnotherUsersSocket) {
    createWith(me());
    EXPECT_EQ(host_.verify(conn_.request("alice@example.com", "{}", false)), R"({"defer":true})");
    FakeHost other(kPlugin);
    other.setConfig("gateway", R"({"auth":{"allowTailscale":true}})");
    other.create(R"({"binary":"tailscale","tailscaledUser":")" + std::to_string(::getuid() + 1) + "\"}");
    EXPECT_EQ(other.verify(conn_.request("alice@example.com")), R"({"defer":true})");
    EXPECT_TRUE(other.processRequests().empty()) << "no whois for a forged claim";
    EXPECT_TRUE(logged(other, "ignored tailscale identity headers from a local process of uid " + me()));
    EXPECT_TRUE(host_.processRequests().empty());
}

TEST_F(TailscaleIdentityOnFakeHost, WithoutAllowTailscaleEveryConnectIsLeftToTheConfiguredMode) {
    host_.setConfig("gateway", R"({"auth":{"mode":"token","allowTailscale":false}})");
    host_.create(R"({"binary":"tailscale"})");
    EXPECT_EQ(host_.verify(conn_.request("alice@example.com")), R"({"defer":true})");
    EXPECT_TRUE(host_.processRequests().empty());
    EXPECT_FALSE(host_.authCanDecide()) << "so the gateway leaves it out of the auth chain";
}

TEST_F(TailscaleIdentityOnFakeHost, WithAllowTailscaleItStaysInTheChainAndMayBlock) {
    createWith(me());
    EXPECT_TRUE(host_.authCanDecide());
    EXPECT_EQ(host_.authFlags() & OC_AUTH_NEVER_BLOCKS, 0u)
        << "asked on a worker (it reads the socket table)";
}

} // namespace
