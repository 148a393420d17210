// What the service commands share with `gateway status`: choosing the service manager for a profile and
// describing the installed service.
#pragma once

#include "Context.h"

#include "service/ServiceManager.h"

#include <memory>
#include <string>

namespace openclaw::cli {

/// The service manager for a profile: systemd when `systemctl --user` answers (or runtime says so),
/// else the portable supervisor.
std::unique_ptr<service::ServiceManager> chooseServiceManager(const Context& ctx, const config::Paths& paths,
                                                              const std::string& runtime,
                                                              service::CommandRunner& runner);
/// The service part of `gateway status` as JSON; fills *out when given.
json::ObjectPtr serviceStatusJson(const Context& ctx, const config::Paths& paths,
                                  service::ServiceStatus* out);

} // namespace openclaw::cli
