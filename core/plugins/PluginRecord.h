// What the plugin host knows about one discovered plugin: where it was found, whether it is enabled and
// why, where it is in its life, and its validated config section.
#pragma once

#include "config/Modes.h"
#include "plugins/Manifest.h"

#include <optional>
#include <string>

namespace openclaw::plugins {

/// Where a plugin was found, highest precedence first.
enum class PluginOrigin {
    Config,  ///< plugins.load.paths
    Bundled, ///< shipped with the gateway
    State    ///< ~/.openclaw/plugins
};

/// Where a plugin is in its life.
enum class PluginState {
    Discovered, ///< manifest read, enabled, not checked yet
    Disabled,   ///< turned off by config (enabledReason says how)
    Shadowed,   ///< another plugin with the same id takes precedence
    Ready,      ///< binary checked (ABI, entry point), not created
    Loaded,     ///< instance created
    Error       ///< could not be loaded (error says why)
};

/// What the host knows about one discovered plugin.
struct PluginRecord {
    Manifest manifest;
    PluginOrigin origin = PluginOrigin::Bundled;
    bool enabled = false;
    std::string enabledReason; ///< why enabled or disabled, in words
    PluginState state = PluginState::Discovered;
    std::string error;                   ///< the load error, naming the file and what is wrong
    std::optional<AbiVersion> binaryAbi; ///< the ABI the binary answered (unset: not opened)
    std::string configJson = "{}";       ///< validated plugins.entries.<id>.config
    std::string libraryStamp;            ///< the binary's identity when it was opened (file, size, mtime)
};

} // namespace openclaw::plugins

namespace openclaw::config {
template <> struct NameTable<plugins::PluginOrigin> {
    static constexpr NamedValue<plugins::PluginOrigin> values[] = {
        {plugins::PluginOrigin::Config, "config"},
        {plugins::PluginOrigin::Bundled, "bundled"},
        {plugins::PluginOrigin::State, "state"}};
};
template <> struct NameTable<plugins::PluginState> {
    static constexpr NamedValue<plugins::PluginState> values[] = {
        {plugins::PluginState::Discovered, "discovered"}, {plugins::PluginState::Disabled, "disabled"},
        {plugins::PluginState::Shadowed, "shadowed"},     {plugins::PluginState::Ready, "ready"},
        {plugins::PluginState::Loaded, "loaded"},         {plugins::PluginState::Error, "error"}};
};
} // namespace openclaw::config
