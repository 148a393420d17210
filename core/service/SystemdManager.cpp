// The systemd user unit backend: writes ~/.config/systemd/user/<name>.service and drives
// `systemctl --user` through a CommandRunner.
#include "config/Paths.h"
#include "files/AtomicFile.h"
#include "service/CommandRunner.h"
#include "service/ServiceManager.h"
#include "service/SystemdUnit.h"

#include <cstdio>
#include <map>
#include <sstream>
#include <unistd.h>

namespace openclaw::service {

namespace {

std::string firstLine(const std::string& s) {
    return s.substr(0, s.find('\n'));
}

class SystemdManager : public ServiceManager {
  public:
    SystemdManager(CommandRunner& runner, std::string unitDir, std::string name)
        : runner_(runner), unitDir_(std::move(unitDir)), name_(std::move(name)) {}

    std::string backend() const override { return "systemd"; }
    std::string unit() const { return name_ + ".service"; }
    std::string unitPath() const { return unitDir_ + "/" + unit(); }

    ActionResult fail(const std::string& action, const CommandResult& r, const std::string& what) {
        ActionResult a;
        a.ok = false;
        a.action = action;
        a.result = "failed";
        a.error = what + " failed: " +
                  (r.exitCode < 0 ? "systemctl could not run" : firstLine(r.err.empty() ? r.out : r.err));
        a.hints.push_back("systemctl --user status " + unit());
        a.hints.push_back("journalctl --user -u " + unit() + " -n 200 --no-pager");
        return a;
    }

    CommandResult systemctl(std::vector<std::string> args) {
        args.insert(args.begin(), {"systemctl", "--user"});
        return runner_.run(args);
    }

    ActionResult install(const ServiceSpec& spec, bool force) override {
        ActionResult a;
        a.action = "install";
        if (config::fileExists(unitPath()) && !force) {
            a.result = "already-installed";
            a.message = "Gateway service already installed (" + unitPath() + ").";
            a.hints.push_back("openclaw gateway install --force");
            return a;
        }
        files::writeFileAtomic(unitPath(), renderSystemdUnit(spec), 0644);
        if (auto r = systemctl({"daemon-reload"}); r.exitCode != 0)
            return fail("install", r, "systemctl --user daemon-reload");
        if (auto r = systemctl({"enable", "--now", unit()}); r.exitCode != 0)
            return fail("install", r, "systemctl --user enable --now " + unit());
        a.result = "installed";
        a.message = "Installed and started " + unit() + " (" + unitPath() + ").";
        lingerWarning(a);
        return a;
    }

    void lingerWarning(ActionResult& a) {
        const char* user = std::getenv("USER");
        std::string who = user && *user ? user : std::to_string(::getuid());
        CommandResult r = runner_.run({"loginctl", "show-user", who, "-p", "Linger"});
        if (r.exitCode == 0 && r.out.find("Linger=no") != std::string::npos) {
            a.warnings.push_back("The user manager is not persistent: the gateway stops when you log out.");
            a.hints.push_back("loginctl enable-linger " + who);
        }
    }

    ActionResult uninstall() override {
        ActionResult a;
        a.action = "uninstall";
        if (!config::fileExists(unitPath())) {
            a.result = "not-installed";
            a.message = "No gateway service to remove.";
            return a;
        }
        systemctl({"disable", "--now", unit()}); // a failure to stop must not keep the unit file around
        std::remove(unitPath().c_str());
        systemctl({"daemon-reload"});
        a.result = "uninstalled";
        a.message = "Removed " + unitPath() + " (config and state are kept).";
        return a;
    }

    ActionResult simple(const std::string& action, const std::string& verb, const std::string& done) {
        ActionResult a;
        a.action = action;
        if (!config::fileExists(unitPath())) {
            if (action == "stop") {
                a.result = "not-installed";
                a.message = "No gateway service is installed; nothing to stop.";
                return a;
            }
            a.ok = false;
            a.result = "not-installed";
            a.error = "Gateway service is not installed.";
            a.hints.push_back("openclaw gateway install");
            return a;
        }
        if (auto r = systemctl({verb, unit()}); r.exitCode != 0)
            return fail(action, r, "systemctl --user " + verb);
        a.result = done;
        a.message = "Gateway service " + done + " (" + unit() + ").";
        return a;
    }

    ActionResult start() override { return simple("start", "start", "started"); }
    ActionResult stop() override { return simple("stop", "stop", "stopped"); }
    ActionResult restart() override { return simple("restart", "restart", "restarted"); }

    ServiceStatus status() override {
        ServiceStatus s;
        s.backend = "systemd";
        s.label = "systemd";
        s.file = unitPath();
        s.logFile = "journalctl --user -u " + unit();
        s.installed = config::fileExists(unitPath());
        if (!s.installed) return s;
        CommandResult r = systemctl({"show", unit(), "-p",
                                     "ActiveState,SubState,MainPID,ExecMainStatus,"
                                     "ActiveEnterTimestamp,UnitFileState,NRestarts"});
        std::map<std::string, std::string> kv;
        std::istringstream in(r.out);
        std::string line;
        while (std::getline(in, line)) {
            size_t eq = line.find('=');
            if (eq != std::string::npos) kv[line.substr(0, eq)] = line.substr(eq + 1);
        }
        s.loaded = kv["UnitFileState"] == "enabled";
        s.running = kv["ActiveState"] == "active";
        s.pid = std::atoi(kv["MainPID"].c_str());
        s.since = kv["ActiveEnterTimestamp"];
        if (!kv["ExecMainStatus"].empty()) s.lastExit = std::atoi(kv["ExecMainStatus"].c_str());
        s.restarts = std::atoi(kv["NRestarts"].c_str());
        s.detail = kv["ActiveState"] + (kv["SubState"].empty() ? "" : "/" + kv["SubState"]);
        return s;
    }

  private:
    CommandRunner& runner_;
    std::string unitDir_;
    std::string name_;
};

} // namespace

std::unique_ptr<ServiceManager> makeSystemdManager(CommandRunner& runner, const std::string& unitDir,
                                                   const std::string& name) {
    return std::make_unique<SystemdManager>(runner, unitDir, name);
}

bool systemdUserAvailable(CommandRunner& runner) {
    return runner.run({"systemctl", "--user", "show-environment"}).exitCode == 0;
}

} // namespace openclaw::service
