// Builds a GatewayConfig from a config file, the environment and CLI flags.
// Precedence: CLI flag > environment > file > default (auth secrets follow the reference:
// flag > config > environment).
#pragma once

#include "config/Document.h"
#include "config/GatewayConfig.h"

namespace openclaw::config {

/// CLI flags that override config (all optional).
struct Overrides {
    std::optional<int> port;
    std::optional<std::string> bind;
    std::optional<std::string> authMode;
    std::optional<std::string> token;
    std::optional<std::string> password;
    std::optional<std::string> tailscaleMode;
    std::optional<bool> tailscaleResetOnExit;
};

/// The text of a config file, or nothing when it does not exist. Throws ConfigError for a directory or
/// an unreadable file.
std::optional<std::string> readConfigText(const std::string& path);

/// Reads and parses the config file at `path` (JSON5, or YAML for .yaml/.yml).
/// Returns nothing when the file does not exist. Throws ConfigError.
std::optional<Document> readConfigFile(const std::string& path);

/// Parses text by the file's extension (JSON5, or YAML for .yaml/.yml). Throws ConfigError.
Document parseConfigText(const std::string& text, const std::string& file);

/// Replaces ${VAR} in every string of the document from env ($${VAR} escapes).
/// A missing variable is a ConfigError at that key.
void substituteEnv(Document& doc, const Environment& env);

/// Validates known keys and builds the typed config. Throws ConfigError at the offending key.
GatewayConfig buildConfig(const Document* doc, const Paths& paths, const Environment& env,
                          const Overrides& overrides);

/// All of the above: resolve paths, read, substitute, build.
GatewayConfig loadConfig(const Environment& env, const ProfileOptions& profile, const Overrides& overrides);

} // namespace openclaw::config
