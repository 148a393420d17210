#include "MdnsBrowser.hpp"

#include <dns_sd.h>

#include <arpa/inet.h>
#include <poll.h>

#include <chrono>
#include <memory>

namespace openclaw::bonjour {

namespace {

using Clock = std::chrono::steady_clock;

struct Resolving {
    FoundBeacon beacon;
    DNSServiceRef ref = nullptr;
    bool done = false;
};

struct Browse {
    DNSServiceRef ref = nullptr;
    std::vector<std::unique_ptr<Resolving>> found;
};

void DNSSD_API onResolved(DNSServiceRef, DNSServiceFlags, uint32_t, DNSServiceErrorType error, const char*,
                          const char* host, uint16_t port, uint16_t txtLen, const unsigned char* txt,
                          void* ctx) {
    auto* r = static_cast<Resolving*>(ctx);
    r->done = true;
    if (error != kDNSServiceErr_NoError) return;
    std::string h = host ? host : "";
    if (!h.empty() && h.back() == '.') h.pop_back();
    r->beacon.host = h;
    r->beacon.port = ntohs(port);
    r->beacon.txt =
        parseTxtRecord(std::string(reinterpret_cast<const char*>(txt), txtLen), &r->beacon.skippedTxt);
}

void DNSSD_API onBrowsed(DNSServiceRef, DNSServiceFlags flags, uint32_t iface, DNSServiceErrorType error,
                         const char* name, const char* type, const char* domain, void* ctx) {
    auto* b = static_cast<Browse*>(ctx);
    if (error != kDNSServiceErr_NoError || !(flags & kDNSServiceFlagsAdd) || !name || b->found.size() >= 256)
        return;
    for (const auto& f : b->found)
        if (f->beacon.instanceName == name) return; // seen on another interface
    auto r = std::make_unique<Resolving>();
    r->beacon.instanceName = name;
    r->beacon.domain = domain ? domain : "local.";
    if (DNSServiceResolve(&r->ref, 0, iface, name, type, domain, &onResolved, r.get()) !=
        kDNSServiceErr_NoError)
        r->ref = nullptr;
    b->found.push_back(std::move(r));
}

} // namespace

std::vector<FoundBeacon> browseMdns(int timeoutMs, std::string& error) {
    Browse b;
    const DNSServiceErrorType e = DNSServiceBrowse(&b.ref, 0, 0, kServiceType, "local.", &onBrowsed, &b);
    if (e != kDNSServiceErr_NoError || !b.ref) {
        error = "avahi-daemon is not reachable (dns_sd error " + std::to_string(e) + ")";
        return {};
    }
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
    while (Clock::now() < deadline) {
        std::vector<pollfd> fds{{DNSServiceRefSockFD(b.ref), POLLIN, 0}};
        std::vector<DNSServiceRef> refs{b.ref};
        for (const auto& r : b.found)
            if (r->ref && !r->done) {
                fds.push_back({DNSServiceRefSockFD(r->ref), POLLIN, 0});
                refs.push_back(r->ref);
            }
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        const int n = ::poll(fds.data(), fds.size(), static_cast<int>(std::max<long long>(0, left)));
        if (n <= 0) continue;
        for (size_t i = 0; i < fds.size(); ++i)
            if (fds[i].revents & (POLLIN | POLLHUP | POLLERR))
                if (DNSServiceProcessResult(refs[i]) != kDNSServiceErr_NoError && i == 0) {
                    error = "the browse failed: avahi-daemon went away";
                    break;
                }
        if (!error.empty()) break;
    }
    std::vector<FoundBeacon> out;
    for (auto& r : b.found) {
        if (r->ref) DNSServiceRefDeallocate(r->ref);
        if (r->done && !r->beacon.host.empty()) out.push_back(std::move(r->beacon));
    }
    DNSServiceRefDeallocate(b.ref);
    return out;
}

} // namespace openclaw::bonjour
