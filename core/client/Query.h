// `gateway health` and `gateway call`: which gateway to ask and with which secret (the reference's
// precedence), one RPC, and the typed outcome the CLI renders (text or the reference's JSON).
#pragma once

#include "client/GatewayClient.h"
#include "client/GatewayError.h"
#include "config/GatewayConfig.h"

#include <optional>
#include <string>

namespace openclaw::client {

/// Where to connect and with which secret.
struct QueryTarget {
    ClientOptions opts;
    std::string urlSource; ///< "cli --url" | "env OPENCLAW_GATEWAY_URL" | "local loopback"
    std::string configPath;
    bool authNone = false; ///< the local gateway is configured with auth mode none (no credentials needed)

    /// No token, no password, and the gateway is not known to need none.
    bool anonymous() const { return !opts.token && !opts.password && !authNone; }
};

/// The command line's say in the target.
struct QueryFlags {
    std::optional<std::string> url; ///< --url, already ws(s)://
    std::optional<std::string> token;
    std::optional<std::string> password;
    std::optional<std::string> tlsFingerprint;
    std::optional<int> timeoutMs;
};

/// The target as the reference resolves it: --url (its credentials only from flags), else
/// OPENCLAW_GATEWAY_URL (credentials from flags or the environment), else the local gateway (flags, then
/// env, then gateway.auth.*, then gateway.remote.*), its own certificate pinned when it serves TLS.
QueryTarget resolveQueryTarget(const config::GatewayConfig& cfg, const config::Environment& env,
                               const QueryFlags& flags);

/// What one query came to.
struct QueryOutcome {
    enum class Kind {
        Answered,            ///< payload holds the answer
        CredentialsRequired, ///< anonymous, and the gateway asked for credentials: reachable, not readable
        Failed               ///< error says why; phase says where
    };
    Kind kind = Kind::Failed;
    json::Var payload;
    std::optional<GatewayError> error;
    std::string phase; ///< "connect" | "call"
    std::string hint;  ///< what to do about a rate limit or pacing ("" = nothing to add)
};

/// Connects, calls `method` with `params`, closes.
QueryOutcome runQuery(const QueryTarget& target, const std::string& method, const json::Var& params,
                      bool expectFinal);

/// After failed logins a gateway paces its answers or refuses for a while: what to do, or "".
std::string rateLimitHint(const GatewayError& e, const std::string& phase);

/// The gateway this machine's config describes, on loopback, with the local credentials (never
/// OPENCLAW_GATEWAY_URL or gateway.remote): what `plugins list` asks about the plugins it loaded.
QueryTarget localQueryTarget(const config::GatewayConfig& cfg, const config::Environment& env);

/// A health payload's verdict.
struct HealthVerdict {
    bool ok = false;
    long long durationMs = 0;
};

/// Reads `ok` and `durationMs` of a `health` answer.
HealthVerdict healthVerdict(const json::Var& payload);

} // namespace openclaw::client
