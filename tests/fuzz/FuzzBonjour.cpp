// libFuzzer target: what the bonjour plugin reads from the network or the host — TXT records (untrusted),
// escaped instance labels, beacon facts JSON — and the names and zone it builds from them. The first byte
// chooses the reader; none may crash, hang or throw anything but the documented std::runtime_error.
#include "Beacon.hpp"

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace openclaw::bonjour;
    if (size == 0) return 0;
    const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
    switch (data[0] % 4) {
    case 0: {
        FoundBeacon b;
        b.instanceName = text.substr(0, 64);
        b.host = "h.local";
        b.port = 1;
        b.txt = parseTxtRecord(text);
        (void)foundBeaconJson(b);
        break;
    }
    case 1:
        (void)unescapeLabel(text);
        (void)instanceName(text);
        (void)dnsLabel(text, "x");
        (void)hostLabel(text, text);
        break;
    case 2:
        try {
            BeaconFacts f = parseBeaconFacts(text);
            (void)txtRecord(txtEntries(f, instanceName("fuzz"), "fuzz.local"));
            f.wideAreaDomain = "openclaw.internal.";
            (void)zoneHash(zoneBody(f, f.wideAreaDomain, "fuzz", "2026112601"), "2026112601");
        } catch (const std::exception&) {
            // not a beacon: refused with a message, as the plugin reports it
        }
        break;
    default:
        (void)nextSerial(text.substr(0, 8), text);
    }
    return 0;
}
