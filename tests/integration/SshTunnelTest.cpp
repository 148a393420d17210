// The ssh-tunnel plugin end to end: a real sshd on a loopback port (generated host and user keys; recipe in
// ../shared/reference/dependencies.md §5), a gateway listening on loopback behind it, and our CLI going
// through `ssh -N -L`. Because sshd and the gateway share this machine's loopback, each success proves the
// traffic went through the tunnel: sshd's log shows the forwarded connection to the gateway's port, and the
// URL the probe used is a local port nothing but ssh listens on. After every test no ssh process is left.
#include "Process.h"
#include "SshServer.h"

#include "json/Json.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <chrono>
#include <csignal>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

using namespace openclaw;
using namespace openclaw::test;

namespace {

/// This test's ssh tunnels ("-N -L" to `sshPort`) still running, by pid (other tests run beside this one).
std::vector<int> tunnelsLeft(int sshPort) {
    std::vector<int> out;
    DIR* d = ::opendir("/proc");
    while (dirent* e = d ? ::readdir(d) : nullptr) {
        const int pid = std::atoi(e->d_name);
        if (pid <= 0) continue;
        std::string cmd = readFile("/proc/" + std::to_string(pid) + "/cmdline");
        for (char& c : cmd)
            if (c == '\0') c = ' ';
        const std::string stat = readFile("/proc/" + std::to_string(pid) + "/stat");
        const bool zombie = stat.find(") Z ") != std::string::npos;
        if (!zombie && cmd.rfind("ssh ", 0) == 0 && cmd.find(" -N -L ") != std::string::npos &&
            cmd.find(" -p " + std::to_string(sshPort) + " ") != std::string::npos)
            out.push_back(pid);
    }
    if (d) ::closedir(d);
    return out;
}

/// A listening TCP socket on 127.0.0.1 that never answers (a busy port, or an SSH server that says nothing).
struct SilentListener {
    int fd = -1;
    int port = 0;
    SilentListener() {
        fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
        ::listen(fd, 16);
        socklen_t len = sizeof a;
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
        port = ntohs(a.sin_port);
    }
    ~SilentListener() { ::close(fd); }
};

class SshTunnel : public ::testing::Test {
  protected:
    void SetUp() override {
        if (const std::string why = SshServer::unavailable(); !why.empty()) GTEST_SKIP() << why;
        sshd_ = std::make_unique<SshServer>();
        sshConfig_ = sshd_->clientConfig();
        remote_ = std::make_unique<GatewayUnderTest>(
            "{ gateway: { mode: 'local', auth: { mode: 'token', token: 'REMOTE' } } }",
            std::vector<std::string>{});
        gatewayPort_ = remote_->port();
    }
    void TearDown() override {
        remote_.reset();
        const std::vector<int> left = sshd_ ? tunnelsLeft(sshd_->port()) : std::vector<int>{};
        sshd_.reset();
        EXPECT_TRUE(left.empty()) << "an ssh process outlived its command (pid "
                                  << (left.empty() ? 0 : left[0]) << ")";
        for (int pid : left)
            ::kill(pid, SIGKILL);
    }
    /// The CLI's home: a config naming the gateway port (the probe tunnels to it on the far side) and the
    /// test's ssh config. `remote`: more of gateway.remote; `plugin`: more of the ssh-tunnel plugin's config.
    std::map<std::string, std::string> env(const std::string& remote = "", const std::string& plugin = "",
                                           const std::string& mode = "local") {
        home_.write(".openclaw/openclaw.json",
                    "{ gateway: { mode: '" + mode + "', port: " + std::to_string(gatewayPort_) +
                        ", auth: { mode: 'token', token: 'LOCAL' }, remote: { token: 'REMOTE', remotePort: " +
                        std::to_string(remotePortInConfig_ ? remotePortInConfig_ : remote_->port()) + remote +
                        " } }, plugins: { entries: { 'ssh-tunnel': { config: { sshConfig: '" + sshConfig_ +
                        "'" + plugin + " } } } } }");
        return {{"HOME", home_.path()},
                {"OPENCLAW_GATEWAY_TOKEN", ""},
                {"OPENCLAW_GATEWAY_PORT", ""},
                {"OPENCLAW_DISABLE_BONJOUR", "1"}};
    }
    std::string target() const { return "root@127.0.0.1:" + std::to_string(sshd_->port()); }
    /// Whether sshd forwarded a connection to the remote gateway's port.
    bool sshdForwarded() const { return sshd_->forwardedTo(remote_->port()); }
    json::ObjectPtr probeJson(const std::vector<std::string>& extra,
                              const std::map<std::string, std::string>& e) {
        std::vector<std::string> argv = {openclawBin(), "gateway", "probe", "--json", "--timeout", "5000"};
        argv.insert(argv.end(), extra.begin(), extra.end());
        RunResult r = run(argv, e, 60000);
        try {
            return json::asObject(json::parse(r.out));
        } catch (const std::exception&) {
            ADD_FAILURE() << "not JSON: " << r.out << r.err;
            return json::makeObject();
        }
    }
    static json::ObjectPtr targetById(const json::ObjectPtr& report, const std::string& id) {
        json::ArrayPtr targets = json::getArray(report, "targets");
        for (size_t i = 0; targets && i < targets->size(); ++i) {
            json::ObjectPtr t = json::asObject(targets->get(static_cast<unsigned>(i)));
            if (json::getString(t, "id") == id) return t;
        }
        return nullptr;
    }
    static std::string warnings(const json::ObjectPtr& report) {
        json::ArrayPtr w = json::getArray(report, "warnings");
        return w ? json::stringify(w) : "";
    }

    TempDir home_;
    int gatewayPort_ = 0; ///< gateway.port in the CLI's config (the remote gateway's unless a test says)
    int remotePortInConfig_ = 0; ///< gateway.remote.remotePort when not the remote gateway's (0: its port)
    std::string sshConfig_;
    std::unique_ptr<SshServer> sshd_;
    std::unique_ptr<GatewayUnderTest> remote_;
};

TEST_F(SshTunnel, ProbeThroughTheTunnelReachesTheRemoteGateway) {
    json::ObjectPtr report = probeJson({"--ssh", target()}, env());
    json::ObjectPtr t = targetById(report, "sshTunnel");
    ASSERT_TRUE(t) << json::stringify(report);
    EXPECT_EQ(json::getBool(json::getObject(t, "connect"), "ok"), true) << json::stringify(t);
    json::ObjectPtr tunnel = json::getObject(t, "tunnel");
    ASSERT_TRUE(tunnel);
    EXPECT_EQ(json::getString(tunnel, "kind"), "ssh");
    EXPECT_EQ(json::getString(tunnel, "target"), target());
    EXPECT_EQ(json::getInt(tunnel, "remotePort"), remote_->port()) << "gateway.port, on the far side";
    // The same port is preferred here, but here it is taken (by the very gateway behind the tunnel).
    const int local = static_cast<int>(json::getInt(tunnel, "localPort").value_or(0));
    EXPECT_GT(local, 0);
    EXPECT_NE(local, remote_->port());
    EXPECT_GT(json::getInt(tunnel, "pid").value_or(0), 0);
    EXPECT_EQ(json::getString(t, "url"), "ws://127.0.0.1:" + std::to_string(local));
    EXPECT_TRUE(sshdForwarded()) << "sshd must show the forwarded connection: " << sshd_->log();

    RunResult human =
        run({openclawBin(), "gateway", "probe", "--ssh", target(), "--timeout", "5000"}, env(), 60000);
    EXPECT_NE(human.out.find("Remote over SSH ws://127.0.0.1:"), std::string::npos) << human.out;
    EXPECT_NE(human.out.find("\n  ssh: " + target()), std::string::npos) << human.out;
    EXPECT_NE(human.out.find("Connect: ok"), std::string::npos) << human.out;
}

TEST_F(SshTunnel, ThePortOptionIsTheTunnelsRemotePortAndRemotePortIsNotUsed) {
    // A gateway on a non-default port behind sshd; the config names other, closed ports.
    gatewayPort_ = freePort();
    remotePortInConfig_ = freePort();
    const auto e = env(", sshTarget: '" + target() + "'");
    json::ObjectPtr report = probeJson({"--ssh", target(), "--port", std::to_string(remote_->port())}, e);
    json::ObjectPtr t = targetById(report, "sshTunnel");
    ASSERT_TRUE(t) << json::stringify(report);
    EXPECT_EQ(json::getInt(json::getObject(t, "tunnel"), "remotePort"), remote_->port());
    EXPECT_EQ(json::getBool(json::getObject(t, "connect"), "ok"), true) << json::stringify(t);
    EXPECT_TRUE(sshdForwarded()) << sshd_->log();

    // --port without --url: gateway.remote.sshTarget is not used (the reference's rule); no tunnel.
    json::ObjectPtr direct = probeJson({"--port", std::to_string(remote_->port())}, e);
    EXPECT_FALSE(targetById(direct, "sshTunnel")) << json::stringify(direct);
    // Without --port the configured target is used, towards gateway.port (closed there).
    json::ObjectPtr configured = probeJson({}, e);
    json::ObjectPtr viaConfig = targetById(configured, "sshTunnel");
    ASSERT_TRUE(viaConfig) << json::stringify(configured);
    EXPECT_EQ(json::getInt(json::getObject(viaConfig, "tunnel"), "remotePort"), gatewayPort_);
}

TEST_F(SshTunnel, FailuresSayWhatToDoAndTheDirectTargetsAreStillProbed) {
    sshd_->trustHostKey("");
    json::ObjectPtr unknownKey = probeJson({"--ssh", target()}, env());
    EXPECT_NE(warnings(unknownKey).find("ssh_tunnel_failed"), std::string::npos) << warnings(unknownKey);
    EXPECT_NE(
        warnings(unknownKey)
            .find("ssh-keyscan -p " + std::to_string(sshd_->port()) + " 127.0.0.1 >> ~/.ssh/known_hosts"),
        std::string::npos)
        << warnings(unknownKey);
    EXPECT_TRUE(targetById(unknownKey, "localLoopback")) << "then the direct targets";

    sshd_->trustHostKey("[127.0.0.1]:" + std::to_string(sshd_->port()));
    // A key sshd does not know (and only that one: a config without the test's IdentityFile).
    sshConfig_ =
        sshd_->writeClientConfig("ssh_config_other", "Host *\n  UserKnownHostsFile " + sshd_->dir() +
                                                         "/known_hosts\n  IdentitiesOnly yes\n  User root\n");
    json::ObjectPtr denied =
        probeJson({"--ssh", target(), "--ssh-identity", sshd_->dir() + "/otherkey"}, env());
    EXPECT_NE(warnings(denied).find("SSH authentication to " + target().substr(0, target().rfind(':')) +
                                    " was refused"),
              std::string::npos)
        << warnings(denied);

    json::ObjectPtr dash = probeJson({"--ssh=-oProxyCommand=touch /tmp/pwned"}, env());
    EXPECT_NE(warnings(dash).find("starts with \\\"-\\\""), std::string::npos) << warnings(dash);

    json::ObjectPtr noSsh = probeJson({"--ssh", target()}, env("", ", sshBinary: '/nonexistent/ssh'"));
    EXPECT_NE(warnings(noSsh).find("ssh is not installed"), std::string::npos) << warnings(noSsh);

    SilentListener silent; // accepts TCP, never says SSH: ssh waits, the start budget ends it
    json::ObjectPtr hung =
        probeJson({"--ssh", "root@127.0.0.1:" + std::to_string(silent.port), "--timeout", "1200"}, env());
    EXPECT_NE(warnings(hung).find("ssh_tunnel_failed"), std::string::npos) << warnings(hung);
}

TEST_F(SshTunnel, AClosedRemotePortIsNamed) {
    const int closed = freePort(); // reserved, never listening: nothing answers there
    gatewayPort_ = closed;
    json::ObjectPtr t = targetById(probeJson({"--ssh", target()}, env()), "sshTunnel");
    ASSERT_TRUE(t);
    EXPECT_EQ(json::getBool(json::getObject(t, "connect"), "ok"), false);
    EXPECT_NE(
        json::stringify(t).find("is a gateway listening on 127.0.0.1:" + std::to_string(closed) + " there?"),
        std::string::npos)
        << json::stringify(t);
}

TEST_F(SshTunnel, ARemoteGatewayOverSshAnswersHealthStatusAndCall) {
    const auto e = env(", transport: 'ssh', sshTarget: '" + target() + "'", "", "remote");
    RunResult health = run({openclawBin(), "gateway", "health", "--json"}, e, 60000);
    EXPECT_EQ(health.code, 0) << health.out << health.err;
    RunResult call = run({openclawBin(), "gateway", "call", "status", "--json"}, e, 60000);
    EXPECT_EQ(call.code, 0) << call.out << call.err;
    RunResult status = run({openclawBin(), "gateway", "status", "--json"}, e, 60000);
    EXPECT_EQ(status.code, 0) << status.err;
    EXPECT_NE(status.out.find("\"ok\": true"), std::string::npos) << status.out;
    EXPECT_TRUE(sshdForwarded()) << sshd_->log();
}

TEST_F(SshTunnel, CtrlCWhileTheTunnelStartsLeavesNoSsh) {
    SilentListener silent;
    ChildProcess probe({openclawBin(), "gateway", "probe", "--ssh",
                        "root@127.0.0.1:" + std::to_string(silent.port), "--timeout", "3000"},
                       env());
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline && tunnelsLeft(silent.port).empty())
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ASSERT_FALSE(tunnelsLeft(silent.port).empty())
        << "ssh should be starting: " << probe.out() << probe.err();
    probe.signal(SIGINT);
    EXPECT_EQ(probe.wait(10000), 130) << probe.out() << probe.err();
    // The command waited for its ssh before dying of the signal: none is left now (no grace period).
    EXPECT_TRUE(tunnelsLeft(silent.port).empty())
        << "an ssh to port " << silent.port << " outlived the probe";
}

} // namespace
