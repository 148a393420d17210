// Edits a JSON5 config file's text in place, so that what an edit does not touch (comments, key order,
// formatting) stays as the operator wrote it. Pure: text in, text out.
#pragma once

#include "json/Json.h"

#include <string>

namespace openclaw::config {

/// The text with the value at `path` (dot path of object members, "gateway.auth.token") set to `value`:
/// replaced where it exists, else inserted into the nearest existing object (with the objects on the way).
/// Throws ConfigError when the text is not a JSON5 object, or a parent on the path is not an object.
std::string setConfigValue(const std::string& text, const std::string& file, const std::string& path,
                           const json::Var& value);

/// The text without the member at `path`. Throws ConfigError when the text is not a JSON5 object;
/// returns the text unchanged when the path is not set (check with the parsed document first).
std::string unsetConfigValue(const std::string& text, const std::string& file, const std::string& path);

/// A value as JSON5 text (object keys unquoted where they are identifiers).
std::string renderJson5(const json::Var& value);

} // namespace openclaw::config
