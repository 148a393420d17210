// JSON5 (https://spec.json5.org) to a Document: comments, trailing commas, unquoted keys,
// single-quoted strings, hex numbers, leading/trailing decimal points, +/-Infinity, NaN,
// escaped line breaks. Pure: text in, Document or ConfigError out.
#pragma once

#include "config/Document.h"

namespace openclaw::config {

/// Parses JSON5 text. Throws ConfigError naming file, line and column on malformed input.
/// Nesting deeper than 256 levels is refused (no stack exhaustion on hostile input).
Document parseJson5(const std::string& text, const std::string& file);

} // namespace openclaw::config
