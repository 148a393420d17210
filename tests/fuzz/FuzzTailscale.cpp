// libFuzzer target: what the tailscale plugin reads from untrusted text — the tailscale CLI's outputs
// (status, whois, serve status), its error texts, the kernel's socket table, and request headers. The
// first byte chooses the reader; none may crash, hang or throw.
#include "IdentityCheck.hpp"
#include "TailscaleFacts.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <sstream>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace openclaw::tailscale;
    if (size == 0) return 0;
    const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
    switch (data[0] % 6) {
    case 0:
        if (auto s = parseStatus(text)) (void)(s->host() + s->ipv4());
        break;
    case 1:
        (void)parseWhoisLogin(text);
        break;
    case 2:
        (void)hasGatewayRoute(text, 18789);
        break;
    case 3:
        (void)socketOwner(text, "127.0.0.1", 40000, "127.0.0.1", 18789);
        (void)socketOwner(text, "::1", 40000, "::1", 18789);
        break;
    case 4: {
        std::map<std::string, std::string> headers;
        std::istringstream lines(text);
        std::string line;
        while (std::getline(lines, line))
            headers[line.substr(0, line.find(':'))] =
                line.find(':') == std::string::npos ? "" : line.substr(line.find(':') + 1);
        (void)readClaim(headers);
        break;
    }
    default:
        (void)isPermissionError(text);
        (void)isSudoPromptFailure(text);
    }
    return 0;
}
