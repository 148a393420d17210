#include "net/TailnetAddress.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>

namespace openclaw::net {

namespace {

bool inCgnat(uint32_t hostOrder) {
    return (hostOrder & 0xFFC00000u) == 0x64400000u; // 100.64.0.0/10
}

} // namespace

bool isTailnetIPv4(const std::string& address) {
    in_addr a{};
    return ::inet_pton(AF_INET, address.c_str(), &a) == 1 && inCgnat(ntohl(a.s_addr));
}

std::string tailnetIPv4() {
    ifaddrs* list = nullptr;
    if (::getifaddrs(&list) != 0) return "";
    std::string found;
    for (ifaddrs* i = list; i && found.empty(); i = i->ifa_next) {
        if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET) continue;
        const auto* sin = reinterpret_cast<const sockaddr_in*>(i->ifa_addr);
        if (!inCgnat(ntohl(sin->sin_addr.s_addr))) continue;
        char text[INET_ADDRSTRLEN] = {};
        if (::inet_ntop(AF_INET, &sin->sin_addr, text, sizeof text)) found = text;
    }
    ::freeifaddrs(list);
    return found;
}

} // namespace openclaw::net
