// An SSH tunnel for one CLI command (`gateway probe --ssh`, and health/status/call with
// gateway.remote.transport "ssh"): the tunnel plugin (the bundled ssh-tunnel) loaded with the CLI's host
// services opens `ssh -N -L`; the tunnel is closed when the session goes, and also when the command is
// interrupted (SIGINT, SIGTERM, SIGHUP): no ssh outlives it.
#pragma once

#include "client/Probe.h"
#include "config/GatewayConfig.h"

#include <memory>
#include <string>

namespace openclaw::plugins {
class CommandPlugin;
class LoadedPlugin;
} // namespace openclaw::plugins

namespace openclaw::report {

/// What a tunnel needs.
struct TunnelRequest {
    std::string target;   ///< user@host[:port]
    std::string identity; ///< -i file ("" = ssh's own)
    int remotePort = 18789;
    int localPort = 0;         ///< preferred (the gateway's port); an ephemeral one when taken
    int configTimeoutMs = 800; ///< ssh -G
    int startTimeoutMs = 1500; ///< until the local port accepts
};

/// An open tunnel; closed on destruction.
class TunnelSession {
  public:
    /// Opens one; nothing and `error` (ssh's reason, in words to act on) when it cannot.
    static std::unique_ptr<TunnelSession> open(const config::GatewayConfigPtr& cfg,
                                               const TunnelRequest& request, std::string& error);
    ~TunnelSession();
    TunnelSession(const TunnelSession&) = delete;
    TunnelSession& operator=(const TunnelSession&) = delete;

    /// The tunnel as the probe reports it.
    const client::SshTunnel& info() const { return info_; }
    /// ws://127.0.0.1:<localPort>
    std::string url() const { return "ws://127.0.0.1:" + std::to_string(info_.localPort); }

  private:
    TunnelSession() = default;

    std::unique_ptr<plugins::CommandPlugin> loaded_;
    plugins::LoadedPlugin* plugin_ = nullptr;
    std::string handle_;
    client::SshTunnel info_;
};

} // namespace openclaw::report
