// `gateway status --deep`: processes and service units on this machine that look like other gateways.
#pragma once

#include <string>
#include <vector>

namespace openclaw::report {

/// Something that looks like another gateway (best effort).
struct OtherGateway {
    std::string kind;   ///< "process" | "unit"
    std::string label;  ///< command or unit file name
    std::string detail; ///< "pid N listening on A" or the unit's path
};

/// Listening processes whose command mentions openclaw (other than on `ownPort`), and openclaw/clawdbot
/// unit files in the user's and the system's systemd folders.
std::vector<OtherGateway> findOtherGateways(int ownPort, const std::string& home);

} // namespace openclaw::report
