// Which service manager serves a profile: the one asked for, else the one installed, else systemd when a
// user manager answers, else the portable supervisor.
#pragma once

#include "config/Environment.h"
#include "config/Paths.h"
#include "service/ServiceManager.h"

#include <memory>
#include <string>

namespace openclaw::service {

class CommandRunner;

/// --runtime
enum class Runtime { Auto, Systemd, Supervisor };

/// The word for --runtime, or nothing when it is not auto, systemd or supervisor.
std::optional<Runtime> parseRuntime(const std::string& word);

/// This executable's path (/proc/self/exe), for the service's ExecStart.
std::string selfExecutable();

/// The service manager for the profile of `paths`.
std::unique_ptr<ServiceManager> chooseServiceManager(const config::Environment& env,
                                                     const config::Paths& paths, Runtime runtime,
                                                     CommandRunner& runner);

/// The status of the profile's service (whichever backend has it installed).
ServiceStatus profileServiceStatus(const config::Environment& env, const config::Paths& paths);

} // namespace openclaw::service
