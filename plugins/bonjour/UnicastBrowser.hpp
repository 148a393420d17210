// `gateway discover` in a wide-area domain: unicast DNS-SD over c-ares (PTR, then SRV and TXT of each
// instance), against the system resolver or one nameserver "host[:port]". Blocking, for at most timeoutMs;
// answers are bounded (256 instances) and malformed ones skipped.
#pragma once

#include "Beacon.hpp"

#include <string>
#include <vector>

namespace openclaw::bonjour {

/// The beacons of `domain` (with its trailing dot); `error` says why the browse failed ("" otherwise).
std::vector<FoundBeacon> browseUnicast(const std::string& domain, const std::string& nameserver,
                                       int timeoutMs, std::string& error);

} // namespace openclaw::bonjour
