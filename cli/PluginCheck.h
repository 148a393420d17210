// `openclaw plugins check <folder> [--config <json>]`: one plugin folder judged by the gateway's own code
// (manifest, ABI, id and capabilities against the binary, built-in names, the config against the schema)
// without creating the plugin. The SDK's fake host runs it, so a unit test refuses what the gateway refuses,
// with the same words.
#pragma once

#include "json/Json.h"

#include <string>

namespace openclaw::cli {

/// What the gateway would say about a plugin folder.
struct PluginCheckResult {
    bool ok = false;
    std::string id;      ///< from the manifest ("" when it could not be read)
    std::string version; ///< from the manifest
    std::string abi;     ///< the manifest's "abi"
    std::string error;   ///< the gateway's message when not ok
};

/// Checks the plugin in `folder` with `pluginConfig` as its plugins.entries.<id>.config (empty = `{}`).
PluginCheckResult checkPluginFolder(const std::string& folder, const json::Var& pluginConfig);

} // namespace openclaw::cli
