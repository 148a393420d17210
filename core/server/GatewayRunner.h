// `openclaw gateway run`: dev config, guards, plugin loading, listeners, signals and in-process
// restart. Returns the process exit code (78 = EX_CONFIG for config and guard refusals).
#pragma once

#include "config/ConfigLoader.h"

#include <optional>
#include <string>
#include <vector>

namespace openclaw::server {

constexpr int kExitConfig = 78;

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
    std::string wsLog = "auto";
    bool rawStream = false;
    std::string rawStreamPath;
    std::vector<std::string> bundledPluginDirs; ///< empty: PluginHost::defaultBundledDir()
};

/// Runs the gateway in the foreground until SIGINT/SIGTERM.
int runGateway(const config::Environment& env, const config::ProfileOptions& profile, RunOptions opts);

/// The addresses to bind for a bind mode (tailnetAddress: from the exposure plugin, may be empty).
/// Throws std::runtime_error for an unusable mode.
std::vector<std::string> bindHosts(const config::GatewayConfig& cfg, const std::string& tailnetAddress);

/// True when every host is a loopback address.
bool allLoopback(const std::vector<std::string>& hosts);

/// The startup guards, in the reference's order. Returns the refusal text (empty = allowed).
std::string checkGuards(const config::GatewayConfig& cfg, const std::vector<std::string>& hosts,
                        bool allowUnconfigured);

} // namespace openclaw::server
