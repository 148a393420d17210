// Test support: a real sshd on a loopback port with generated host and user keys (recipe in
// ../shared/reference/dependencies.md §5), and an ssh client config for it (the test's own known_hosts and
// key, never the user's ~/.ssh), passed to the ssh-tunnel plugin as its `sshConfig` (ssh -F).
#pragma once

#include "Process.h"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace openclaw::test {

class SshServer {
  public:
    /// Why it cannot run here ("" when it can): not root, or OpenSSH missing.
    static std::string unavailable() {
        if (::getuid() != 0) return "sshd needs root here (privilege separation)";
        if (::access("/usr/sbin/sshd", X_OK) != 0 || ::access("/usr/bin/ssh-keygen", X_OK) != 0)
            return "OpenSSH is not installed (scripts/install-deps.sh)";
        return "";
    }
    /// Starts sshd; `aliases` are more names its host key is known by ("vm.local").
    explicit SshServer(const std::vector<std::string>& aliases = {}) {
        ::mkdir("/run/sshd", 0755);
        const std::string d = dir_.path();
        for (const char* key : {"hostkey", "userkey", "otherkey"})
            EXPECT_EQ(
                run({"/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", d + "/" + key}, {}, 20000)
                    .code,
                0);
        dir_.write("authorized_keys", readFile(d + "/userkey.pub"));
        port_ = freePort();
        dir_.write("sshd_config",
                   "Port " + std::to_string(port_) + "\nListenAddress 127.0.0.1\nHostKey " + d +
                       "/hostkey\nPidFile " + d + "/sshd.pid\nAuthorizedKeysFile " + d +
                       "/authorized_keys\nPermitRootLogin prohibit-password\nPasswordAuthentication no\n"
                       "KbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\nAllowTcpForwarding yes\n"
                       "LogLevel DEBUG1\n");
        std::string names = "[127.0.0.1]:" + std::to_string(port_);
        for (const auto& a : aliases)
            names += ",[" + a + "]:" + std::to_string(port_);
        trustHostKey(names);
        std::string config = "Host *\n  UserKnownHostsFile " + d + "/known_hosts\n  IdentityFile " + d +
                             "/userkey\n  IdentitiesOnly yes\n  User root\n";
        for (const auto& a : aliases)
            config = "Host " + a + "\n  HostName 127.0.0.1\n" + config;
        config_ = dir_.write("ssh_config", config);
        sshd_ = std::make_unique<ChildProcess>(
            std::vector<std::string>{"/usr/sbin/sshd", "-D", "-e", "-f", d + "/sshd_config"},
            std::map<std::string, std::string>{});
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (std::chrono::steady_clock::now() < deadline &&
               log().find("Server listening on 127.0.0.1 port") == std::string::npos)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        EXPECT_NE(log().find("Server listening"), std::string::npos) << log();
    }
    ~SshServer() {
        if (sshd_ && sshd_->running()) sshd_->stop(SIGTERM, 10000);
    }
    SshServer(const SshServer&) = delete;
    SshServer& operator=(const SshServer&) = delete;

    int port() const { return port_; }
    const std::string& dir() const { return dir_.path(); }
    /// The client config (ssh -F) that knows this server's host key and uses the authorized key.
    const std::string& clientConfig() const { return config_; }
    /// Writes a client config of its own (e.g. without the authorized key); returns its path.
    std::string writeClientConfig(const std::string& name, const std::string& text) const {
        return dir_.write(name, text);
    }
    /// Replaces the known host line (`names`: "[127.0.0.1]:port", "" to know nothing).
    void trustHostKey(const std::string& names) const {
        dir_.write("known_hosts", names.empty() ? "" : names + " " + readFile(dir_.path() + "/hostkey.pub"));
    }
    /// sshd's log (-e: on stderr).
    std::string log() const { return sshd_ ? sshd_->err() : ""; }
    /// Whether sshd forwarded a connection to 127.0.0.1:port (a direct-tcpip channel).
    bool forwardedTo(int port) const {
        return log().find("target 127.0.0.1 port " + std::to_string(port)) != std::string::npos;
    }

  private:
    TempDir dir_;
    int port_ = 0;
    std::string config_;
    std::unique_ptr<ChildProcess> sshd_;
};

} // namespace openclaw::test
