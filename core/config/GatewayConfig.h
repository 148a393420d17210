// The one typed, immutable view of configuration that the gateway and the CLI use.
// Built once by ConfigLoader (file + environment + CLI flags); a reload builds a new one.
#pragma once

#include "config/Modes.h"
#include "config/Paths.h"
#include "json/Json.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace openclaw::config {

/// gateway.auth.rateLimit
struct RateLimitConfig {
    int maxAttempts = 10;
    int windowMs = 60000;
    int lockoutMs = 300000;
    bool exemptLoopback = true;
};

/// gateway.auth
struct AuthConfig {
    AuthMode mode = AuthMode::Token;     ///< resolved (flag > config > inferred from the secrets)
    std::string modeSource;              ///< "cli" | "config" | "inferred"
    std::optional<std::string> token;    ///< effective token (flag > config > env)
    std::optional<std::string> password; ///< effective password (flag > config > env)
    RateLimitConfig rateLimit;
    bool allowTailscale = false; ///< effective gateway.auth.allowTailscale (default: on with tailscale serve)
};

/// gateway.tailscale
struct TailscaleConfig {
    TailscaleMode mode = TailscaleMode::Off;
    bool resetOnExit = false;
};

/// discovery.*
struct DiscoveryConfig {
    MdnsMode mdnsMode = MdnsMode::Minimal; ///< discovery.mdns.mode (OPENCLAW_DISABLE_BONJOUR makes it off)
    std::string wideAreaDomain;            ///< discovery.wideArea.domain with its trailing dot ("" = none)
};

/// gateway.tls
struct TlsConfig {
    bool enabled = false;
    bool autoGenerate = true;
    std::string certPath; ///< empty: <state>/gateway/tls/gateway-cert.pem
    std::string keyPath;  ///< empty: <state>/gateway/tls/gateway-key.pem
};

/// gateway.remote (client side)
struct RemoteConfig {
    std::string url;
    RemoteTransport transport = RemoteTransport::Ssh;
    std::optional<std::string> token;
    std::optional<std::string> password;
    std::string tlsFingerprint;
    std::string sshTarget;
    std::string sshIdentity;
    int remotePort =
        0; ///< gateway.remote.remotePort: the gateway's port on the SSH host (0 = the default 18789)
};

/// plugins.entries.<id>
struct PluginEntryConfig {
    std::optional<bool> enabled;
    json::Var config; ///< null when absent
};

/// plugins.*
struct PluginsConfig {
    bool enabled = true;
    std::vector<std::string> allow;
    std::vector<std::string> deny;
    std::vector<std::string> loadPaths; ///< ~ expanded
    std::map<std::string, PluginEntryConfig> entries;
    int initTimeoutMs = 10000; ///< a plugin whose create() takes longer is disabled (plugins.initTimeoutMs)
    /// A call a plugin answers later (OC_PENDING) fails past this (plugins.callTimeoutMs).
    int callTimeoutMs = 30000;
    /// plugins.authOverlays (native settings file): which auth overlays are asked, in this order; unset =
    /// every loaded overlay, by the priority in its manifest.
    std::optional<std::vector<std::string>> authOverlays;
};

/// gateway.limits.*: bounds on what one gateway holds (native extension; the reference has fixed values).
struct LimitsConfig {
    int maxSessions = 20000;               ///< authenticated sessions at once
    int maxPreauthConnections = 1024;      ///< connections not yet authenticated (oldest evicted)
    int maxInflightPerSession = 64;        ///< requests being handled off the I/O thread per session
    long long maxBufferedBytes = 52428800; ///< outbound bytes queued per session (policy.maxBufferedBytes)
};

/// Everything the gateway and CLI read from config, after precedence.
struct GatewayConfig {
    Paths paths;
    bool fileExists = false;               ///< the config file was found and read
    GatewayMode mode = GatewayMode::Unset; ///< gateway.mode
    int port = 18789;
    std::string portSource = "default"; ///< "cli --port" | "env OPENCLAW_GATEWAY_PORT" | "config" | "default"
    BindMode bind = BindMode::Loopback;
    std::string customBindHost;
    /// gateway.nodes as written (schema-checked; the devices plugin reads it through configAccess).
    json::ObjectPtr nodes;
    AuthConfig auth;
    TailscaleConfig tailscale;
    TlsConfig tls;
    RemoteConfig remote;
    DiscoveryConfig discovery;
    std::vector<std::string> allowedOrigins; ///< gateway.controlUi.allowedOrigins
    bool restartCommandEnabled = true;       ///< commands.restart
    int handshakeTimeoutMs = 15000;          ///< OPENCLAW_HANDSHAKE_TIMEOUT_MS
    LimitsConfig limits;
    PluginsConfig plugins;
    json::Var raw;                     ///< the whole file as read (object), for config.get
    std::vector<std::string> warnings; ///< unknown keys and other non-fatal findings

    /// The effective `gateway` section as JSON (flags applied), as handed to plugins.
    json::ObjectPtr gatewaySection() const;
};

/// Read-only shared handle; a reload swaps the pointer.
using GatewayConfigPtr = std::shared_ptr<const GatewayConfig>;

} // namespace openclaw::config
