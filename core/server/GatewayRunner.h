// `openclaw gateway run`: terminal and log set-up, the secret flags, the dev profile, then the gateway's
// phases (server/GatewayLifecycle) driven by the process's signals: SIGINT/SIGTERM stop, SIGUSR1 reloads.
// Returns the process exit code (78 = EX_CONFIG for config and guard refusals).
#pragma once

#include "config/ConfigLoader.h"
#include "config/Modes.h"
#include "server/GatewayLifecycle.h"

#include <optional>
#include <string>
#include <vector>

namespace openclaw::server {

/// Options of `gateway run` beyond the config overrides.
struct RunOptions {
    config::Overrides overrides;
    bool allowUnconfigured = false;
    bool reset = false;
    bool force = false;
    bool verbose = false;
    bool claudeCliLogs = false;
    bool passwordOnArgv = false;
    std::optional<std::string> passwordFile;
    config::WsLogStyle wsLog = config::WsLogStyle::Auto;
    bool rawStream = false;
    std::string rawStreamPath;
    std::vector<std::string> bundledPluginDirs; ///< empty: PluginHost::defaultBundledDir()
};

/// Runs the gateway in the foreground until SIGINT/SIGTERM.
int runGateway(const config::Environment& env, const config::ProfileOptions& profile, RunOptions opts);

} // namespace openclaw::server
