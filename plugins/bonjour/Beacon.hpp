// What the bonjour plugin publishes and reads, as pure functions: instance and host names, the TXT record
// of a beacon (minimal or full), the wide-area zone file, and the beacons found by a browse (bounded,
// malformed entries skipped). Unit-tested and fuzzed (tests/fuzz).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace openclaw::bonjour {

/// The DNS-SD service type of a gateway.
inline constexpr const char* kServiceType = "_openclaw-gw._tcp";

/// What the host hands to advertise() (see GatewayLifecycle::beacon).
struct BeaconFacts {
    int gatewayPort = 0;
    bool gatewayTls = false;
    std::string gatewayTlsSha256;
    std::string tailnetDns;
    std::string tailnetIPv4;
    std::string mdnsMode = "minimal"; ///< off | minimal | full
    std::string wideAreaDomain;       ///< with its trailing dot, "" = none
    int sshPort = 22;
    std::string cliPath;
    std::string stateDir;
};

/// Parses the host's beacon JSON; throws std::runtime_error when it is not an object with a gatewayPort.
BeaconFacts parseBeaconFacts(const std::string& json);

/// The mDNS host label: $OPENCLAW_MDNS_HOSTNAME, else the system hostname's first label when it is a valid
/// DNS label, else "openclaw" (".local" stripped).
std::string hostLabel(const std::string& envOverride, const std::string& systemHostname);

/// The instance name for a machine name: trimmed; empty → "OpenClaw"; kept when it already says
/// "openclaw" (any case); else "<name> (OpenClaw)"; at most 63 bytes, cut on a UTF-8 character boundary.
std::string instanceName(const std::string& machineName);

/// The display name: the instance name without a trailing " (OpenClaw)".
std::string displayName(const std::string& instance);

/// A DNS label: lower case, runs outside [a-z0-9-] become "-", dashes trimmed, at most 63; `fallback` when
/// nothing is left.
std::string dnsLabel(const std::string& text, const std::string& fallback);

/// The TXT entries of the LAN beacon, in order (full mode adds sshPort, cliPath and tailnetDns).
std::vector<std::pair<std::string, std::string>>
txtEntries(const BeaconFacts& facts, const std::string& instance, const std::string& lanHost);

/// The TXT record's wire form (length-prefixed strings, each cut to 255 bytes).
std::string txtRecord(const std::vector<std::pair<std::string, std::string>>& entries);

/// Reads a TXT record's wire form: at most 64 entries; an entry without "=" is a key with no value; a length
/// running past the end ends the parse. `skipped` (when given) counts what was left out.
std::map<std::string, std::string> parseTxtRecord(const std::string& wire, size_t* skipped = nullptr);

/// The wide-area zone of the reference (gateway-behaviour.md §5.3) for `domain` (with its dot), without
/// its first line; `serial` goes in the SOA.
std::string zoneBody(const BeaconFacts& facts, const std::string& domain, const std::string& hostname,
                     const std::string& serial);
/// FNV-1a (32 bits, 8 hex digits) of a zone body with its serial replaced by "SERIAL".
std::string zoneHash(const std::string& body, const std::string& serial);
/// The next serial: YYYYMMDDnn for `today` (UTC "YYYYMMDD"), one more than `previous` on the same day.
std::string nextSerial(const std::string& today, const std::string& previous);

/// A beacon found by a browse, as `gateway discover --json` prints it.
struct FoundBeacon {
    std::string instanceName;
    std::string domain; ///< "local." or the wide-area domain
    std::string host;   ///< the SRV target, without its trailing dot
    int port = 0;       ///< the SRV port
    std::map<std::string, std::string> txt;
    size_t skippedTxt = 0; ///< malformed or excess TXT entries left out
    /// ws[s]://host:port from the resolved SRV (wss when the TXT says gatewayTls=1); "" without a host.
    std::string wsUrl() const;
    std::string displayName() const;
};

/// The beacon as the reference's discover JSON object.
std::string foundBeaconJson(const FoundBeacon& b);

/// Decodes DNS-SD's escaped instance labels ("My\\032Gateway" and "\\.") as dns_sd.h and dig print them.
std::string unescapeLabel(const std::string& label);

} // namespace openclaw::bonjour
