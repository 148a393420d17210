// The portable supervisor end to end, for real: install, health over RPC, kill -9 -> restarted,
// restart, stop, uninstall; no restart after exit 78; SIGKILL after the stop timeout; secrets.
#include "Process.h"

#include "json/Json.h"

#include <gtest/gtest.h>

#include <csignal>
#include <sys/stat.h>
#include <thread>

using namespace openclaw;
using namespace openclaw::test;

namespace {

class Supervised : public ::testing::Test {
  protected:
    void SetUp() override {
        port_ = freePort();
        home_.write(".openclaw/openclaw.json", "{ gateway: { mode: 'local' } }");
    }
    void TearDown() override {
        cli({"gateway", "stop"});
        // Whatever is left (a failed test) must not outlive the test.
        for (const char* f : {"/.openclaw/service/supervisor.pid", "/.openclaw/service/gateway.pid"}) {
            int pid = std::atoi(readFile(home_.path() + f).c_str());
            if (pid > 0) ::kill(pid, SIGKILL);
        }
    }
    RunResult cli(std::vector<std::string> args, std::map<std::string, std::string> extra = {}) {
        args.insert(args.begin(), openclawBin());
        std::map<std::string, std::string> env = {{"HOME", home_.path()},
                                                  {"OPENCLAW_GATEWAY_TOKEN", ""},
                                                  {"OPENCLAW_GATEWAY_PORT", std::to_string(port_)},
                                                  {"XDG_CONFIG_HOME", home_.path() + "/.config"}};
        for (const auto& [k, v] : extra)
            env[k] = v;
        return run(args, env, 60000);
    }
    /// The exit status of the last gateway the supervisor stopped or saw exit.
    long long lastExitStatus() {
        RunResult s = cli({"gateway", "status", "--json", "--no-probe"});
        json::ObjectPtr rt =
            json::getObject(json::getObject(json::asObject(json::parse(s.out)), "service"), "runtime");
        return json::getInt(rt, "lastExitStatus").value_or(-1);
    }
    int gatewayPid() { return std::atoi(readFile(home_.path() + "/.openclaw/service/gateway.pid").c_str()); }
    bool waitHealthy(int timeoutMs = 15000) {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
        while (std::chrono::steady_clock::now() < deadline) {
            RunResult h = cli({"gateway", "health", "--token", "T0k3n", "--timeout", "2000"});
            if (h.code == 0) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return false;
    }
    TempDir home_;
    int port_ = 0;
};

} // namespace

TEST_F(Supervised, InstallHealthKill9RestartStopUninstall) {
    RunResult install = cli({"gateway", "install", "--runtime", "supervisor", "--token", "T0k3n", "--json"});
    ASSERT_EQ(install.code, 0) << install.out << install.err;
    json::ObjectPtr r = json::asObject(json::parse(install.out));
    EXPECT_EQ(json::getBool(r, "ok"), true);
    EXPECT_EQ(json::getString(r, "action"), "install");
    EXPECT_EQ(json::getString(r, "result"), "installed");
    EXPECT_EQ(json::getString(json::getObject(r, "service"), "label"), "supervisor");
    EXPECT_EQ(json::getBool(json::getObject(r, "service"), "loaded"), true);
    ASSERT_TRUE(waitHealthy()) << readFile(home_.path() + "/.openclaw/service/supervisor.log");

    // The secret is only in the 0600 environment file.
    struct stat st {};
    ASSERT_EQ(::stat((home_.path() + "/.openclaw/service/gateway.env").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_EQ(readFile(home_.path() + "/.openclaw/service/supervisor.json").find("T0k3n"), std::string::npos);

    // kill -9: the supervisor starts a new gateway.
    int first = gatewayPid();
    ASSERT_GT(first, 0);
    ::kill(first, SIGKILL);
    bool replaced = false;
    for (int i = 0; i < 300 && !replaced; ++i) {
        replaced = gatewayPid() > 0 && gatewayPid() != first;
        if (!replaced) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_TRUE(replaced);
    EXPECT_TRUE(waitHealthy());
    RunResult status = cli({"gateway", "status", "--json", "--token", "T0k3n"});
    json::ObjectPtr svc = json::getObject(json::asObject(json::parse(status.out)), "service");
    json::ObjectPtr rt = json::getObject(svc, "runtime");
    EXPECT_EQ(json::getString(rt, "status"), "running");
    EXPECT_EQ(json::getInt(rt, "lastExitStatus"), 128 + SIGKILL);
    EXPECT_EQ(json::getInt(rt, "restarts"), 1);
    EXPECT_EQ(json::getInt(rt, "pid"), gatewayPid());

    int beforeRestart = gatewayPid();
    RunResult restart = cli({"gateway", "restart", "--json"});
    EXPECT_EQ(restart.code, 0) << restart.err;
    EXPECT_EQ(json::getString(json::asObject(json::parse(restart.out)), "result"), "restarted");
    EXPECT_NE(gatewayPid(), beforeRestart);
    EXPECT_TRUE(waitHealthy());
    // The gateway the restart replaced stopped cleanly on SIGTERM (under ASan: no leak either).
    EXPECT_EQ(lastExitStatus(), 0);

    RunResult stop = cli({"gateway", "stop", "--json"});
    EXPECT_EQ(stop.code, 0);
    EXPECT_EQ(json::getString(json::asObject(json::parse(stop.out)), "result"), "stopped");
    EXPECT_EQ(httpGet(port_, "/healthz").first, 0) << "the port is free after stop";
    EXPECT_EQ(lastExitStatus(), 0) << readFile(home_.path() + "/.openclaw/service/supervisor.log");

    RunResult uninstall = cli({"gateway", "uninstall", "--json"});
    EXPECT_EQ(json::getString(json::asObject(json::parse(uninstall.out)), "result"), "uninstalled");
    EXPECT_TRUE(readFile(home_.path() + "/.openclaw/service/supervisor.json").empty());
    EXPECT_FALSE(readFile(home_.path() + "/.openclaw/openclaw.json").empty()) << "config is kept";
}

TEST_F(Supervised, IdempotentAndSafe) {
    ASSERT_EQ(cli({"gateway", "install", "--runtime", "supervisor", "--token", "T0k3n"}).code, 0);
    RunResult again = cli({"gateway", "install", "--json"});
    EXPECT_EQ(again.code, 0);
    EXPECT_EQ(json::getString(json::asObject(json::parse(again.out)), "result"), "already-installed");
    RunResult start = cli({"gateway", "start"});
    EXPECT_EQ(start.code, 0);
    EXPECT_NE(start.out.find("already running"), std::string::npos);
    EXPECT_EQ(cli({"gateway", "uninstall"}).code, 0);
    RunResult nothing = cli({"gateway", "uninstall", "--json"});
    EXPECT_EQ(nothing.code, 0);
    EXPECT_EQ(json::getString(json::asObject(json::parse(nothing.out)), "result"), "not-installed");
    RunResult startNothing = cli({"gateway", "start", "--json"});
    EXPECT_EQ(startNothing.code, 1);
    json::ObjectPtr s = json::asObject(json::parse(startNothing.out));
    EXPECT_EQ(json::getBool(s, "ok"), false);
    EXPECT_NE(json::stringify(s->get("hints")).find("openclaw gateway install"), std::string::npos);
}

TEST_F(Supervised, ExitCode78IsNotRestarted) {
    ASSERT_EQ(cli({"gateway", "install", "--runtime", "supervisor", "--token", "T0k3n"}).code, 0);
    ASSERT_TRUE(waitHealthy());
    // Break the config: a restart is refused (config preflight), stop and status still work.
    home_.write(".openclaw/openclaw.json", "{ gateway: { mode: 'local', bind: '0.0.0.0' } }");
    RunResult refused = cli({"gateway", "restart", "--json"});
    EXPECT_EQ(refused.code, 1);
    EXPECT_EQ(json::getString(json::asObject(json::parse(refused.out)), "result"), "config-invalid");
    // Then the gateway dies on its own: its restart by the supervisor meets the bad config and exits 78.
    ::kill(gatewayPid(), SIGKILL);
    bool stopped = false;
    for (int i = 0; i < 300 && !stopped; ++i) {
        RunResult s = cli({"gateway", "status", "--json", "--no-probe"});
        json::ObjectPtr rt =
            json::getObject(json::getObject(json::asObject(json::parse(s.out)), "service"), "runtime");
        stopped = json::getInt(rt, "lastExitStatus") == 78 && json::getString(rt, "status") == "stopped";
        if (!stopped) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_TRUE(stopped) << readFile(home_.path() + "/.openclaw/service/supervisor.log");
    EXPECT_NE(readFile(home_.path() + "/.openclaw/service/supervisor.log").find("not restarting"),
              std::string::npos);
    EXPECT_EQ(readFile(home_.path() + "/.openclaw/service/supervisor.pid"), "") << "the supervisor gave up";
}

TEST_F(Supervised, StopEscalatesToSigkillAfterTheTimeout) {
    // A service whose process ignores SIGTERM (hand-written spec, as an operator's wrapper might be).
    home_.write(
        ".openclaw/service/supervisor.json",
        R"({"name":"openclaw-gateway","argv":["/bin/sh","-c","trap '' TERM; while true; do sleep 1; done"],)"
        R"("env":{},"environmentFile":"","stateDir":"","configPath":"","port":1})");
    RunResult start = cli({"gateway", "start", "--runtime", "supervisor"},
                          {{"OPENCLAW_SUPERVISOR_STOP_TIMEOUT_MS", "300"}});
    ASSERT_EQ(start.code, 0) << start.err;
    int pid = gatewayPid();
    ASSERT_GT(pid, 0);
    EXPECT_EQ(cli({"gateway", "stop"}).code, 0);
    EXPECT_NE(::kill(pid, 0), 0) << "the stubborn process is gone";
    EXPECT_NE(readFile(home_.path() + "/.openclaw/service/supervisor.log").find("sending SIGKILL"),
              std::string::npos);
}

TEST_F(Supervised, StatusWarnsWhenServiceAndCliUseDifferentConfigs) {
    ASSERT_EQ(cli({"gateway", "install", "--runtime", "supervisor", "--token", "T0k3n"}).code, 0);
    home_.write("other.json", "{ gateway: { mode: 'local' } }");
    RunResult s =
        cli({"gateway", "status", "--no-probe"}, {{"OPENCLAW_CONFIG_PATH", home_.path() + "/other.json"}});
    EXPECT_NE(s.out.find("Service: supervisor (running)"), std::string::npos) << s.out;
    EXPECT_NE(s.out.find("CLI and service are using different config paths"), std::string::npos) << s.out;
}
