// openclaw.plugin.json: what a plugin is, read without loading its code.
#pragma once

#include "plugins/ConfigAccess.h"
#include "json/Json.h"
#include "json/SchemaValidator.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace openclaw::plugins {

/// An ABI version, major.minor.
struct AbiVersion {
    uint32_t major = 0;
    uint32_t minor = 0;
    /// "1.2"
    std::string text() const { return std::to_string(major) + "." + std::to_string(minor); }
    bool operator==(const AbiVersion& o) const { return major == o.major && minor == o.minor; }
    bool operator!=(const AbiVersion& o) const { return !(*this == o); }
};

/// Parses "1.2" (or "1", which is 1.0); nothing when it is not major[.minor] with a positive major.
std::optional<AbiVersion> parseAbiVersion(const std::string& text);

/// A parsed manifest.
struct Manifest {
    std::string id;
    std::string name;
    std::string version;
    std::string description;
    AbiVersion abi;                        ///< the ABI the binary needs ("abi": "1.1"; a bare 1 is 1.0)
    std::vector<std::string> capabilities; ///< "auth", "exposure", "discovery", "tunnel", "methods", "hooks"
    json::Var configSchema;                ///< JSON Schema of plugins.entries.<id>.config
    /// configSchema compiled once, when the manifest is parsed (shared: a manifest is copied into records).
    std::shared_ptr<const json::CompiledSchema> compiledSchema;
    std::string library; ///< shared object file name, relative to dir
    bool enabledByDefault = true;
    /// Set while the plugin's feature is not implemented yet (what is missing, and the issue that brings
    /// it): listed as such instead of "ready".
    std::string unfinished;
    std::string authMode; ///< for auth plugins: the gateway.auth.mode served
    /// For an auth overlay (asked before the configured mode's plugin, e.g. a tailnet identity check): its
    /// priority, higher first ("authOverlay": N). Unset for a plugin that serves a gateway.auth.mode.
    std::optional<int> authOverlay;
    /// What of the gateway config the plugin is handed (ABI 1.2+: "configAccess"; older: all of it).
    ConfigAccess configAccess;
    std::string dir;          ///< folder holding the manifest
    std::string manifestPath; ///< full path of the manifest

    /// Full path of the shared object.
    std::string libraryPath() const { return dir + "/" + library; }

    /// Whether every capability is one only CLI commands use (tunnel): `gateway run` leaves such a plugin
    /// unloaded, since nothing in a running gateway would call it.
    bool servesOnlyCommands() const;

    /// What configSchema says of a plugins.entries.<id>.config section (empty = valid, or no schema).
    std::vector<json::SchemaViolation> checkConfig(const json::Var& section) const;
};

/// Parses manifest text (strict JSON). Throws config::ConfigError naming the file and the field.
Manifest parseManifest(const std::string& text, const std::string& manifestPath);

/// Maps a capability name to its OC_CAP_* bit (0 for unknown).
uint32_t capabilityBit(const std::string& name);
/// Names of the bits set in a capability mask, in a fixed order.
std::vector<std::string> capabilityNames(uint32_t mask);

} // namespace openclaw::plugins
