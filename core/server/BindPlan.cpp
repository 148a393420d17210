#include "server/BindPlan.h"

#include "net/Socket.h"

#include <sys/stat.h>

namespace openclaw::server {

namespace {

bool exists(const char* path) {
    struct stat st {};
    return ::stat(path, &st) == 0;
}

std::string missingSecretRefusal(const config::GatewayConfig& cfg) {
    std::string msg =
        std::string("Refusing to bind gateway to ") + config::nameOf(cfg.bind) + " without auth.\n";
    if (inContainer())
        msg += "Container environment detected — the gateway defaults to bind=auto (0.0.0.0) for "
               "port-forwarding compatibility.\n";
    return msg +
           "Set OPENCLAW_GATEWAY_TOKEN or OPENCLAW_GATEWAY_PASSWORD, or pass --token/--password to start "
           "with auth.";
}

} // namespace

bool inContainer() {
    return exists("/.dockerenv") || exists("/run/.containerenv");
}

bool allLoopback(const std::vector<std::string>& hosts) {
    for (const auto& h : hosts)
        if (!net::isLoopbackAddress(h)) return false;
    return !hosts.empty();
}

std::vector<std::string> bindHosts(const config::GatewayConfig& cfg, const std::string& tailnetAddress) {
    std::vector<std::string> loopback = {"127.0.0.1"};
    if (net::hasIpv6Loopback()) loopback.push_back("::1");
    switch (cfg.bind) {
    case config::BindMode::Loopback:
        return loopback;
    case config::BindMode::Lan:
        return {"0.0.0.0"};
    case config::BindMode::Auto:
        return inContainer() ? std::vector<std::string>{"0.0.0.0"} : loopback;
    case config::BindMode::Custom:
        if (cfg.customBindHost == "127.0.0.1" || cfg.customBindHost == "0.0.0.0") return {cfg.customBindHost};
        return {cfg.customBindHost, "127.0.0.1"};
    case config::BindMode::Tailnet:
        if (tailnetAddress.empty()) return loopback;
        return {tailnetAddress, "127.0.0.1"};
    }
    return loopback;
}

std::string checkGuards(const config::GatewayConfig& cfg, const std::vector<std::string>& hosts,
                        bool allowUnconfigured) {
    using config::AuthMode;
    if (!allowUnconfigured && cfg.mode != config::GatewayMode::Local) {
        if (!cfg.fileExists || cfg.mode == config::GatewayMode::Unset)
            return "Missing config. Run `openclaw setup` or set gateway.mode=local (or pass "
                   "--allow-unconfigured).";
        return std::string("Gateway start blocked: set gateway.mode=local (current: ") +
               config::nameOf(cfg.mode) + ") or pass --allow-unconfigured";
    }
    const AuthMode mode = cfg.auth.mode;
    const bool hasSecret = (mode == AuthMode::Token && cfg.auth.token) ||
                           (mode == AuthMode::Password && cfg.auth.password) ||
                           mode == AuthMode::TrustedProxy;
    if (!allLoopback(hosts) && !hasSecret) return missingSecretRefusal(cfg);
    if (cfg.tailscale.mode == config::TailscaleMode::Funnel && mode != AuthMode::Password)
        return "tailscale funnel requires gateway auth mode=password (set gateway.auth.password or "
               "OPENCLAW_GATEWAY_PASSWORD)";
    if (cfg.tailscale.mode != config::TailscaleMode::Off && cfg.bind != config::BindMode::Loopback)
        return "tailscale serve/funnel requires gateway bind=loopback (127.0.0.1)";
    if (mode == AuthMode::Token && !cfg.auth.token)
        return "Gateway auth mode=token but no token is configured. Set gateway.auth.token or "
               "OPENCLAW_GATEWAY_TOKEN, or pass --token.";
    if (mode == AuthMode::Password && !cfg.auth.password)
        return "Gateway auth mode=password but no password is configured. Set gateway.auth.password or "
               "OPENCLAW_GATEWAY_PASSWORD, or pass --password-file.";
    return "";
}

} // namespace openclaw::server
