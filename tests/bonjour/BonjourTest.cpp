// The bonjour plugin against a real avahi-daemon (and dbus) that this test starts on the loopback interface
// (recipe: ../shared/reference/dependencies.md §3), and a real nsd serving the wide-area zone we wrote
// (§4b): our beacon seen by avahi-browse in minimal and full mode, a beacon of avahi-publish found by our
// `gateway discover`, a name conflict renamed, the beacon back after avahi-daemon restarts, no removal
// across SIGUSR1, the reference CLI finding ours, and the wide-area zone served and browsed.
// Each test process runs in a mount and network namespace of its own with its own dbus-daemon and
// avahi-daemon (tests/support/PrivateNamespaceMain.cpp): the machine's daemons are never seen or touched,
// and the tests can run in parallel.
#include "Process.h"
#include "Reference.h"
#include "SshServer.h"

#include "json/Json.h"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <sstream>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <thread>
#include <unistd.h>

using namespace openclaw;
using namespace openclaw::test;

namespace {

bool systemBusAnswers() {
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::snprintf(a.sun_path, sizeof a.sun_path, "/run/dbus/system_bus_socket");
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(fd);
    return ok;
}

/// Waits until `text` is in what `p` printed (or it exits, or the bound runs out).
bool printed(ChildProcess& p, const std::string& text, int timeoutMs) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (std::chrono::steady_clock::now() < deadline && p.running() &&
           (p.out() + p.err()).find(text) == std::string::npos)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    return (p.out() + p.err()).find(text) != std::string::npos;
}

/// The system bus and avahi-daemon of this test's own namespaces (PrivateNamespaceMain.cpp gives the test
/// an empty /run and a loopback of its own), both children of the test, stopped when it ends. The
/// machine's own daemons are never seen here, so every test starts, restarts and stops only its own.
class Avahi {
  public:
    Avahi() {
        startBus();
        if (failure_.empty()) start();
    }
    ~Avahi() {
        stop();
        if (bus_ && bus_->running()) bus_->stop(SIGTERM, 10000);
    }
    Avahi(const Avahi&) = delete;
    Avahi& operator=(const Avahi&) = delete;

    /// Why the bus or avahi-daemon could not be started: a failure, never a skip.
    const std::string& failure() const { return failure_; }
    void start() {
        conf_ = dir_.write("avahi.conf",
                           "[server]\nuse-ipv4=yes\nuse-ipv6=no\nallow-interfaces=lo\nenable-dbus=yes\n"
                           "[wide-area]\nenable-wide-area=no\n[publish]\npublish-hinfo=no\n"
                           "publish-workstation=no\n");
        daemon_ = std::make_unique<ChildProcess>(std::vector<std::string>{"/usr/sbin/avahi-daemon", "-f",
                                                                          conf_, "--no-drop-root",
                                                                          "--no-chroot", "--no-rlimits"},
                                                 std::map<std::string, std::string>{});
        failure_.clear();
        if (!printed(*daemon_, "Server startup complete", 20000))
            failure_ = "avahi-daemon did not start: " + daemon_->out() + daemon_->err();
    }
    void stop() {
        if (daemon_ && daemon_->running()) daemon_->stop(SIGTERM, 10000);
        daemon_.reset();
    }
    /// The pid of the running avahi-daemon (0 when none).
    int pid() const { return daemon_ ? daemon_->pid() : 0; }

  private:
    void startBus() {
        if (systemBusAnswers()) {
            failure_ = "a system bus already answers in this test's /run: the test is not in a namespace of "
                       "its own (tests/support/PrivateNamespaceMain.cpp)";
            return;
        }
        ::mkdir("/run/dbus", 0755);
        bus_ = std::make_unique<ChildProcess>(
            std::vector<std::string>{"/usr/bin/dbus-daemon", "--system", "--nofork", "--nopidfile"},
            std::map<std::string, std::string>{});
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (std::chrono::steady_clock::now() < deadline && bus_->running() && !systemBusAnswers())
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        if (!systemBusAnswers()) failure_ = "dbus-daemon --system did not start: " + bus_->err();
    }

    TempDir dir_;
    std::string conf_;
    std::string failure_;
    std::unique_ptr<ChildProcess> bus_;
    std::unique_ptr<ChildProcess> daemon_;
};

std::string unique(const std::string& what) {
    return "bt" + what + std::to_string(::getpid());
}

/// avahi-browse's parsable, resolved, one-shot listing of gateway beacons.
std::string browse() {
    return run({"/usr/bin/avahi-browse", "-rpt", "_openclaw-gw._tcp"}, {{"AVAHI_COMPAT_NOWARN", "1"}}, 20000)
        .out;
}

/// The resolved ("=") line of avahi-browse for the beacon whose TXT says gatewayPort=port ("" when none).
std::string resolvedLine(int port, int timeoutMs = 15000) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (std::chrono::steady_clock::now() < deadline) {
        const std::string all = browse();
        std::istringstream lines(all);
        std::string line;
        while (std::getline(lines, line))
            if (line.rfind("=;", 0) == 0 &&
                line.find("\"gatewayPort=" + std::to_string(port) + "\"") != std::string::npos)
                return line;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return "";
}

/// A helper process (avahi-publish, avahi-browse) stopped when the test leaves its scope, whatever the way.
struct Helper {
    explicit Helper(const std::vector<std::string>& argv) : p(argv, {{"AVAHI_COMPAT_NOWARN", "1"}}) {}
    ~Helper() {
        if (p.running()) p.stop(SIGTERM, 10000);
    }
    ChildProcess p;
};

class Bonjour : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { avahi_ = new Avahi(); }
    static void TearDownTestSuite() {
        delete avahi_;
        avahi_ = nullptr;
    }
    void SetUp() override { ASSERT_TRUE(avahi_->failure().empty()) << avahi_->failure(); }
    std::unique_ptr<GatewayUnderTest> gateway(const std::string& label, const std::string& discovery = "{}",
                                              std::map<std::string, std::string> env = {}) {
        env["OPENCLAW_MDNS_HOSTNAME"] = label;
        env["OPENCLAW_BONJOUR_RETRY_MS"] = "200";
        env["OPENCLAW_DISABLE_BONJOUR"] = "";
        return std::make_unique<GatewayUnderTest>(
            "{ gateway: { mode: 'local', auth: { mode: 'token', token: 'T' } }, discovery: " + discovery +
                " }",
            std::vector<std::string>{}, env);
    }
    static bool waitForOutput(ChildProcess& p, const std::string& text, int timeoutMs = 15000) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
        while (std::chrono::steady_clock::now() < deadline) {
            if ((p.out() + p.err()).find(text) != std::string::npos) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return false;
    }
    static Avahi* avahi_;
};
Avahi* Bonjour::avahi_ = nullptr;

TEST_F(Bonjour, TheMinimalBeaconIsSeenByAvahiBrowseWithTheReferencesTxt) {
    const std::string label = unique("min");
    auto gw = gateway(label);
    const std::string line = resolvedLine(gw->port());
    ASSERT_FALSE(line.empty()) << browse() << gw->process().out() << gw->process().err();
    EXPECT_NE(line.find(";" + label + "\\032\\040OpenClaw\\041;_openclaw-gw._tcp;local;"), std::string::npos)
        << line;
    for (const std::string& txt : std::vector<std::string>{
             "\"role=gateway\"", "\"transport=gateway\"", "\"displayName=" + label + "\"",
             "\"lanHost=" + label + ".local\"", "\"gatewayPort=" + std::to_string(gw->port()) + "\""})
        EXPECT_NE(line.find(txt), std::string::npos) << txt << " in " << line;
    EXPECT_EQ(line.find("sshPort="), std::string::npos) << "minimal mode: " << line;
    EXPECT_EQ(line.find("cliPath="), std::string::npos) << "minimal mode: " << line;
    EXPECT_NE(line.find(";" + std::to_string(gw->port()) + ";"), std::string::npos) << "SRV port: " << line;
}

TEST_F(Bonjour, TheFullBeaconAddsSshPortAndCliPath) {
    auto gw = gateway(unique("full"), "{ mdns: { mode: 'full' } }", {{"OPENCLAW_SSH_PORT", "2222"}});
    const std::string line = resolvedLine(gw->port());
    ASSERT_FALSE(line.empty()) << browse();
    EXPECT_NE(line.find("\"sshPort=2222\""), std::string::npos) << line;
    EXPECT_NE(line.find("\"cliPath=" + openclawBin() + "\""), std::string::npos) << line;
}

TEST_F(Bonjour, StoppingTheGatewayWithdrawsItsBeacon) {
    auto gw = gateway(unique("stop"));
    const int port = gw->port();
    ASSERT_FALSE(resolvedLine(port).empty()) << browse();
    EXPECT_EQ(gw->stop(), 0);
    // The goodbye leaves the daemon's cache within about a second (mDNS gives withdrawn records a TTL of 1
    // s).
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    std::string seen = browse();
    while (seen.find("\"gatewayPort=" + std::to_string(port) + "\"") != std::string::npos &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
        seen = browse();
    }
    EXPECT_EQ(seen.find("\"gatewayPort=" + std::to_string(port) + "\""), std::string::npos) << seen;
}

TEST_F(Bonjour, TheTailscaleNameReachesTheFullBeacon) {
    // The host builds the beacon with the tailscale plugin's facts (a STAND-IN tailscale here).
    TempDir standin;
    standin.write("calls", "");
    const char* path = std::getenv("PATH");
    auto gw = std::make_unique<GatewayUnderTest>(
        "{ gateway: { mode: 'local', auth: { mode: 'token', token: 'T' }, tailscale: { mode: 'serve' } },"
        " discovery: { mdns: { mode: 'full' } } }",
        std::vector<std::string>{},
        std::map<std::string, std::string>{
            {"OPENCLAW_MDNS_HOSTNAME", unique("ts")},
            {"PATH", std::string(OPENCLAW_SOURCE_DIR) + "/tests/standins:" + (path ? path : "/usr/bin:/bin")},
            {"STANDIN_DIR", standin.path()}});
    const std::string line = resolvedLine(gw->port());
    ASSERT_FALSE(line.empty()) << browse();
    EXPECT_NE(line.find("\"tailnetDns=gw-host.tail4e2a7c.ts.net\""), std::string::npos) << line;
}

TEST_F(Bonjour, ABeaconOfAvahiPublishIsFoundByDiscoverJson) {
    const std::string name = unique("peer");
    Helper publish({"/usr/bin/avahi-publish", "-s", name, "_openclaw-gw._tcp", "28800", "role=gateway",
                    "transport=gateway", "gatewayPort=28800", "displayName=" + name + "-display",
                    "gatewayTls=1", "gatewayTlsSha256=ab12"});
    TempDir home;
    json::ObjectPtr found;
    for (int attempt = 0; attempt < 5 && !found; ++attempt) {
        RunResult r = run({openclawBin(), "gateway", "discover", "--json", "--timeout", "1500"},
                          {{"HOME", home.path()}, {"OPENCLAW_DISABLE_BONJOUR", ""}}, 30000);
        ASSERT_EQ(r.code, 0) << r.err;
        json::ArrayPtr beacons = json::getArray(json::asObject(json::parse(r.out)), "beacons");
        for (size_t i = 0; beacons && i < beacons->size(); ++i) {
            json::ObjectPtr b = json::asObject(beacons->get(static_cast<unsigned>(i)));
            if (json::getString(b, "instanceName") == name) found = b;
        }
    }
    ASSERT_TRUE(found) << "avahi-publish's beacon was not found";
    EXPECT_EQ(json::getString(found, "displayName"), name + "-display");
    EXPECT_EQ(json::getString(found, "domain"), "local.");
    EXPECT_EQ(json::getInt(found, "port"), 28800);
    EXPECT_EQ(json::getBool(found, "gatewayTls"), true);
    EXPECT_EQ(json::getString(found, "gatewayTlsFingerprintSha256"), "ab12");
    const std::string host = json::getString(found, "host").value_or("");
    EXPECT_FALSE(host.empty());
    EXPECT_EQ(json::getString(found, "wsUrl"), "wss://" + host + ":28800")
        << "from the resolved SRV, wss with TLS";
}

TEST_F(Bonjour, ANameConflictIsRenamed) {
    const std::string label = unique("dup");
    Helper squatter(
        {"/usr/bin/avahi-publish", "-s", label + " (OpenClaw)", "_openclaw-gw._tcp", "28801", "role=other"});
    ASSERT_TRUE(printed(squatter.p, "Established under name", 15000))
        << "the squatter holds the name first: " << squatter.p.out() << squatter.p.err();
    auto gw = gateway(label);
    const std::string line = resolvedLine(gw->port());
    ASSERT_FALSE(line.empty()) << browse();
    EXPECT_NE(line.find(";" + label + "\\032\\040OpenClaw\\041\\032\\0352;"), std::string::npos)
        << "renamed to \"" << label << " (OpenClaw) #2\": " << line;
    EXPECT_TRUE(
        waitForOutput(gw->process(), "name conflict: \"" + label + " (OpenClaw)\" is taken on the LAN"))
        << gw->process().out();
}

TEST_F(Bonjour, TheBeaconComesBackWhenAvahiDaemonRestarts) {
    auto gw = gateway(unique("back"));
    ASSERT_FALSE(resolvedLine(gw->port()).empty());
    const int before = avahi_->pid();
    avahi_->stop();
    avahi_->start();
    ASSERT_TRUE(avahi_->failure().empty()) << avahi_->failure();
    ASSERT_NE(avahi_->pid(), before) << "a new avahi-daemon";
    EXPECT_FALSE(resolvedLine(gw->port(), 20000).empty()) << gw->process().out() << gw->process().err();
    EXPECT_EQ(httpGet(gw->port(), "/readyz").first, 200);
}

TEST_F(Bonjour, ASigusr1ReloadKeepsTheBeaconWithoutARemoval) {
    const std::string label = unique("reload");
    auto gw = gateway(label);
    ASSERT_FALSE(resolvedLine(gw->port()).empty());
    Helper watch({"/usr/bin/avahi-browse", "-p", "_openclaw-gw._tcp"});
    ASSERT_TRUE(printed(watch.p, "+;lo;IPv4;" + label, 15000)) << "the watch sees the beacon first";
    gw->process().signal(SIGUSR1);
    ASSERT_TRUE(waitForOutput(gw->process(), "keeping the plugins")) << gw->process().out();
    ASSERT_TRUE(gw->waitReady());
    // A removal would come as the old registration is dropped; give the watch time to print one.
    EXPECT_FALSE(printed(watch.p, "-;lo;IPv4;" + label, 2000))
        << "no removal across SIGUSR1: " << watch.p.out();
}

TEST_F(Bonjour, TheReferenceCliFindsOurGateway) {
    if (!referenceAvailable()) GTEST_SKIP() << "reference OpenClaw not installed";
    const std::string label = unique("ref");
    auto gw = gateway(label);
    ASSERT_FALSE(resolvedLine(gw->port()).empty());
    TempDir home;
    RunResult r = run({referenceNode(), referenceCli(), "gateway", "discover", "--json", "--timeout", "3000"},
                      referenceEnv(home.path()), 60000);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("\"instanceName\": \"" + label + " (OpenClaw)\""), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\"gatewayPort\": " + std::to_string(gw->port())), std::string::npos) << r.out;
}

// #27's rule (what a plugin needs costs memory only when it serves): the dns_sd.h chain (libdns_sd,
// avahi-client, libdbus, ...) and c-ares live in bonjour-core.so, mapped for the first LAN beacon, never with
// mDNS off.
TEST_F(Bonjour, TheDnsSdLibrariesAreMappedOnlyWhenTheLanBeaconIsOn) {
    auto maps = [](GatewayUnderTest& gw) {
        return readFile("/proc/" + std::to_string(gw.process().pid()) + "/maps");
    };
    auto off = gateway(unique("off"), "{ mdns: { mode: 'off' } }");
    ASSERT_TRUE(waitForOutput(off->process(), "no LAN beacon"))
        << off->process().out() << off->process().err();
    const std::string offMaps = maps(*off);
    for (const char* library : {"bonjour-core.so", "libdns_sd", "libavahi-client", "libdbus", "libcares"})
        EXPECT_EQ(offMaps.find(library), std::string::npos) << library << " mapped with mDNS off";
    EXPECT_NE(offMaps.find("bonjour.so"), std::string::npos) << "the plugin itself is loaded";
    auto on = gateway(unique("on"));
    ASSERT_FALSE(resolvedLine(on->port()).empty()) << browse();
    const std::string onMaps = maps(*on);
    for (const char* library : {"bonjour-core.so", "libdns_sd", "libavahi-client"})
        EXPECT_NE(onMaps.find(library), std::string::npos) << library << " not mapped with the beacon on";
}

TEST_F(Bonjour, WithoutAvahiTheGatewayWarnsOnceAndServes) {
    auto gw = gateway(unique("nobus"), "{}", {{"DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/bus"}});
    EXPECT_TRUE(waitForOutput(gw->process(), "cannot advertise on the LAN: avahi-daemon is not reachable"))
        << gw->process().out() << gw->process().err();
    std::this_thread::sleep_for(std::chrono::milliseconds(1000)); // several retries at 200 ms
    const std::string all = gw->process().out() + gw->process().err();
    EXPECT_EQ(all.find("avahi-daemon is not reachable"), all.rfind("avahi-daemon is not reachable"))
        << "once: " << all;
    EXPECT_EQ(httpGet(gw->port(), "/readyz").first, 200);
}

} // namespace

namespace {

// ---- wide-area DNS-SD: the zone we write, served unchanged by a real nsd on a loopback port ----

const std::string kStandIns = std::string(OPENCLAW_SOURCE_DIR) + "/tests/standins";

TEST_F(Bonjour, TheWideAreaZoneIsServedByNsdAsWrittenAndFoundByDiscover) {
    if (::access("/usr/sbin/nsd", X_OK) != 0)
        GTEST_SKIP() << "nsd is not installed (scripts/install-deps.sh)";
    const std::string label = unique("wide");
    TempDir standin;
    standin.write("calls", "");
    const char* path = std::getenv("PATH");
    // The zone needs the tailnet IPv4: the tailscale STAND-IN reports 100.101.42.7 for serve mode.
    auto gw = std::make_unique<GatewayUnderTest>(
        "{ gateway: { mode: 'local', auth: { mode: 'token', token: 'T' }, tailscale: { mode: 'serve' } },"
        " discovery: { wideArea: { domain: 'openclaw.internal' } } }",
        std::vector<std::string>{},
        std::map<std::string, std::string>{{"OPENCLAW_MDNS_HOSTNAME", label},
                                           {"PATH", kStandIns + ":" + (path ? path : "/usr/bin:/bin")},
                                           {"STANDIN_DIR", standin.path()}});
    const std::string zone = gw->home() + "/.openclaw/dns/openclaw.internal.db";
    ASSERT_TRUE(waitForOutput(gw->process(), "wide-area DNS-SD updated (openclaw.internal. → " + zone + ")"))
        << gw->process().out() << gw->process().err();
    const std::string text = readFile(zone);
    EXPECT_EQ(text.rfind("; openclaw-content-hash: ", 0), 0u) << text;
    EXPECT_NE(text.find(label + " IN A 100.101.42.7\n"), std::string::npos) << text;
    EXPECT_NE(text.find(label + "-gateway._openclaw-gw._tcp IN SRV 0 0 " + std::to_string(gw->port()) + " " +
                        label),
              std::string::npos)
        << text;

    // The same beacon again (SIGUSR1): the file is left as it is.
    gw->process().signal(SIGUSR1);
    EXPECT_TRUE(
        waitForOutput(gw->process(), "wide-area DNS-SD unchanged (openclaw.internal. → " + zone + ")"));
    EXPECT_EQ(readFile(zone), text);

    TempDir nsdDir;
    const int port = freePort();
    const std::string conf =
        nsdDir.write("nsd.conf", "server:\n  verbosity: 2\n  port: " + std::to_string(port) +
                                     "\n  ip-address: 127.0.0.1\n  username: \"\"\n"
                                     "  chroot: \"\"\n  zonesdir: \"" +
                                     gw->home() + "/.openclaw/dns\"\n  database: \"\"\n  pidfile: \"" +
                                     nsdDir.path() + "/nsd.pid\"\n  xfrdfile: \"" + nsdDir.path() +
                                     "/xfrd.state\"\n  zonelistfile: \"" + nsdDir.path() +
                                     "/zone.list\"\nremote-control:\n  control-enable: no\nzone:\n"
                                     "  name: openclaw.internal\n  zonefile: openclaw.internal.db\n");
    Helper nsd({"/usr/sbin/nsd", "-d", "-c", conf});
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (std::chrono::steady_clock::now() < deadline &&
           (nsd.p.out() + nsd.p.err()).find("zone openclaw.internal read with success") == std::string::npos)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ASSERT_NE((nsd.p.out() + nsd.p.err()).find("zone openclaw.internal read with success"), std::string::npos)
        << "nsd refused the zone as written: " << nsd.p.err();

    RunResult r = run({openclawBin(), "gateway", "discover", "--json", "--timeout", "2000", "--nameserver",
                       "127.0.0.1:" + std::to_string(port)},
                      gw->env(), 30000);
    ASSERT_EQ(r.code, 0) << r.err;
    json::ObjectPtr out = json::asObject(json::parse(r.out));
    json::ObjectPtr wide;
    json::ArrayPtr beacons = json::getArray(out, "beacons");
    for (size_t i = 0; beacons && i < beacons->size(); ++i) {
        json::ObjectPtr b = json::asObject(beacons->get(static_cast<unsigned>(i)));
        if (json::getString(b, "domain") == "openclaw.internal.") wide = b;
    }
    ASSERT_TRUE(wide) << r.out << r.err;
    EXPECT_EQ(json::getString(wide, "instanceName"), label + "-gateway");
    EXPECT_EQ(json::getString(wide, "displayName"), label);
    EXPECT_EQ(json::getInt(wide, "gatewayPort"), gw->port());
    EXPECT_EQ(json::getString(wide, "wsUrl"),
              "ws://" + label + ".openclaw.internal:" + std::to_string(gw->port()));
    EXPECT_NE(r.out.find("\"openclaw.internal.\""), std::string::npos)
        << "the domains list names it: " << r.out;
}

} // namespace

namespace {

// ---- probe --ssh-auto: the SSH host of the first discovered beacon (with a real sshd; SshServer.h) ----

TEST_F(Bonjour, ProbeSshAutoTunnelsToTheFirstBeaconsHost) {
    if (const std::string why = SshServer::unavailable(); !why.empty()) GTEST_SKIP() << why;
    char name[256] = {};
    ::gethostname(name, sizeof name - 1);
    const std::string lanHost = std::string(name).substr(0, std::string(name).find('.')) + ".local";
    SshServer sshd({lanHost}); // the beacon's SRV host, which the test's ssh config maps to 127.0.0.1
    GatewayUnderTest remote("{ gateway: { mode: 'local', auth: { mode: 'token', token: 'REMOTE' } } }", {},
                            {{"OPENCLAW_DISABLE_BONJOUR", "1"}});
    // "0000…" sorts first, even beside a beacon left by another test.
    const std::string instance = "0000" + unique("auto");
    Helper publish({"/usr/bin/avahi-publish", "-s", instance, "_openclaw-gw._tcp",
                    std::to_string(remote.port()), "role=gateway", "transport=gateway",
                    "displayName=" + instance, "gatewayPort=" + std::to_string(remote.port()),
                    "sshPort=" + std::to_string(sshd.port())});
    ASSERT_FALSE(resolvedLine(remote.port()).empty()) << browse();
    TempDir home;
    home.write(
        ".openclaw/openclaw.json",
        "{ gateway: { mode: 'local', port: " + std::to_string(remote.port()) +
            ", remote: { token: 'REMOTE' } }, plugins: { entries: { 'ssh-tunnel': { config: { sshConfig: '" +
            sshd.clientConfig() + "' } } } } }");
    RunResult r = run({openclawBin(), "gateway", "probe", "--ssh-auto", "--json", "--timeout", "5000"},
                      {{"HOME", home.path()},
                       {"USER", "root"},
                       {"OPENCLAW_GATEWAY_TOKEN", ""},
                       {"OPENCLAW_DISABLE_BONJOUR", ""}},
                      60000);
    json::ObjectPtr report = json::asObject(json::parse(r.out));
    json::ObjectPtr tunnelTarget;
    json::ArrayPtr targets = json::getArray(report, "targets");
    for (size_t i = 0; targets && i < targets->size(); ++i) {
        json::ObjectPtr t = json::asObject(targets->get(static_cast<unsigned>(i)));
        if (json::getString(t, "id") == "sshTunnel") tunnelTarget = t;
    }
    ASSERT_TRUE(tunnelTarget) << r.out << r.err;
    EXPECT_EQ(json::getString(json::getObject(tunnelTarget, "tunnel"), "target"),
              "root@" + lanHost + ":" + std::to_string(sshd.port()));
    EXPECT_EQ(json::getInt(json::getObject(tunnelTarget, "tunnel"), "remotePort"), remote.port())
        << "gateway.port, as the reference: not the beacon's gatewayPort";
    EXPECT_EQ(json::getBool(json::getObject(tunnelTarget, "connect"), "ok"), true)
        << json::stringify(tunnelTarget);
    EXPECT_TRUE(sshd.forwardedTo(remote.port())) << sshd.log();
}

} // namespace
