// gateway.mode "remote" with gateway.remote.transport "ssh" and gateway.remote.sshTarget: `gateway health`,
// `status` and `call` reach the remote gateway through an SSH tunnel opened for the command and closed after.
#pragma once

#include "Context.h"

#include "report/SshTunnel.h"

#include <memory>

namespace openclaw::cli {

/// Whether the config sends this command through an SSH tunnel (no --url and no OPENCLAW_GATEWAY_URL).
bool usesRemoteTunnel(const Context& ctx, const config::GatewayConfig& cfg, bool explicitUrl);

/// Opens the tunnel to gateway.remote.remotePort (else 18789) on gateway.remote.sshTarget, with
/// gateway.remote.sshIdentity. On failure prints ssh's reason and throws ExitCode{1}.
std::unique_ptr<report::TunnelSession> openRemoteTunnel(const config::GatewayConfig& cfg, int timeoutMs);

} // namespace openclaw::cli
