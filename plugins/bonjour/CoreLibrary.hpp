// What costs memory lives in bonjour-core.so beside the plugin: the LAN beacon and the LAN browse through
// dns_sd.h (libdns_sd, avahi-client, libdbus and what they bring, about 1.2 MiB resident) and the wide-area
// browse over c-ares. It is loaded at the first LAN beacon or `gateway discover`, after the gateway is ready:
// a gateway with mDNS off (discovery.mdns.mode "off", OPENCLAW_DISABLE_BONJOUR) never maps it, and nobody
// waits for it before /readyz. Both sides are built from this tree by one compiler: the table is an internal
// split of one plugin, not an ABI.
#pragma once

#include "Beacon.hpp"
#include "openclaw/plugin.hpp"

#include <memory>
#include <string>
#include <vector>

namespace openclaw::bonjour {

/// The LAN beacon (MdnsAdvertiser.hpp says how it behaves).
class Advertiser {
  public:
    virtual ~Advertiser() = default;
    /// Publishes (or updates) the beacon under `instance` on `port` with `txt` (wire form).
    virtual void advertise(const std::string& instance, int port, const std::string& txt) = 0;
    /// Removes the beacon (and stops retrying).
    virtual void withdraw() = 0;
};

/// What bonjour-core.so exports (through openclaw_bonjour_core()).
struct CoreTable {
    std::unique_ptr<Advertiser> (*newAdvertiser)(Host host, uint32_t retryMs);
    std::vector<FoundBeacon> (*browseMdns)(int timeoutMs, std::string& error);
    std::vector<FoundBeacon> (*browseUnicast)(const std::string& domain, const std::string& nameserver,
                                              int timeoutMs, std::string& error);
};

/// The name of the one symbol bonjour-core.so exports.
inline constexpr const char* kCoreSymbol = "openclaw_bonjour_core";

} // namespace openclaw::bonjour
