// What the tailscale plugin reads from the tailscale CLI's output, and how it classifies its errors.
// Pure functions of text (no processes, no host): unit-tested and fuzzed (tests/fuzz).
#pragma once

#include "../common/Text.hpp"

#include <optional>
#include <string>
#include <vector>

namespace openclaw::tailscale {

using plugin_text::lowered;

/// What `tailscale status --json` says about this node.
struct NodeStatus {
    std::string backendState;           ///< Running, NeedsLogin, Stopped, Starting, NoState
    std::string dnsName;                ///< Self.DNSName without its trailing dot ("" when unknown)
    std::vector<std::string> addresses; ///< Self.TailscaleIPs, IPv4 first
    /// The first IPv4 tailnet address, or "".
    std::string ipv4() const;
    /// The name clients use: the DNS name, else the first address (as the reference), else "".
    std::string host() const;
};

/// Parses `status --json` output, tolerating text around the JSON (from the first '{' to the last '}', as
/// the reference does). Nothing when there is no JSON object in it.
std::optional<NodeStatus> parseStatus(const std::string& text);

/// UserProfile.LoginName of `whois --json`; nothing when it is missing or the text is not JSON.
std::optional<std::string> parseWhoisLogin(const std::string& text);

/// Whether `serve status --json` holds the route an earlier gateway on `port` left: on some
/// "<host>:443", exactly the handler {"/": {"Proxy": "http://127.0.0.1:<port>"}}.
bool hasGatewayRoute(const std::string& serveStatusText, int port);

/// The reference's permission test (tailscale-cli.md §5): lower-cased text containing "permission denied",
/// "access denied", "operation not permitted", "not permitted", "requires root", "must be run as root",
/// "must be run with sudo", "requires sudo" or "need sudo".
bool isPermissionError(const std::string& text);

/// Whether `sudo -n` failed for want of a password or a terminal (a line starting "sudo: a password is
/// required", "sudo: no password was provided", "sudo: a terminal is required", "sudo: no tty present" or
/// "sudo: no askpass program specified").
bool isSudoPromptFailure(const std::string& text);

} // namespace openclaw::tailscale
