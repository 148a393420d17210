// Writes an edited config file safely: validated before anything is written, the previous text kept as
// <file>.bak, the new text written atomically (mode 0600).
#pragma once

#include "config/ConfigSchema.h"
#include "config/Document.h"
#include "config/Environment.h"
#include "config/GatewayConfig.h"
#include "config/Paths.h"

#include <functional>
#include <optional>
#include <string>

namespace openclaw::config {

/// A new gateway token: 64 hex characters from the system's random source.
std::string generateGatewayToken();

/// Validates `newText` as the file at `path` (its role decides which keys it may hold: see ConfigSchema.h)
/// and writes it, keeping `oldText` (when there was one) as `path`.bak. Throws ConfigError, with nothing
/// written, when the result would be invalid or the file is YAML (edited by hand only). Returns warnings.
/// `extraCheck`, when given, judges the new config beyond its own schema (the CLI checks the plugins' schemas
/// with it) and throws ConfigError to refuse it: nothing is written then either.
using ExtraCheck = std::function<void(const GatewayConfig& config, const Document& doc)>;
std::vector<std::string> writeValidatedConfig(const std::string& path,
                                              const std::optional<std::string>& oldText,
                                              const std::string& newText, ConfigRole role, const Paths& paths,
                                              const Environment& env, const ExtraCheck& extraCheck = {});

} // namespace openclaw::config
