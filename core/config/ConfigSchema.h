// Which keys a config file may hold. openclaw.json is shared with the rest of OpenClaw, whose validator
// refuses keys it does not know and whose `doctor --fix` deletes them, so it may hold exactly what the
// reference's schema allows (compiled in from config/reference-config-schema.json). The gateway's own
// settings live in the native settings file (native.json5, same shape, merged over openclaw.json); their
// old places in openclaw.json are read once more, with a warning that says where to move them. Pure.
#pragma once

#include "config/Document.h"

#include <string>
#include <vector>

namespace openclaw::config {

/// Which file a document is.
enum class ConfigRole {
    Shared, ///< openclaw.json: the reference's keys only (our old keys warned about)
    Native  ///< native.json5: the reference's keys and the gateway's own
};

/// One of the gateway's own settings: its key path in the native file and where it used to be read
/// from in openclaw.json (the same path, or another).
struct OwnSetting {
    std::string path;
    std::string oldPath;
};

/// The gateway's own settings.
const std::vector<OwnSetting>& ownSettings();

/// Checks every key and value of `doc` against the reference's schema (the sections the gateway owns,
/// at any depth) plus the gateway's own settings. Throws ConfigError at the first refused key or value,
/// naming the nearest known key for a misspelt one. Returns the warnings for own settings found in
/// their old places (`nativePath`: where they belong).
std::vector<std::string> checkConfigDocument(const Document& doc, ConfigRole role,
                                             const std::string& nativePath);

/// The candidate closest to `word` (edit distance, case-insensitive), or "" when none is close.
std::string nearestKey(const std::string& word, const std::vector<std::string>& candidates);

} // namespace openclaw::config
