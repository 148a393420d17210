// What the exposure plugin (tailscale) says about the tailnet, for `gateway status` and `probe`: the CLI
// loads just that plugin (CLI host services) and reads its exposure.status; only when the config asks for
// tailscale (serve/funnel, or bind=tailnet), so that other commands never run the tailscale CLI.
#pragma once

#include "config/GatewayConfig.h"

#include <optional>
#include <string>

namespace openclaw::report {

/// The tailnet as the exposure plugin reports it.
struct TailnetFacts {
    std::string mode;         ///< gateway.tailscale.mode ("off" with bind=tailnet only)
    std::string dnsName;      ///< the node's MagicDNS name ("" when unknown)
    std::string address;      ///< its tailnet IPv4 ("" when unknown)
    std::string binary;       ///< the tailscale CLI found ("" when none)
    std::string backendState; ///< Running, NeedsLogin, …
    std::string error;        ///< why something could not be read
    /// The name clients use: the DNS name, else the address.
    std::string host() const { return dnsName.empty() ? address : dnsName; }
};

/// Reads the facts, or nothing when the config does not use tailscale. A plugin that cannot be loaded or
/// answered gives facts whose error says why.
std::optional<TailnetFacts> readTailnetFacts(const config::GatewayConfigPtr& cfg);

} // namespace openclaw::report
