// Installing and controlling the gateway as a background service. Two backends share this
// interface: a systemd user unit, and a portable supervisor where systemd is absent.
#pragma once

#include "service/ServiceSpec.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace openclaw::service {

class CommandRunner;

/// What a service looks like right now.
struct ServiceStatus {
    std::string backend;         ///< "systemd" | "supervisor"
    std::string label;           ///< "systemd" | "supervisor"
    bool installed = false;      ///< unit file / supervisor spec present
    bool loaded = false;         ///< enabled (systemd) / supervisor running
    bool running = false;        ///< the gateway process is running
    int pid = 0;                 ///< gateway pid (0 = none)
    std::string since;           ///< when the current gateway process started (ISO-8601), if known
    std::string file;            ///< unit path or supervisor spec path
    std::string logFile;         ///< where the service logs (supervisor) or "journalctl --user -u …"
    std::optional<int> lastExit; ///< last exit status of the gateway
    std::string configPath;      ///< the config the service uses
    int restarts = 0;            ///< restarts done by the supervisor
    std::string detail;          ///< free text (why not running, …)
};

/// Result of a lifecycle action, shaped like the reference's --json answer.
struct ActionResult {
    bool ok = true;
    std::string action; ///< install | uninstall | start | stop | restart
    std::string result; ///< installed | already-installed | started | stopped | restarted | …
    std::string message;
    std::string error;
    std::vector<std::string> hints;
    std::vector<std::string> warnings;
};

/// One backend.
class ServiceManager {
  public:
    virtual ~ServiceManager() = default;
    virtual std::string backend() const = 0;
    /// Writes the service definition (atomically) and starts it. `force` rewrites an installed one.
    virtual ActionResult install(const ServiceSpec& spec, bool force) = 0;
    virtual ActionResult uninstall() = 0;
    virtual ActionResult start() = 0;
    virtual ActionResult stop() = 0;
    virtual ActionResult restart() = 0;
    virtual ServiceStatus status() = 0;
};

/// systemd user unit backend (`systemctl --user` through `runner`).
std::unique_ptr<ServiceManager> makeSystemdManager(CommandRunner& runner, const std::string& unitDir,
                                                   const std::string& name);
/// Portable supervisor backend, state in <stateDir>/service/.
std::unique_ptr<ServiceManager> makeSupervisorManager(const std::string& exe, const std::string& stateDir,
                                                      const std::string& name);

/// True when `systemctl --user` answers (a user manager runs).
bool systemdUserAvailable(CommandRunner& runner);

} // namespace openclaw::service
