#include "TailscaleFacts.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cctype>

namespace openclaw::tailscale {

namespace {

using Poco::JSON::Object;

/// The JSON object in `text` (first '{' to last '}'), or null.
Object::Ptr objectIn(const std::string& text) {
    const size_t open = text.find('{');
    const size_t close = text.rfind('}');
    if (open == std::string::npos || close == std::string::npos || close < open) return nullptr;
    try {
        Poco::JSON::Parser parser;
        Poco::Dynamic::Var v = parser.parse(text.substr(open, close - open + 1));
        return v.type() == typeid(Object::Ptr) ? v.extract<Object::Ptr>() : nullptr;
    } catch (const Poco::Exception&) {
        return nullptr; // not JSON after all: the caller reports "no status"
    }
}

std::string stringAt(const Object::Ptr& o, const std::string& key) {
    if (!o || !o->has(key)) return "";
    const Poco::Dynamic::Var v = o->get(key);
    return v.isString() ? v.extract<std::string>() : "";
}

bool isIpv4(const std::string& a) {
    return !a.empty() && a.find(':') == std::string::npos;
}

} // namespace

std::string NodeStatus::ipv4() const {
    for (const auto& a : addresses)
        if (isIpv4(a)) return a;
    return "";
}

std::string NodeStatus::host() const {
    if (!dnsName.empty()) return dnsName;
    return addresses.empty() ? "" : addresses.front();
}

std::optional<NodeStatus> parseStatus(const std::string& text) {
    Object::Ptr root = objectIn(text);
    if (!root) return std::nullopt;
    NodeStatus s;
    s.backendState = stringAt(root, "BackendState");
    Object::Ptr self = root->has("Self") ? root->getObject("Self") : nullptr;
    s.dnsName = stringAt(self, "DNSName");
    if (!s.dnsName.empty() && s.dnsName.back() == '.') s.dnsName.pop_back();
    Poco::JSON::Array::Ptr ips = self && self->has("TailscaleIPs") ? self->getArray("TailscaleIPs") : nullptr;
    if (!ips && root->has("TailscaleIPs")) ips = root->getArray("TailscaleIPs");
    if (ips)
        for (size_t i = 0; i < ips->size() && i < 16; ++i)
            if (ips->get(i).isString()) s.addresses.push_back(ips->get(i).extract<std::string>());
    std::stable_partition(s.addresses.begin(), s.addresses.end(), isIpv4);
    return s;
}

std::optional<std::string> parseWhoisLogin(const std::string& text) {
    Object::Ptr root = objectIn(text);
    Object::Ptr profile = root && root->has("UserProfile") ? root->getObject("UserProfile") : nullptr;
    const std::string login = stringAt(profile, "LoginName");
    if (login.empty()) return std::nullopt;
    return login;
}

bool hasGatewayRoute(const std::string& serveStatusText, int port) {
    Object::Ptr root = objectIn(serveStatusText);
    Object::Ptr web = root && root->has("Web") ? root->getObject("Web") : nullptr;
    if (!web) return false;
    const std::string target = "http://127.0.0.1:" + std::to_string(port);
    for (const auto& [hostPort, entry] : *web) {
        if (hostPort.size() < 4 || hostPort.compare(hostPort.size() - 4, 4, ":443") != 0) continue;
        if (entry.type() != typeid(Object::Ptr)) continue;
        Object::Ptr e = entry.extract<Object::Ptr>();
        Object::Ptr handlers = e->has("Handlers") ? e->getObject("Handlers") : nullptr;
        if (!handlers || handlers->size() != 1 || !handlers->has("/")) continue;
        if (stringAt(handlers->getObject("/"), "Proxy") == target) return true;
    }
    return false;
}

bool isPermissionError(const std::string& text) {
    static const char* const kWords[] = {"permission denied",     "access denied", "operation not permitted",
                                         "not permitted",         "requires root", "must be run as root",
                                         "must be run with sudo", "requires sudo", "need sudo"};
    const std::string low = lowered(text);
    return std::any_of(std::begin(kWords), std::end(kWords),
                       [&](const char* w) { return low.find(w) != std::string::npos; });
}

bool isSudoPromptFailure(const std::string& text) {
    static const char* const kStarts[] = {"sudo: a password is required", "sudo: no password was provided",
                                          "sudo: a terminal is required", "sudo: no tty present",
                                          "sudo: no askpass program specified"};
    size_t at = 0;
    while (at <= text.size()) {
        const size_t end = text.find('\n', at);
        const std::string line = text.substr(at, end == std::string::npos ? std::string::npos : end - at);
        for (const char* s : kStarts)
            if (line.rfind(s, 0) == 0) return true;
        if (end == std::string::npos) break;
        at = end + 1;
    }
    return false;
}

} // namespace openclaw::tailscale
