// `gateway probe` and the RPC part of `gateway status`: which gateways to try, what each answers,
// and the report in the reference's JSON shape. Targets are probed in parallel within a budget.
#pragma once

#include "client/GatewayClient.h"
#include "config/GatewayConfig.h"

#include <optional>
#include <string>
#include <vector>

namespace openclaw::client {

/// One gateway to probe.
struct ProbeTarget {
    std::string id;   ///< "explicit" | "sshTunnel" | "configRemote" | "localLoopback"
    std::string kind; ///< same as id (the reference keeps both)
    std::string url;
    bool active = true;
    ClientOptions opts;
    std::optional<std::string> tunnelJson; ///< {"kind":"ssh",…} for an SSH target (ssh-tunnel plugin)
};

/// What one target answered.
struct ProbeResult {
    ProbeTarget target;
    bool connectOk = false;
    bool rpcOk = false;
    bool scopeLimited = false;
    std::optional<long long> latencyMs;
    std::string error;
    std::optional<std::pair<int, std::string>> close;
    std::string role;
    std::vector<std::string> scopes;
    std::string capability = "unknown";
    std::string serverVersion, buildId, connId, bootId;
    json::Var self, config, health, summary, presence;
};

/// Explicit credentials from the command line (they apply to every target).
struct ProbeCredentials {
    std::optional<std::string> token;
    std::optional<std::string> password;
    std::string tlsFingerprint;
};

/// Targets as the reference resolves them, de-duplicated by URL: explicit (--url), configRemote
/// (gateway.remote.url), localLoopback (always).
std::vector<ProbeTarget> resolveProbeTargets(const config::GatewayConfig& cfg, const config::Environment& env,
                                             const std::optional<std::string>& url,
                                             const ProbeCredentials& creds);

/// Connects as a probe client and runs the read set (health, status, system-presence, config.get).
ProbeResult probeTarget(const ProbeTarget& target, int timeoutMs);

/// Probes all targets in parallel.
std::vector<ProbeResult> probeAll(const std::vector<ProbeTarget>& targets, int timeoutMs);

/// read_only | write_capable | admin_capable | connected_no_operator_scope | unknown
std::string capabilityOf(bool connected, const std::vector<std::string>& scopes);

/// The `gateway probe --json` report (ok, degraded, capability, warnings, network, discovery, targets).
json::ObjectPtr probeReport(const std::vector<ProbeResult>& results, int timeoutMs, long long durationMs,
                            const std::string& localLoopbackUrl);

/// One target as JSON (the reference's `targets[]` element).
json::ObjectPtr resultJson(const ProbeResult& r);

} // namespace openclaw::client
