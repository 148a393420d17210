#include "service/ServiceSpec.h"

#include <sstream>
#include <stdexcept>

namespace openclaw::service {

ServiceSpec makeSpec(const std::string& exe, const std::string& profile, const std::string& stateDir,
                     const std::string& configPath, int port, const std::string& version) {
    ServiceSpec s;
    s.name = profile.empty() ? "openclaw-gateway" : "openclaw-gateway-" + profile;
    s.argv = {exe, "gateway", "run", "--port", std::to_string(port)};
    s.stateDir = stateDir;
    s.configPath = configPath;
    s.port = port;
    s.environmentFile = stateDir + "/service/gateway.env";
    s.env["OPENCLAW_STATE_DIR"] = stateDir;
    s.env["OPENCLAW_CONFIG_PATH"] = configPath;
    s.env["OPENCLAW_GATEWAY_PORT"] = std::to_string(port);
    if (!profile.empty()) s.env["OPENCLAW_PROFILE"] = profile;
    s.env["OPENCLAW_SERVICE_MARKER"] = "openclaw";
    s.env["OPENCLAW_SERVICE_KIND"] = "gateway";
    s.env["OPENCLAW_SERVICE_VERSION"] = version;
    return s;
}

std::string renderEnvironmentFile(const std::map<std::string, std::string>& vars) {
    std::string out =
        "# Written by `openclaw gateway install`; mode 0600. Secrets for the gateway service.\n";
    for (const auto& [k, v] : vars) {
        if (v.find('\n') != std::string::npos || v.find('\r') != std::string::npos)
            throw std::invalid_argument("environment value of " + k + " contains a line break");
        out += k + "=" + v + "\n";
    }
    return out;
}

std::map<std::string, std::string> parseEnvironmentFile(const std::string& text) {
    std::map<std::string, std::string> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        size_t eq = line.find('=');
        if (eq == std::string::npos || eq == 0) continue;
        out[line.substr(0, eq)] = line.substr(eq + 1);
    }
    return out;
}

} // namespace openclaw::service
