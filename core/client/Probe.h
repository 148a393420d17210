// `gateway probe` and the RPC part of `gateway status`: which gateways to try, what each answers,
// and the report in the reference's JSON shape. Targets are probed in parallel within a budget.
#pragma once

#include "client/GatewayClient.h"
#include "config/GatewayConfig.h"

#include <optional>
#include <string>
#include <vector>

namespace openclaw::client {

/// The SSH tunnel a target is reached through (`tunnel` in the reference's JSON).
struct SshTunnel {
    std::string kind = "ssh";
    std::string target; ///< user@host[:port]
    int localPort = 0;
    int remotePort = 0;
    int pid = 0;
};

/// One gateway to probe.
struct ProbeTarget {
    std::string id;   ///< "explicit" | "sshTunnel" | "configRemote" | "localLoopback"
    std::string kind; ///< same as id (the reference keeps both)
    std::string url;
    bool active = true;
    ClientOptions opts;
    std::optional<SshTunnel> tunnel; ///< set for the sshTunnel target (ssh-tunnel plugin)
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

/// Targets as the reference resolves them, de-duplicated by URL: explicit (--url), sshTunnel (through an
/// open `tunnel`, with gateway.remote's credentials), configRemote (gateway.remote.url), localLoopback
/// (always).
std::vector<ProbeTarget> resolveProbeTargets(const config::GatewayConfig& cfg, const config::Environment& env,
                                             const std::optional<std::string>& url,
                                             const ProbeCredentials& creds,
                                             const std::optional<SshTunnel>& tunnel = std::nullopt);

/// Connects as a probe client and runs the read set (health, status, system-presence, config.get).
ProbeResult probeTarget(const ProbeTarget& target, int timeoutMs);

/// Probes all targets in parallel.
std::vector<ProbeResult> probeAll(const std::vector<ProbeTarget>& targets, int timeoutMs);

/// read_only | write_capable | admin_capable | connected_no_operator_scope | unknown
std::string capabilityOf(bool connected, const std::vector<std::string>& scopes);

/// A finding of the probe, as the reference words and codes it.
struct ProbeWarning {
    std::string
        code; ///< multiple_gateways | probe_detail_failed | probe_scope_limited | no_gateway_reachable
    std::string message;
    std::vector<std::string> targetIds;
};

/// Everything `gateway probe` reports (rendered by the CLI as text or as the reference's JSON).
struct ProbeReport {
    bool ok = false;       ///< some target connected
    bool degraded = false; ///< a connected target's read probe failed
    std::string capability = "unknown";
    std::string primaryTargetId;
    long long ts = 0; ///< ms since the epoch
    long long durationMs = 0;
    int timeoutMs = 0;
    std::string localLoopbackUrl;
    std::string tailnetIPv4;     ///< this machine's tailnet address ("" when none)
    std::string localTailnetUrl; ///< the local gateway's URL on it ("" when none)
    int discoveryTimeoutMs = 0;
    std::vector<ProbeWarning> warnings;
    std::vector<ProbeResult> targets;
};

/// Judges the results: reachability, capability of the first reachable target, warnings.
ProbeReport summarizeProbe(std::vector<ProbeResult> results, int timeoutMs, long long durationMs,
                           const std::string& localLoopbackUrl);

} // namespace openclaw::client
