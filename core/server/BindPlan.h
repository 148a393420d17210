// Where the gateway listens and whether it may start there: the bind addresses of each bind mode and
// the start-up guards, in the reference's order. Pure decisions over the typed config.
#pragma once

#include "config/GatewayConfig.h"

#include <string>
#include <vector>

namespace openclaw::server {

/// The addresses to bind for the config's bind mode (tailnetAddress: from the exposure plugin, may be
/// empty: then tailnet falls back to loopback).
std::vector<std::string> bindHosts(const config::GatewayConfig& cfg, const std::string& tailnetAddress);

/// True when every host is a loopback address.
bool allLoopback(const std::vector<std::string>& hosts);

/// The start-up guards, in the reference's order. Returns the refusal text (empty = allowed).
std::string checkGuards(const config::GatewayConfig& cfg, const std::vector<std::string>& hosts,
                        bool allowUnconfigured);

/// True in a Docker or Podman container (bind=auto then means 0.0.0.0).
bool inContainer();

} // namespace openclaw::server
