// The options every query command (health, call, status, probe) shares for choosing its gateway.
#pragma once

#include "Args.h"

#include "client/GatewayUrl.h"
#include "config/ConfigLoader.h"

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

} // namespace openclaw::cli
