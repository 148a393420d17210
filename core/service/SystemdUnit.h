// The systemd user unit text for a ServiceSpec. Pure, golden-tested.
#pragma once

#include "service/ServiceSpec.h"

#include <string>

namespace openclaw::service {

/// Renders ~/.config/systemd/user/<name>.service: Restart=always, RestartSec=5,
/// RestartPreventExitStatus=78 (a config error must not crash-loop), the secrets only through
/// EnvironmentFile=, arguments quoted where needed and % escaped.
std::string renderSystemdUnit(const ServiceSpec& spec);

/// Quotes one ExecStart argument for systemd when it needs it.
std::string systemdQuote(const std::string& arg);

} // namespace openclaw::service
