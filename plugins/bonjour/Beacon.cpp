#include "Beacon.hpp"

#include "../common/Text.hpp"

#include "openclaw/plugin.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace openclaw::bonjour {

using plugin_text::lowered;
using plugin_text::trimmed;

namespace {

/// At most `max` bytes of s, never splitting a UTF-8 sequence.
std::string cutUtf8(const std::string& s, size_t max) {
    if (s.size() <= max) return s;
    size_t end = max;
    while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80)
        --end;
    return s.substr(0, end);
}

bool validLabel(const std::string& l) {
    if (l.empty() || l.size() > 63 || l.front() == '-' || l.back() == '-') return false;
    return std::all_of(l.begin(), l.end(), [](unsigned char c) { return std::isalnum(c) || c == '-'; });
}

std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '\\' || c == '"') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out + "\"";
}

} // namespace

BeaconFacts parseBeaconFacts(const std::string& json) {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var v = parser.parse(json);
    if (v.type() != typeid(Poco::JSON::Object::Ptr))
        throw std::runtime_error("the beacon is not a JSON object");
    auto o = v.extract<Poco::JSON::Object::Ptr>();
    BeaconFacts f;
    f.gatewayPort = o->optValue("gatewayPort", 0);
    if (f.gatewayPort <= 0 || f.gatewayPort > 65535)
        throw std::runtime_error("the beacon has no gatewayPort");
    f.gatewayTls = o->optValue("gatewayTls", false);
    f.gatewayTlsSha256 = o->optValue<std::string>("gatewayTlsSha256", "");
    f.tailnetDns = o->optValue<std::string>("tailnetDns", "");
    f.tailnetIPv4 = o->optValue<std::string>("tailnetIPv4", "");
    f.mdnsMode = o->optValue<std::string>("mdnsMode", "minimal");
    f.wideAreaDomain = o->optValue<std::string>("wideAreaDomain", "");
    f.sshPort = o->optValue("sshPort", 22);
    f.cliPath = o->optValue<std::string>("cliPath", "");
    f.stateDir = o->optValue<std::string>("stateDir", "");
    return f;
}

std::string hostLabel(const std::string& envOverride, const std::string& systemHostname) {
    auto firstLabel = [](std::string h) {
        h = trimmed(h);
        if (h.size() > 6 && lowered(h.substr(h.size() - 6)) == ".local") h.resize(h.size() - 6);
        return h.substr(0, h.find('.'));
    };
    if (!trimmed(envOverride).empty()) return firstLabel(envOverride);
    const std::string sys = firstLabel(systemHostname);
    return validLabel(sys) ? sys : "openclaw";
}

std::string instanceName(const std::string& machineName) {
    std::string name = trimmed(machineName);
    if (name.empty()) return "OpenClaw";
    if (lowered(name).find("openclaw") == std::string::npos) name += " (OpenClaw)";
    return cutUtf8(name, 63);
}

std::string displayName(const std::string& instance) {
    const std::string suffix = " (OpenClaw)";
    if (instance.size() > suffix.size() &&
        instance.compare(instance.size() - suffix.size(), suffix.size(), suffix) == 0)
        return instance.substr(0, instance.size() - suffix.size());
    return instance;
}

std::string dnsLabel(const std::string& text, const std::string& fallback) {
    std::string out;
    bool dash = false;
    for (unsigned char c : lowered(text)) {
        if (std::isalnum(c) || c == '-') {
            out += static_cast<char>(c);
            dash = false;
        } else if (!dash) {
            out += '-';
            dash = true;
        }
    }
    const size_t b = out.find_first_not_of('-');
    out = b == std::string::npos ? "" : out.substr(b, out.find_last_not_of('-') - b + 1);
    out = out.substr(0, 63);
    while (!out.empty() && out.back() == '-')
        out.pop_back();
    return out.empty() ? fallback : out;
}

std::vector<std::pair<std::string, std::string>> txtEntries(const BeaconFacts& f, const std::string& instance,
                                                            const std::string& lanHost) {
    std::vector<std::pair<std::string, std::string>> e = {{"role", "gateway"},
                                                          {"transport", "gateway"},
                                                          {"displayName", displayName(instance)},
                                                          {"lanHost", lanHost},
                                                          {"gatewayPort", std::to_string(f.gatewayPort)}};
    if (f.gatewayTls) e.emplace_back("gatewayTls", "1");
    if (f.gatewayTls && !f.gatewayTlsSha256.empty()) e.emplace_back("gatewayTlsSha256", f.gatewayTlsSha256);
    if (f.mdnsMode == "full") {
        e.emplace_back("sshPort", std::to_string(f.sshPort));
        if (!f.cliPath.empty()) e.emplace_back("cliPath", f.cliPath);
        if (!f.tailnetDns.empty()) e.emplace_back("tailnetDns", f.tailnetDns);
    }
    return e;
}

std::string txtRecord(const std::vector<std::pair<std::string, std::string>>& entries) {
    std::string wire;
    for (const auto& [k, v] : entries) {
        const std::string item = cutUtf8(k + "=" + v, 255);
        wire += static_cast<char>(item.size());
        wire += item;
    }
    return wire;
}

std::map<std::string, std::string> parseTxtRecord(const std::string& wire, size_t* skipped) {
    std::map<std::string, std::string> out;
    size_t left = 0;
    size_t at = 0;
    while (at < wire.size()) {
        const size_t len = static_cast<unsigned char>(wire[at++]);
        if (at + len > wire.size()) { // a length past the end: the rest is not a record
            ++left;
            break;
        }
        const std::string item = wire.substr(at, len);
        at += len;
        if (item.empty() || item.front() == '=' || out.size() >= 64) {
            ++left;
            continue;
        }
        const size_t eq = item.find('=');
        out.emplace(item.substr(0, eq), eq == std::string::npos ? "" : item.substr(eq + 1));
    }
    if (skipped) *skipped += left;
    return out;
}

std::string zoneBody(const BeaconFacts& f, const std::string& domain, const std::string& hostname,
                     const std::string& serial) {
    const std::string host = dnsLabel(hostname.substr(0, hostname.find('.')), "openclaw");
    const std::string inst = dnsLabel(hostname.substr(0, hostname.find('.')) + "-gateway", "openclaw-gw");
    const std::string name = instanceName(hostname.substr(0, hostname.find('.')));
    std::string z;
    z += "$ORIGIN " + domain + "\n$TTL 60\n";
    z += "@ IN SOA ns1 hostmaster " + serial + " 7200 3600 1209600 60\n";
    z += "@ IN NS ns1\n";
    z += "ns1 IN A " + f.tailnetIPv4 + "\n";
    z += host + " IN A " + f.tailnetIPv4 + "\n";
    z += std::string(kServiceType) + " IN PTR " + inst + "." + kServiceType + "\n";
    z += inst + "." + kServiceType + " IN SRV 0 0 " + std::to_string(f.gatewayPort) + " " + host + "\n";
    z += inst + "." + kServiceType + " IN TXT " + quoted("displayName=" + displayName(name)) + " " +
         quoted("role=gateway") + " " + quoted("transport=gateway") + " " +
         quoted("gatewayPort=" + std::to_string(f.gatewayPort));
    if (f.gatewayTls) z += " " + quoted("gatewayTls=1");
    if (f.gatewayTls && !f.gatewayTlsSha256.empty())
        z += " " + quoted("gatewayTlsSha256=" + f.gatewayTlsSha256);
    if (!f.tailnetDns.empty()) z += " " + quoted("tailnetDns=" + f.tailnetDns);
    if (f.mdnsMode == "full") {
        z += " " + quoted("sshPort=" + std::to_string(f.sshPort));
        if (!f.cliPath.empty()) z += " " + quoted("cliPath=" + f.cliPath);
    }
    return z + "\n";
}

std::string zoneHash(const std::string& body, const std::string& serial) {
    std::string normal = body;
    for (size_t at = normal.find(serial); !serial.empty() && at != std::string::npos;
         at = normal.find(serial, at + 6))
        normal.replace(at, serial.size(), "SERIAL");
    uint32_t h = 0x811c9dc5u;
    for (unsigned char c : normal) {
        h ^= c;
        h *= 0x01000193u;
    }
    char buf[9];
    std::snprintf(buf, sizeof buf, "%08x", h);
    return buf;
}

std::string nextSerial(const std::string& today, const std::string& previous) {
    if (previous.size() == 10 && previous.compare(0, 8, today) == 0) {
        const int n = std::atoi(previous.c_str() + 8);
        if (n >= 0 && n < 99) return today + (n + 1 < 10 ? "0" : "") + std::to_string(n + 1);
    }
    return today + "01";
}

std::string FoundBeacon::wsUrl() const {
    if (host.empty() || port <= 0) return "";
    auto tls = txt.find("gatewayTls");
    const bool secure = tls != txt.end() && (tls->second == "1" || tls->second == "true");
    return std::string(secure ? "wss" : "ws") + "://" + host + ":" + std::to_string(port);
}

std::string FoundBeacon::displayName() const {
    auto it = txt.find("displayName");
    return it != txt.end() && !it->second.empty() ? it->second : bonjour::displayName(instanceName);
}

std::string foundBeaconJson(const FoundBeacon& b) {
    // The reference's key order; a key whose TXT entry is absent is left out, as the reference does.
    std::string out =
        "{\"instanceName\":" + jsonQuote(b.instanceName) + ",\"displayName\":" + jsonQuote(b.displayName());
    if (!b.host.empty()) out += ",\"host\":" + jsonQuote(b.host);
    if (b.port > 0) out += ",\"port\":" + std::to_string(b.port);
    std::string txt;
    for (const auto& [k, v] : b.txt)
        txt += (txt.empty() ? "" : ",") + jsonQuote(k) + ":" + jsonQuote(v);
    out += ",\"txt\":{" + txt + "}";
    auto text = [&](const char* key, const char* as) {
        auto it = b.txt.find(key);
        if (it != b.txt.end() && !it->second.empty())
            out += ",\"" + std::string(as) + "\":" + jsonQuote(it->second);
    };
    auto number = [&](const char* key) {
        auto it = b.txt.find(key);
        if (it == b.txt.end() || it->second.empty() || it->second.size() > 5 ||
            it->second.find_first_not_of("0123456789") != std::string::npos)
            return;
        out += ",\"" + std::string(key) + "\":" + std::to_string(std::atoi(it->second.c_str()));
    };
    text("lanHost", "lanHost");
    text("tailnetDns", "tailnetDns");
    text("cliPath", "cliPath");
    text("role", "role");
    text("transport", "transport");
    number("gatewayPort");
    number("sshPort");
    auto tls = b.txt.find("gatewayTls");
    if (tls != b.txt.end())
        out += std::string(",\"gatewayTls\":") +
               (tls->second == "1" || tls->second == "true" ? "true" : "false");
    text("gatewayTlsSha256", "gatewayTlsFingerprintSha256");
    const std::string ws = b.wsUrl();
    return out + ",\"domain\":" + jsonQuote(b.domain) +
           ",\"wsUrl\":" + (ws.empty() ? "null" : jsonQuote(ws)) + "}";
}

std::string unescapeLabel(const std::string& label) {
    std::string out;
    for (size_t i = 0; i < label.size(); ++i) {
        if (label[i] != '\\' || i + 1 >= label.size()) {
            out += label[i];
            continue;
        }
        if (i + 3 < label.size() + 0 && std::isdigit(static_cast<unsigned char>(label[i + 1])) &&
            std::isdigit(static_cast<unsigned char>(label[i + 2])) &&
            std::isdigit(static_cast<unsigned char>(label[i + 3]))) {
            out += static_cast<char>(std::atoi(label.substr(i + 1, 3).c_str()) & 0xFF);
            i += 3;
        } else {
            out += label[++i];
        }
    }
    return out;
}

} // namespace openclaw::bonjour
