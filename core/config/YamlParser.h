// YAML (openclaw.yaml) to the same Document shape as JSON5, with positions. Pure.
#pragma once

#include "config/Document.h"

namespace openclaw::config {

/// Parses YAML text (core schema: null, booleans, integers, floats; quoted scalars stay strings).
/// Throws ConfigError with file, line and column on malformed input.
Document parseYaml(const std::string& text, const std::string& file);

} // namespace openclaw::config
