// What a gateway service runs: the same for every backend (systemd user unit, portable supervisor).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace openclaw::service {

/// The service to install.
struct ServiceSpec {
    std::string name; ///< openclaw-gateway or openclaw-gateway-<profile>
    std::string description = "OpenClaw Gateway";
    std::vector<std::string> argv;          ///< our binary, "gateway", "run", "--port", N
    std::map<std::string, std::string> env; ///< non-secret environment (markers, paths, port)
    std::string environmentFile; ///< 0600 file with secrets (OPENCLAW_GATEWAY_TOKEN=…), may not exist
    std::string stateDir;        ///< the profile's state dir
    std::string configPath;      ///< the config the service uses
    int port = 18789;
};

/// Builds the spec for this executable, profile paths and port. `exe` is our binary's path.
ServiceSpec makeSpec(const std::string& exe, const std::string& profile, const std::string& stateDir,
                     const std::string& configPath, int port, const std::string& version);

/// Renders `KEY=value` lines of an environment file (values with newlines are refused:
/// std::invalid_argument).
std::string renderEnvironmentFile(const std::map<std::string, std::string>& vars);

/// Parses an environment file written by renderEnvironmentFile (ignores blank lines and # comments).
std::map<std::string, std::string> parseEnvironmentFile(const std::string& text);

} // namespace openclaw::service
