// The closed sets of words the config and the command line accept (bind, auth, tailscale, gateway and
// remote modes, the ws log style), each an enum with one name table. Words become enums once, where
// they are read (ConfigLoader, the CLI's flags); everything after compares enums.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace openclaw::config {

/// gateway.bind / --bind
enum class BindMode { Loopback, Lan, Tailnet, Auto, Custom };
/// gateway.auth.mode / --auth
enum class AuthMode { None, Token, Password, TrustedProxy };
/// gateway.tailscale.mode / --tailscale
enum class TailscaleMode { Off, Serve, Funnel };
/// gateway.mode ("" when unset)
enum class GatewayMode { Unset, Local, Remote };
/// gateway.remote.transport
enum class RemoteTransport { Ssh, Direct };
/// --ws-log
enum class WsLogStyle { Auto, Full, Compact };
/// discovery.mdns.mode: how much the LAN beacon says (off: no LAN beacon).
enum class MdnsMode { Off, Minimal, Full };

/// One word of a closed set and the enum value it stands for.
template <typename E> struct NamedValue {
    E value;
    const char* name;
};

inline constexpr NamedValue<BindMode> kBindModes[] = {{BindMode::Loopback, "loopback"},
                                                      {BindMode::Lan, "lan"},
                                                      {BindMode::Tailnet, "tailnet"},
                                                      {BindMode::Auto, "auto"},
                                                      {BindMode::Custom, "custom"}};
inline constexpr NamedValue<AuthMode> kAuthModes[] = {{AuthMode::None, "none"},
                                                      {AuthMode::Token, "token"},
                                                      {AuthMode::Password, "password"},
                                                      {AuthMode::TrustedProxy, "trusted-proxy"}};
inline constexpr NamedValue<TailscaleMode> kTailscaleModes[] = {
    {TailscaleMode::Off, "off"}, {TailscaleMode::Serve, "serve"}, {TailscaleMode::Funnel, "funnel"}};
inline constexpr NamedValue<GatewayMode> kGatewayModes[] = {
    {GatewayMode::Unset, ""}, {GatewayMode::Local, "local"}, {GatewayMode::Remote, "remote"}};
inline constexpr NamedValue<RemoteTransport> kRemoteTransports[] = {{RemoteTransport::Ssh, "ssh"},
                                                                    {RemoteTransport::Direct, "direct"}};
inline constexpr NamedValue<WsLogStyle> kWsLogStyles[] = {
    {WsLogStyle::Auto, "auto"}, {WsLogStyle::Full, "full"}, {WsLogStyle::Compact, "compact"}};
inline constexpr NamedValue<MdnsMode> kMdnsModes[] = {
    {MdnsMode::Off, "off"}, {MdnsMode::Minimal, "minimal"}, {MdnsMode::Full, "full"}};

/// The table of an enum (one per enum above).
template <typename E> struct NameTable;
template <> struct NameTable<BindMode> { static constexpr const auto& values = kBindModes; };
template <> struct NameTable<AuthMode> { static constexpr const auto& values = kAuthModes; };
template <> struct NameTable<TailscaleMode> { static constexpr const auto& values = kTailscaleModes; };
template <> struct NameTable<GatewayMode> { static constexpr const auto& values = kGatewayModes; };
template <> struct NameTable<RemoteTransport> { static constexpr const auto& values = kRemoteTransports; };
template <> struct NameTable<WsLogStyle> { static constexpr const auto& values = kWsLogStyles; };
template <> struct NameTable<MdnsMode> { static constexpr const auto& values = kMdnsModes; };

/// The word for a value, as the config and the reference's output spell it.
template <typename E> const char* nameOf(E value) {
    for (const auto& nv : NameTable<E>::values)
        if (nv.value == value) return nv.name;
    return "?";
}

/// The value for a word, or nothing when it is not one of them.
template <typename E> std::optional<E> parseName(const std::string& word) {
    for (const auto& nv : NameTable<E>::values)
        if (word == nv.name) return nv.value;
    return std::nullopt;
}

/// Every accepted word (for "allowed: …" messages and help), the empty word left out.
template <typename E> std::vector<std::string> allowedNames() {
    std::vector<std::string> out;
    for (const auto& nv : NameTable<E>::values)
        if (*nv.name) out.emplace_back(nv.name);
    return out;
}

} // namespace openclaw::config
