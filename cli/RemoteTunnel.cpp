#include "RemoteTunnel.h"

#include <algorithm>
#include <iostream>

namespace openclaw::cli {

bool usesRemoteTunnel(const Context& ctx, const config::GatewayConfig& cfg, bool explicitUrl) {
    return !explicitUrl && !ctx.env.get("OPENCLAW_GATEWAY_URL") && cfg.mode == config::GatewayMode::Remote &&
           cfg.remote.transport == config::RemoteTransport::Ssh && !cfg.remote.sshTarget.empty();
}

std::unique_ptr<report::TunnelSession> openRemoteTunnel(const config::GatewayConfig& cfg, int timeoutMs) {
    report::TunnelRequest req;
    req.target = cfg.remote.sshTarget;
    req.identity = cfg.remote.sshIdentity;
    req.remotePort = cfg.remote.remotePort > 0 ? cfg.remote.remotePort : 18789;
    req.localPort = cfg.port;
    req.configTimeoutMs = std::min(800, timeoutMs);
    req.startTimeoutMs = std::max(1500, std::min(timeoutMs, 10000));
    std::string error;
    auto tunnel = report::TunnelSession::open(std::make_shared<const config::GatewayConfig>(cfg), req, error);
    if (tunnel) return tunnel;
    std::cerr << "SSH tunnel to " << req.target << " (gateway.remote.sshTarget) failed: " << error << "\n";
    throw ExitCode{1};
}

} // namespace openclaw::cli
