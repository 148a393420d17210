// Where OpenClaw keeps its state and config, as the reference resolves them:
// OPENCLAW_HOME replaces $HOME; state dir is ~/.openclaw, ~/.openclaw-<profile> or ~/.openclaw-dev,
// unless OPENCLAW_STATE_DIR; config is <state>/openclaw.json (or openclaw.yaml when only that exists),
// unless OPENCLAW_CONFIG_PATH.
#pragma once

#include "config/Environment.h"

#include <optional>
#include <string>

namespace openclaw::config {

/// Global CLI flags that select a profile.
struct ProfileOptions {
    std::optional<std::string> profile; ///< --profile <name>
    bool dev = false;                   ///< --dev
};

/// Resolved locations.
struct Paths {
    std::string home;         ///< the home used for ~ (OPENCLAW_HOME or HOME)
    std::string stateDir;     ///< state directory
    std::string configPath;   ///< config file to read (may not exist)
    std::string configSource; ///< "env OPENCLAW_CONFIG_PATH" | "default"
    /// The native settings file (the gateway's own settings, merged over configPath; may not exist):
    /// OPENCLAW_NATIVE_CONFIG, else native.json5 (or native.yaml) beside configPath.
    std::string nativeConfigPath;
    std::string profile; ///< effective profile name ("" default, "dev" for --dev)

    /// The log file the gateway writes (JSON lines).
    std::string logFile() const { return stateDir + "/logs/gateway.log"; }
    /// Folder scanned for operator-installed plugins.
    std::string pluginDir() const { return stateDir + "/plugins"; }
};

/// Resolves paths. `fileExists` decides between openclaw.json and openclaw.yaml.
/// Throws std::invalid_argument for an invalid profile name.
Paths resolvePaths(const Environment& env, const ProfileOptions& opts,
                   bool (*fileExists)(const std::string&));

/// Expands a leading "~" or "~/" against `home`.
std::string expandHome(const std::string& path, const std::string& home);

/// True when the file exists (regular file or link to one).
bool fileExists(const std::string& path);

} // namespace openclaw::config
