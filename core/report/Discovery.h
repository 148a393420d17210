// Gateway beacons found on this machine's networks, for `gateway discover` and probe's discovery section:
// the CLI loads the discovery plugin (bonjour) with its CLI host services and browses local. and the
// wide-area domain (discovery.wideArea.domain) in parallel; the results are de-duplicated and sorted here.
#pragma once

#include "config/GatewayConfig.h"
#include "json/Json.h"

#include <optional>
#include <string>
#include <vector>

namespace openclaw::report {

/// One beacon, as the reference's discover JSON has it (the plugin's object) plus what the text needs.
struct DiscoveredBeacon {
    json::ObjectPtr json; ///< {instanceName, domain, displayName, host, port, lanHost, tailnetDns, …, wsUrl}
    std::string instanceName, domain, displayName, host, lanHost, tailnetDns, fingerprint, wsUrl, role,
        transport;
    int port = 0;
    std::optional<int> gatewayPort, sshPort;
    bool gatewayTls = false;
};

/// What a discovery run found.
struct DiscoveryResult {
    int timeoutMs = 0;
    std::vector<std::string> domains;
    std::vector<DiscoveredBeacon> beacons;
    std::vector<std::string> errors; ///< per domain, when a browse failed (avahi-daemon down, no DNS answer)
    std::string unavailable;         ///< why nothing could be browsed (no discovery plugin), "" otherwise
};

/// Browses for gateways. `nameserver` ("host[:port]", "" = the system resolver) is for the wide-area domain.
DiscoveryResult discoverGateways(const config::GatewayConfigPtr& cfg, int timeoutMs,
                                 const std::string& nameserver);

} // namespace openclaw::report
