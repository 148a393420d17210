// The systemd service backend end to end through the real `openclaw` CLI and its real command runner,
// with STAND-IN `systemctl` and `loginctl` scripts (tests/standins) first on PATH: no systemd runs on
// this machine or in CI. The stand-ins accept only the exact calls the gateway should make (anything
// else is recorded as UNEXPECTED), and act as a user manager would for the unit: `start` runs the
// unit's ExecStart with its environment, so the gateway the unit describes really runs and answers.
#include "Process.h"

#include "json/Json.h"

#include <gtest/gtest.h>

#include <csignal>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

using namespace openclaw;
using namespace openclaw::test;

namespace {

const std::string kStandIns = std::string(OPENCLAW_SOURCE_DIR) + "/tests/standins";
const std::string kUnit = "openclaw-gateway.service";
/// The status read every report ends with.
const std::string kShow = "systemctl --user show " + kUnit +
                          " -p ActiveState,SubState,MainPID,ExecMainStatus,ActiveEnterTimestamp,"
                          "UnitFileState,NRestarts\n";

class SystemdStandIn : public ::testing::Test {
  protected:
    void SetUp() override {
        port_ = freePort();
        home_.write(".openclaw/openclaw.json", "{ gateway: { mode: 'local', auth: { token: 'T0k3n' } } }");
        home_.write("standin/calls", "");
    }
    void TearDown() override {
        // A gateway the stand-in started and the test did not stop is a failure, and must not outlive it.
        if (int pid = unitPid(); pid > 0 && ::kill(pid, 0) == 0 && !zombie(pid)) {
            ADD_FAILURE() << "the unit's gateway (pid " << pid << ") was left running";
            ::kill(pid, SIGKILL);
        }
    }
    std::map<std::string, std::string> env(std::map<std::string, std::string> extra = {}) const {
        const char* path = std::getenv("PATH");
        std::map<std::string, std::string> e = {{"HOME", home_.path()},
                                                {"PATH", kStandIns + ":" + (path ? path : "/usr/bin:/bin")},
                                                {"STANDIN_DIR", home_.path() + "/standin"},
                                                {"XDG_CONFIG_HOME", home_.path() + "/.config"},
                                                {"OPENCLAW_GATEWAY_PORT", std::to_string(port_)},
                                                {"OPENCLAW_GATEWAY_TOKEN", ""},
                                                {"USER", "tester"}};
        for (const auto& [k, v] : extra)
            e[k] = v;
        return e;
    }
    RunResult cli(std::vector<std::string> args, std::map<std::string, std::string> extra = {}) const {
        args.insert(args.begin(), openclawBin());
        return run(args, env(std::move(extra)), 60000);
    }
    json::ObjectPtr cliJson(std::vector<std::string> args, int expectedCode = 0) const {
        args.push_back("--json");
        RunResult r = cli(args);
        EXPECT_EQ(r.code, expectedCode) << r.out << r.err;
        try {
            return json::asObject(json::parse(r.out));
        } catch (const std::exception& e) {
            ADD_FAILURE() << "not JSON: " << r.out << r.err;
            return json::makeObject();
        }
    }
    /// The stand-in's call log since the last take.
    std::string takeCalls() {
        std::string all = readFile(home_.path() + "/standin/calls");
        std::string fresh = all.substr(seen_);
        seen_ = all.size();
        return fresh;
    }
    int unitPid() const { return std::atoi(readFile(home_.path() + "/standin/pid-" + kUnit).c_str()); }
    static bool zombie(int pid) {
        std::string stat = readFile("/proc/" + std::to_string(pid) + "/stat");
        size_t paren = stat.rfind(')');
        return stat.empty() || (paren != std::string::npos && stat.compare(paren + 2, 1, "Z") == 0);
    }
    static bool gone(int pid) { return ::kill(pid, 0) != 0 || zombie(pid); }
    bool waitHealthy(const std::string& token = "T0k3n") const {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (std::chrono::steady_clock::now() < deadline) {
            if (cli({"gateway", "health", "--token", token, "--timeout", "1000"}).code == 0) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return false;
    }
    std::string unitPath() const { return home_.path() + "/.config/systemd/user/" + kUnit; }
    std::string journal() const { return readFile(home_.path() + "/standin/journal-" + kUnit); }

    TempDir home_;
    int port_ = 0;
    size_t seen_ = 0;
};

} // namespace

TEST_F(SystemdStandIn, InstallRunsTheUnitsGatewayThenRestartStopStartAndUninstall) {
    json::ObjectPtr installed = cliJson({"gateway", "install", "--runtime", "systemd"});
    EXPECT_EQ(json::getString(installed, "result"), "installed") << json::stringify(installed);
    EXPECT_EQ(takeCalls(), "systemctl --user daemon-reload\n"
                           "systemctl --user enable --now " +
                               kUnit +
                               "\n"
                               "loginctl show-user tester -p Linger\n" +
                               kShow);
    EXPECT_NE(json::stringify(installed->get("hints")).find("loginctl enable-linger tester"),
              std::string::npos)
        << json::stringify(installed);
    const std::string unit = readFile(unitPath());
    EXPECT_NE(unit.find("ExecStart=" + openclawBin() + " gateway run --port " + std::to_string(port_)),
              std::string::npos)
        << unit;
    // The unit's own command line, run by the stand-in, serves on the configured port.
    ASSERT_TRUE(waitHealthy()) << journal();
    const int first = unitPid();
    ASSERT_GT(first, 0);

    json::ObjectPtr status = cliJson({"gateway", "status", "--no-probe"});
    json::ObjectPtr service = json::getObject(status, "service");
    ASSERT_TRUE(service) << json::stringify(status);
    EXPECT_EQ(json::getString(service, "backend"), "systemd") << json::stringify(service);
    EXPECT_EQ(json::getBool(service, "loaded"), true) << json::stringify(service);
    EXPECT_EQ(json::getInt(json::getObject(service, "runtime"), "pid"), first) << json::stringify(service);
    EXPECT_EQ(takeCalls(), kShow);

    EXPECT_EQ(json::getString(cliJson({"gateway", "restart"}), "result"), "restarted");
    EXPECT_TRUE(gone(first)) << "restart left the old gateway running";
    ASSERT_TRUE(waitHealthy()) << journal();
    EXPECT_NE(unitPid(), first);

    const int second = unitPid();
    EXPECT_EQ(json::getString(cliJson({"gateway", "stop"}), "result"), "stopped");
    EXPECT_TRUE(gone(second));
    EXPECT_NE(journal().find("received SIGTERM; shutting down"), std::string::npos) << journal();
    EXPECT_NE(journal().find("[gateway] stopped"), std::string::npos) << "a clean stop: " << journal();
    EXPECT_NE(cli({"gateway", "health", "--token", "T0k3n", "--timeout", "1000"}).code, 0);

    EXPECT_EQ(json::getString(cliJson({"gateway", "start"}), "result"), "started");
    ASSERT_TRUE(waitHealthy()) << journal();
    const int third = unitPid();

    takeCalls();
    EXPECT_EQ(json::getString(cliJson({"gateway", "uninstall"}), "result"), "uninstalled");
    // After the unit file is gone there is no status to read.
    EXPECT_EQ(takeCalls(), "systemctl --user disable --now " + kUnit + "\nsystemctl --user daemon-reload\n");
    EXPECT_TRUE(gone(third));
    EXPECT_TRUE(readFile(unitPath()).empty());
    EXPECT_EQ(readFile(home_.path() + "/standin/calls").find("UNEXPECTED"), std::string::npos)
        << readFile(home_.path() + "/standin/calls");
}

TEST_F(SystemdStandIn, AutoPicksSystemdWhenTheUserManagerAnswersElseTheSupervisor) {
    json::ObjectPtr noBus = json::asObject(
        json::parse(cli({"gateway", "status", "--no-probe", "--json"}, {{"STANDIN_NO_BUS", "1"}}).out));
    EXPECT_EQ(json::getString(json::getObject(noBus, "service"), "backend"), "supervisor")
        << json::stringify(noBus);
    EXPECT_EQ(takeCalls(), "systemctl --user show-environment\n");

    json::ObjectPtr installed = cliJson({"gateway", "install", "--runtime", "auto"});
    EXPECT_EQ(json::getString(installed, "result"), "installed") << json::stringify(installed);
    EXPECT_EQ(takeCalls(), "systemctl --user show-environment\n"
                           "systemctl --user daemon-reload\n"
                           "systemctl --user enable --now " +
                               kUnit + "\nloginctl show-user tester -p Linger\n" + kShow);
    EXPECT_FALSE(readFile(unitPath()).empty());
    ASSERT_TRUE(waitHealthy()) << journal();
    // Once installed, the installed runtime is used without asking the manager again.
    json::ObjectPtr again = cliJson({"gateway", "install", "--runtime", "auto"});
    EXPECT_EQ(json::getString(again, "result"), "already-installed");
    EXPECT_EQ(takeCalls(), kShow);
    EXPECT_EQ(json::getString(cliJson({"gateway", "uninstall"}), "result"), "uninstalled");
}

TEST_F(SystemdStandIn, ForcedInstallRewritesTheUnitAndRestartsThroughTheManager) {
    ASSERT_EQ(json::getString(cliJson({"gateway", "install", "--runtime", "systemd"}), "result"),
              "installed");
    ASSERT_TRUE(waitHealthy()) << journal();
    takeCalls();
    json::ObjectPtr same = cliJson({"gateway", "install", "--runtime", "systemd"});
    EXPECT_EQ(json::getString(same, "result"), "already-installed");
    EXPECT_EQ(takeCalls(), kShow) << "an unforced second install only reads the status";
    json::ObjectPtr forced = cliJson({"gateway", "install", "--runtime", "systemd", "--force"});
    EXPECT_EQ(json::getString(forced, "result"), "installed");
    EXPECT_EQ(takeCalls(), "systemctl --user daemon-reload\nsystemctl --user enable --now " + kUnit +
                               "\nloginctl show-user tester -p Linger\n" + kShow);
    EXPECT_EQ(json::getString(cliJson({"gateway", "uninstall"}), "result"), "uninstalled");
}

TEST_F(SystemdStandIn, TheTokenGoesToA0600EnvironmentFileNeverIntoTheUnit) {
    const std::string secret = "Unit5ecretT0ken81";
    home_.write(".openclaw/openclaw.json", "{ gateway: { mode: 'local', auth: { mode: 'token' } } }");
    ASSERT_EQ(
        json::getString(cliJson({"gateway", "install", "--runtime", "systemd", "--token", secret}), "result"),
        "installed");
    EXPECT_EQ(readFile(unitPath()).find(secret), std::string::npos) << readFile(unitPath());
    const std::string envFile = home_.path() + "/.openclaw/service/gateway.env";
    EXPECT_NE(readFile(envFile).find("OPENCLAW_GATEWAY_TOKEN=" + secret), std::string::npos);
    struct stat st {};
    ASSERT_EQ(::stat(envFile.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    // The manager hands the file to the gateway: the token from the file is the one it accepts.
    EXPECT_TRUE(waitHealthy(secret)) << "journal: " << journal() << "\ncalls: " << takeCalls() << "\npid "
                                     << unitPid()
                                     << (unitPid() > 0 && !gone(unitPid()) ? " running" : " gone");
    EXPECT_EQ(json::getString(cliJson({"gateway", "uninstall"}), "result"), "uninstalled");
}

TEST_F(SystemdStandIn, AManagerRefusalIsReportedWithItsOwnWordsAndExit1) {
    ASSERT_EQ(json::getString(cliJson({"gateway", "install", "--runtime", "systemd"}), "result"),
              "installed");
    ASSERT_TRUE(waitHealthy()) << journal();
    RunResult masked = cli({"gateway", "restart", "--json"}, {{"STANDIN_MASKED", "1"}});
    EXPECT_EQ(masked.code, 1) << masked.out << masked.err;
    EXPECT_NE((masked.out + masked.err).find("Unit openclaw-gateway.service is masked."), std::string::npos)
        << masked.out << masked.err;
    EXPECT_EQ(json::getString(cliJson({"gateway", "uninstall"}), "result"), "uninstalled");
    RunResult nothing = cli({"gateway", "start", "--runtime", "systemd"});
    EXPECT_EQ(nothing.code, 1);
    EXPECT_NE(nothing.err.find("Gateway service is not installed."), std::string::npos) << nothing.err;
}
