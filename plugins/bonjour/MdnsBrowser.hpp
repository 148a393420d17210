// `gateway discover` on the LAN: browses _openclaw-gw._tcp in local. through dns_sd.h and resolves each
// instance (SRV target and port, TXT), for at most timeoutMs, on the calling thread (a CLI command, or a
// host thread with a deadline). At most 256 instances; TXT bounded by parseTxtRecord.
#pragma once

#include "Beacon.hpp"

#include <string>
#include <vector>

namespace openclaw::bonjour {

/// The beacons found; `error` says why the browse could not run (avahi-daemon not reachable), "" otherwise.
std::vector<FoundBeacon> browseMdns(int timeoutMs, std::string& error);

} // namespace openclaw::bonjour
