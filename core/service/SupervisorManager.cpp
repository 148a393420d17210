// The portable backend: `openclaw gateway supervise` runs detached and keeps the gateway up.
#include "config/Paths.h"
#include "files/AtomicFile.h"
#include "process/Stop.h"
#include "service/ServiceManager.h"
#include "service/Supervisor.h"
#include "json/Json.h"

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <functional>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace openclaw::service {

namespace {

using Clock = std::chrono::steady_clock;

bool waitFor(int timeoutMs, const std::function<bool()>& cond) {
    auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
    while (Clock::now() < deadline) {
        if (cond()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return cond();
}

class SupervisorManager : public ServiceManager {
  public:
    SupervisorManager(std::string exe, std::string stateDir, std::string name)
        : exe_(std::move(exe)), files_(stateDir + "/service"), name_(std::move(name)) {}

    std::string backend() const override { return "supervisor"; }

    bool installed() const { return config::fileExists(files_.spec()); }

    ActionResult install(const ServiceSpec& spec, bool force) override {
        ActionResult a;
        a.action = "install";
        if (installed() && !force) {
            a.result = "already-installed";
            a.message = "Gateway service already installed (supervisor, " + files_.spec() + ").";
            a.hints.push_back("openclaw gateway install --force");
            return a;
        }
        if (installed()) stop();
        writeSupervisorSpec(files_, spec);
        ActionResult started = start();
        started.action = "install";
        if (!started.ok) return started;
        a.result = "installed";
        a.message = "Installed the gateway service (supervisor, " + files_.spec() + ") and started it.";
        a.hints.push_back("Logs: " + files_.log());
        return a;
    }

    ActionResult uninstall() override {
        ActionResult a;
        a.action = "uninstall";
        if (!installed()) {
            a.result = "not-installed";
            a.message = "No gateway service to remove.";
            return a;
        }
        stop();
        ServiceSpec spec = readSupervisorSpec(files_);
        std::remove(files_.spec().c_str());
        std::remove(files_.state().c_str());
        if (!spec.environmentFile.empty()) std::remove(spec.environmentFile.c_str());
        a.result = "uninstalled";
        a.message =
            "Removed the gateway service (config and state are kept; the log stays at " + files_.log() + ").";
        return a;
    }

    ActionResult start() override {
        ActionResult a;
        a.action = "start";
        if (!installed()) {
            a.ok = false;
            a.result = "not-installed";
            a.error = "Gateway service is not installed.";
            a.hints.push_back("openclaw gateway install");
            return a;
        }
        if (livePid(files_.supervisorPid())) {
            a.result = "started";
            a.message = "Gateway service is already running (supervisor pid " +
                        std::to_string(livePid(files_.supervisorPid())) + ").";
            return a;
        }
        files::makeDirs(files_.dir);
        std::remove(files_.gatewayPid().c_str());
        // Double fork + setsid: the supervisor outlives this command and the terminal.
        pid_t pid = ::fork();
        if (pid < 0) {
            a.ok = false;
            a.result = "failed";
            a.error = "cannot fork the supervisor";
            return a;
        }
        if (pid == 0) {
            ::setsid();
            if (::fork() != 0) ::_exit(0);
            int nullFd = ::open("/dev/null", O_RDWR);
            int logFd = ::open(files_.log().c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
            ::dup2(nullFd, 0);
            ::dup2(logFd, 1);
            ::dup2(logFd, 2);
            for (int fd = 3; fd < 1024; ++fd)
                ::close(fd);
            sigset_t none;
            sigemptyset(&none);
            ::sigprocmask(SIG_SETMASK, &none, nullptr);
            if (::chdir("/") != 0) ::_exit(1);
            ::execl(exe_.c_str(), exe_.c_str(), "gateway", "supervise", "--service-dir", files_.dir.c_str(),
                    static_cast<char*>(nullptr));
            ::_exit(127);
        }
        int status = 0;
        ::waitpid(pid, &status, 0);
        if (!waitFor(5000, [&] { return livePid(files_.gatewayPid()) != 0; })) {
            a.ok = false;
            a.result = "failed";
            a.error = "the gateway did not start under the supervisor; see " + files_.log();
            return a;
        }
        a.result = "started";
        a.message = "Gateway service started (supervisor pid " +
                    std::to_string(livePid(files_.supervisorPid())) + ", gateway pid " +
                    std::to_string(livePid(files_.gatewayPid())) + ").";
        return a;
    }

    ActionResult stop() override {
        ActionResult a;
        a.action = "stop";
        int sup = livePid(files_.supervisorPid());
        int gw = livePid(files_.gatewayPid());
        if (!sup) {
            a.result = installed() ? "stopped" : "not-installed";
            a.message = installed() ? "Gateway service is not running."
                                    : "No gateway service is installed; nothing to stop.";
            return a;
        }
        // The supervisor gives the gateway its stop timeout, then SIGKILLs it; allow a margin. A gateway
        // still running after its supervisor went (killed) gets the same treatment.
        bool killed = process::stop(sup, std::chrono::seconds(20)) == process::Stopped::Killed;
        killed = (gw && process::stop(gw, std::chrono::seconds(5)) == process::Stopped::Killed) || killed;
        if (killed) a.warnings.push_back("the supervisor did not stop in time and was killed");
        std::remove(files_.supervisorPid().c_str());
        std::remove(files_.gatewayPid().c_str());
        a.result = "stopped";
        a.message = "Gateway service stopped.";
        return a;
    }

    ActionResult restart() override {
        ActionResult a;
        a.action = "restart";
        int sup = livePid(files_.supervisorPid());
        if (!sup) {
            ActionResult s = start();
            s.action = "restart";
            if (s.ok) s.result = "restarted";
            return s;
        }
        int before = livePid(files_.gatewayPid());
        ::kill(sup, SIGHUP);
        if (!waitFor(20000, [&] {
                int now = livePid(files_.gatewayPid());
                return now != 0 && now != before;
            })) {
            a.ok = false;
            a.result = "restart-failed";
            a.error = "the gateway did not come back after the restart; see " + files_.log();
            return a;
        }
        a.result = "restarted";
        a.message =
            "Gateway service restarted (gateway pid " + std::to_string(livePid(files_.gatewayPid())) + ").";
        return a;
    }

    ServiceStatus status() override {
        ServiceStatus s;
        s.backend = "supervisor";
        s.label = "supervisor";
        s.file = files_.spec();
        s.logFile = files_.log();
        s.installed = installed();
        if (!s.installed) return s;
        try {
            s.configPath = readSupervisorSpec(files_).configPath;
        } catch (const std::exception& e) {
            s.detail = e.what();
        }
        s.loaded = livePid(files_.supervisorPid()) != 0;
        s.pid = livePid(files_.gatewayPid());
        s.running = s.pid != 0;
        // The supervisor writes its state file whole (atomically); before its first write there is none.
        const std::optional<json::Var> state =
            json::tryParse(files::readWholeFile(files_.state()).value_or(""));
        if (json::ObjectPtr st = state ? json::asObject(*state) : nullptr) {
            s.since = json::getString(st, "since").value_or("");
            s.restarts = static_cast<int>(json::getInt(st, "restarts").value_or(0));
            if (auto e = json::getInt(st, "lastExit")) s.lastExit = static_cast<int>(*e);
            if (s.detail.empty()) s.detail = json::getString(st, "note").value_or("");
        }
        return s;
    }

  private:
    std::string exe_;
    SupervisorFiles files_;
    std::string name_;
};

} // namespace

std::unique_ptr<ServiceManager> makeSupervisorManager(const std::string& exe, const std::string& stateDir,
                                                      const std::string& name) {
    return std::make_unique<SupervisorManager>(exe, stateDir, name);
}

} // namespace openclaw::service
