// Tailscale Serve identity (gateway.auth.allowTailscale): which connects may claim a tailnet identity, and
// the facts the check rests on. Pure functions and a small cache; the plugin runs the whois.
//
// tailscaled's serve proxy connects to the gateway from loopback and adds `tailscale-user-login` and
// `x-forwarded-for/-proto/-host`. Any local process can send the same headers, so beyond the reference the
// headers count only when the kernel says the peer's socket belongs to tailscaled's user.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace openclaw::tailscale {

/// What the headers of a loopback connect claim.
struct IdentityClaim {
    enum class Kind {
        None,            ///< no tailscale header at all: not a Serve request
        IdentityMissing, ///< proxy headers without tailscale-user-login
        ProxyMissing,    ///< tailscale-user-login without all of x-forwarded-for/-proto/-host
        Complete         ///< login and proxy headers: worth a whois
    };
    Kind kind = Kind::None;
    std::string login;    ///< tailscale-user-login
    std::string clientIp; ///< the first x-forwarded-for entry
};

/// Reads the claim from lower-cased request headers ({"name": "value"}).
IdentityClaim readClaim(const std::map<std::string, std::string>& headers);

/// The uid owning the TCP socket whose local end is localIp:localPort and whose remote end is
/// remoteIp:remotePort, from the text of /proc/net/tcp or /proc/net/tcp6 (the kernel's socket table).
/// IPv4 addresses are also matched in tcp6's IPv4-mapped form. Nothing when no line matches.
std::optional<unsigned> socketOwner(const std::string& table, const std::string& localIp, int localPort,
                                    const std::string& remoteIp, int remotePort);

/// whois answers by client IP: a login for 60 s, a failure for 5 s (the reference library's defaults).
class WhoisCache {
  public:
    using Clock = std::chrono::steady_clock;
    struct Entry {
        bool ok = false;
        std::string login; ///< when ok
        std::string error; ///< when not
    };
    /// A fresh answer for ip, if any.
    std::optional<Entry> find(const std::string& ip, Clock::time_point now = Clock::now());
    /// Remembers an answer (at most 1024 addresses; the oldest go first).
    void put(const std::string& ip, Entry entry, Clock::time_point now = Clock::now());

  private:
    struct Stored {
        Entry entry;
        Clock::time_point expires;
    };
    std::mutex mu_;
    std::map<std::string, Stored> entries_;
};

} // namespace openclaw::tailscale
