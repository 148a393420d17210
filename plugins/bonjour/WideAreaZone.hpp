// The wide-area DNS-SD zone file (discovery.wideArea.domain): <stateDir>/dns/<domain>.db exactly in the
// reference's format, rewritten (atomically) only when its content changes, with the reference's log line.
#pragma once

#include "Beacon.hpp"

#include "openclaw/plugin.hpp"

#include <string>

namespace openclaw::bonjour {

/// Writes the zone for `facts` when it changed; logs "wide-area DNS-SD updated|unchanged (<domain> →
/// <path>)". Without a tailnet IPv4 it warns and writes nothing (as the reference). Throws on a write
/// failure.
void writeWideAreaZone(const Host& host, const BeaconFacts& facts, const std::string& hostname);

} // namespace openclaw::bonjour
