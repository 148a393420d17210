#include "WideAreaZone.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace openclaw::bonjour {

namespace {

std::string readAll(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string todayUtc() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    ::gmtime_r(&now, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y%m%d", &tm);
    return buf;
}

/// The serial in an existing zone's SOA line, or "".
std::string serialIn(const std::string& zone) {
    const size_t soa = zone.find(" IN SOA ns1 hostmaster ");
    if (soa == std::string::npos) return "";
    const size_t at = soa + std::strlen(" IN SOA ns1 hostmaster ");
    return zone.substr(at, zone.find(' ', at) - at);
}

void writeAtomically(const std::string& path, const std::string& text) {
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << text;
        out.flush();
        if (!out) throw std::runtime_error(tmp + ": " + std::strerror(errno));
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0)
        throw std::runtime_error(path + ": " + std::strerror(errno));
}

} // namespace

void writeWideAreaZone(const Host& host, const BeaconFacts& facts, const std::string& hostname) {
    const std::string& domain = facts.wideAreaDomain;
    if (facts.tailnetIPv4.empty()) {
        host.warn("bonjour",
                  "wide-area DNS-SD (" + domain + ") needs a tailnet IPv4 address; zone not written");
        return;
    }
    const std::string dir = facts.stateDir + "/dns";
    ::mkdir(facts.stateDir.c_str(), 0700);
    ::mkdir(dir.c_str(), 0700);
    const std::string path = dir + "/" + domain.substr(0, domain.size() - 1) + ".db";
    const std::string old = readAll(path);
    const std::string oldSerial = serialIn(old);
    // The hash leaves the serial out, so an unchanged beacon keeps the file (and its serial) as it is.
    const std::string probe = zoneBody(facts, domain, hostname, oldSerial.empty() ? "0" : oldSerial);
    const std::string hash = zoneHash(probe, oldSerial.empty() ? "0" : oldSerial);
    if (!old.empty() && old.rfind("; openclaw-content-hash: " + hash + "\n", 0) == 0) {
        host.info("bonjour", "wide-area DNS-SD unchanged (" + domain + " → " + path + ")");
        return;
    }
    const std::string serial = nextSerial(todayUtc(), oldSerial);
    const std::string body = zoneBody(facts, domain, hostname, serial);
    writeAtomically(path, "; openclaw-content-hash: " + zoneHash(body, serial) + "\n" + body);
    host.info("bonjour", "wide-area DNS-SD updated (" + domain + " → " + path + ")");
}

} // namespace openclaw::bonjour
