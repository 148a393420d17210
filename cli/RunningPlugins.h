// What the gateway running on this machine says about its plugins (its `health` lists those it loaded and
// those that failed), so `plugins list` and `plugins info` never call a plugin "ready" that failed there.
#pragma once

#include "config/Environment.h"
#include "config/GatewayConfig.h"

#include <map>
#include <set>
#include <string>

namespace openclaw::cli {

/// The running gateway's view, or why there is none.
struct RunningPlugins {
    bool answered = false;
    std::string url;                           ///< where it was asked
    std::string why;                           ///< when it did not answer: what happened
    std::set<std::string> loaded;              ///< ids it loaded
    std::map<std::string, std::string> errors; ///< id → the error it recorded
};

/// Asks the local gateway (loopback, local credentials) for its health, for at most `timeoutMs`.
RunningPlugins askRunningGateway(const config::GatewayConfig& cfg, const config::Environment& env,
                                 int timeoutMs);

} // namespace openclaw::cli
