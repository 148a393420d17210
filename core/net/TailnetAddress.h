// The machine's tailnet IPv4, as the reference finds it for probe's network hints: the first address of a
// local interface in Tailscale's CGNAT range 100.64.0.0/10.
#pragma once

#include <string>

namespace openclaw::net {

/// The first local IPv4 in 100.64.0.0/10, or "" when no interface has one.
std::string tailnetIPv4();

/// Whether a dotted IPv4 address is in 100.64.0.0/10.
bool isTailnetIPv4(const std::string& address);

} // namespace openclaw::net
