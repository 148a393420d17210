// The options every query command (health, call, status, probe) shares for choosing its gateway.
#pragma once

#include "Args.h"
#include "Context.h"

#include "client/GatewayUrl.h"
#include "client/Probe.h"
#include "config/ConfigLoader.h"

#include <iostream>
#include <optional>
#include <string>

namespace openclaw::cli {

/// --url as given, with http(s):// read as ws(s):// (as the reference does).
inline std::optional<std::string> urlOption(const Args& args) {
    auto url = args.value("url");
    if (url) return client::normalizeGatewayUrl(*url);
    return std::nullopt;
}

/// --port: the local gateway's port, over config and environment.
inline config::Overrides portOverride(const Args& args) {
    config::Overrides ov;
    if (auto p = args.integer("port")) {
        if (*p < 1 || *p > 65535)
            throw UsageError("option --port: " + std::to_string(*p) + " is not a port (1..65535)");
        ov.port = static_cast<int>(*p);
    }
    return ov;
}

/// --token, --password and --tls-fingerprint: explicit credentials for every target.
inline client::ProbeCredentials credentialsOption(const Args& args) {
    client::ProbeCredentials c;
    c.token = args.value("token");
    c.password = args.value("password");
    c.tlsFingerprint = args.value("tls-fingerprint").value_or("");
    return c;
}

/// --url must come with --token or --password (credentials are never taken from config for another URL).
inline void requireCredentialsForUrl(const Args& args, const std::string& configPath) {
    if (!urlOption(args) || args.value("token") || args.value("password")) return;
    std::cerr << "gateway url override requires explicit credentials\n"
              << "Fix: pass --token or --password with --url.\n"
              << "For the default local or SSH-tunneled Gateway, remove --url to use the configured target.\n"
              << "Config: " << configPath << "\n";
    throw ExitCode{1};
}

/// --timeout in ms (positive), else `fallback`.
inline int timeoutOption(const Args& args, int fallback) {
    const long long ms = args.integer("timeout").value_or(fallback);
    if (ms <= 0 || ms > 24LL * 3600 * 1000)
        throw UsageError("option --timeout: must be a positive number of milliseconds");
    return static_cast<int>(ms);
}

} // namespace openclaw::cli
