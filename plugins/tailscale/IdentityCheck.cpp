#include "IdentityCheck.hpp"

#include "../common/Text.hpp"

#include <arpa/inet.h>

#include <cstdio>
#include <cstring>
#include <sstream>
#include <vector>

namespace openclaw::tailscale {

using plugin_text::trimmed;

namespace {

std::string header(const std::map<std::string, std::string>& h, const std::string& name) {
    auto it = h.find(name);
    return it == h.end() ? "" : it->second;
}

/// An address as the kernel prints it in /proc/net/tcp (IPv4: one 32-bit word) or tcp6 (four words), each
/// word in host byte order, in hex. An IPv4 address has two forms: tcp's and tcp6's IPv4-mapped one.
std::vector<std::string> kernelForms(const std::string& ip) {
    char buf[40];
    in_addr v4{};
    in6_addr v6{};
    std::vector<std::string> forms;
    if (::inet_pton(AF_INET, ip.c_str(), &v4) == 1) {
        std::snprintf(buf, sizeof buf, "%08X", v4.s_addr);
        forms.emplace_back(buf);
        std::memset(&v6, 0, sizeof v6);
        v6.s6_addr[10] = 0xff;
        v6.s6_addr[11] = 0xff;
        std::memcpy(&v6.s6_addr[12], &v4, 4);
    } else if (::inet_pton(AF_INET6, ip.c_str(), &v6) != 1) {
        return forms;
    }
    uint32_t words[4];
    std::memcpy(words, v6.s6_addr, sizeof words);
    std::snprintf(buf, sizeof buf, "%08X%08X%08X%08X", words[0], words[1], words[2], words[3]);
    forms.emplace_back(buf);
    return forms;
}

std::string endpoint(const std::string& addr, int port) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04X", port & 0xffff);
    return addr + ":" + buf;
}

} // namespace

IdentityClaim readClaim(const std::map<std::string, std::string>& headers) {
    IdentityClaim c;
    c.login = trimmed(header(headers, "tailscale-user-login"));
    const std::string xff = header(headers, "x-forwarded-for");
    const bool proxy = !xff.empty() && !header(headers, "x-forwarded-proto").empty() &&
                       !header(headers, "x-forwarded-host").empty();
    const bool anyProxy = !xff.empty() || !header(headers, "x-forwarded-proto").empty() ||
                          !header(headers, "x-forwarded-host").empty();
    c.clientIp = trimmed(xff.substr(0, xff.find(',')));
    if (c.login.empty())
        c.kind = anyProxy ? IdentityClaim::Kind::IdentityMissing : IdentityClaim::Kind::None;
    else
        c.kind =
            proxy && !c.clientIp.empty() ? IdentityClaim::Kind::Complete : IdentityClaim::Kind::ProxyMissing;
    return c;
}

std::optional<unsigned> socketOwner(const std::string& table, const std::string& localIp, int localPort,
                                    const std::string& remoteIp, int remotePort) {
    const std::vector<std::string> locals = kernelForms(localIp);
    const std::vector<std::string> remotes = kernelForms(remoteIp);
    if (locals.empty() || locals.size() != remotes.size()) return std::nullopt;
    std::istringstream in(table);
    std::string line;
    std::getline(in, line); // the column titles
    while (std::getline(in, line)) {
        // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid ...
        std::istringstream fields(line);
        std::string sl, loc, rem, st, queues, timer, retr;
        unsigned uid = 0;
        if (!(fields >> sl >> loc >> rem >> st >> queues >> timer >> retr >> uid)) continue;
        for (size_t i = 0; i < locals.size(); ++i)
            if (loc == endpoint(locals[i], localPort) && rem == endpoint(remotes[i], remotePort)) return uid;
    }
    return std::nullopt;
}

std::optional<WhoisCache::Entry> WhoisCache::find(const std::string& ip, Clock::time_point now) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(ip);
    if (it == entries_.end()) return std::nullopt;
    if (it->second.expires <= now) {
        entries_.erase(it);
        return std::nullopt;
    }
    return it->second.entry;
}

void WhoisCache::put(const std::string& ip, Entry entry, Clock::time_point now) {
    const auto ttl = entry.ok ? std::chrono::seconds(60) : std::chrono::seconds(5);
    std::lock_guard<std::mutex> lock(mu_);
    if (entries_.size() >= 1024 && !entries_.count(ip)) {
        auto oldest = entries_.begin();
        for (auto it = entries_.begin(); it != entries_.end(); ++it)
            if (it->second.expires < oldest->second.expires) oldest = it;
        entries_.erase(oldest);
    }
    entries_[ip] = {std::move(entry), now + ttl};
}

} // namespace openclaw::tailscale
