// `gateway status`: one typed report of the service, the config in use, bind and port, who listens,
// and the RPC probes. The CLI renders it twice (text, the reference's JSON) and decides nothing.
#pragma once

#include "client/Probe.h"
#include "config/ConfigLoader.h"
#include "net/PortOwners.h"
#include "report/OtherGateways.h"
#include "report/TailnetFacts.h"
#include "service/ServiceManager.h"

#include <optional>
#include <string>
#include <vector>

namespace openclaw::report {

/// The config for diagnostics: an invalid file is reported, not fatal (paths and port still resolve).
struct DiagnosticConfig {
    config::GatewayConfig cfg;
    bool valid = true;
    std::string error;
};

/// Loads the config for `status` and `probe`.
DiagnosticConfig loadForDiagnostics(const config::Environment& env, const config::ProfileOptions& profile,
                                    const config::Overrides& overrides);

/// What `gateway status` was asked to do.
struct StatusRequest {
    std::optional<std::string> url; ///< --url
    client::ProbeCredentials credentials;
    int timeoutMs = 10000;
    bool probe = true;       ///< false with --no-probe
    bool requireRpc = false; ///< --require-rpc: also the read probe, and exit 1 when it fails
    bool deep = false;       ///< --deep: look for other gateways
    std::optional<client::SshTunnel>
        tunnel; ///< gateway.mode remote over SSH: the tunnel the probe goes through
};

/// Everything `gateway status` shows.
struct StatusReport {
    DiagnosticConfig config;
    service::ServiceStatus service;
    std::string bindHost; ///< the address the bind mode listens on, as the reference shows it
    std::string wsUrl;    ///< the local gateway's WebSocket URL
    std::string httpUrl;  ///< the dashboard's URL
    client::ProbeTarget probeTarget;
    std::optional<client::ProbeResult> probe;     ///< unset with --no-probe
    std::optional<client::ProbeResult> readProbe; ///< set with --require-rpc
    std::vector<net::PortOwner> listeners;
    bool deep = false;
    std::vector<OtherGateway> others;    ///< with deep
    std::optional<TailnetFacts> tailnet; ///< when the config uses tailscale (the exposure plugin's facts)
    bool requireRpc = false;

    /// The service was installed with another config file than the CLI uses.
    bool configMismatch() const;
    /// --require-rpc was given and the read probe did not succeed (exit 1).
    bool requireFailed() const;
};

/// Everything but the probes: service, config, addresses, listeners, other gateways.
StatusReport prepareStatus(DiagnosticConfig config, const config::Environment& env,
                           const StatusRequest& request);

/// The connect probe and, with requireRpc, the read probe (a cli-mode client with operator.read).
void runStatusProbes(StatusReport& report, const StatusRequest& request);

} // namespace openclaw::report
