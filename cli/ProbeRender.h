// Renders probe results: the reference's JSON for a target and a probe report, and the capability words
// of the human output. Shared by `gateway probe` and `gateway status`.
#pragma once

#include "client/Probe.h"
#include "report/Discovery.h"
#include "report/TailnetFacts.h"
#include "json/Json.h"

#include <string>

namespace openclaw::cli {

/// One target as the reference's `targets[]` element.
json::ObjectPtr targetJson(const client::ProbeResult& r);

/// The `gateway probe --json` report.
json::ObjectPtr probeReportJson(const client::ProbeReport& report);

/// Probe's `discovery` object: {timeoutMs, count, beacons[{instanceName, displayName, domain, host, lanHost,
/// tailnetDns, gatewayPort, sshPort, wsUrl}]}.
json::ObjectPtr discoveryJson(const report::DiscoveryResult& found);
/// Probe's "Discovery (this machine)" section.
void renderDiscovery(const report::DiscoveryResult& found);

/// The tailnet facts as JSON: {mode, dnsName, address, url, wsUrl, binary, backendState, error}.
json::ObjectPtr tailnetJson(const report::TailnetFacts& facts);
/// The tailnet facts as one human line ("Tailscale: serve https://<name>/ (WS via wss://<name>)").
std::string tailnetLine(const report::TailnetFacts& facts);

/// A capability as the human output words it (`target`: in a target's line).
std::string humanCapability(const std::string& capability, bool target);

} // namespace openclaw::cli
