// What the ssh-tunnel plugin reads and says, as pure functions: the `user@host[:port]` target, the
// configuration `ssh -G` expands, and ssh's failures turned into messages a person can act on.
#pragma once

#include <optional>
#include <string>

namespace openclaw::sshtunnel {

/// A parsed target.
struct SshTarget {
    std::string user; ///< "" when not given (ssh's own default applies)
    std::string host;
    int port = 0; ///< 0 when not given
    /// "user@host" (or "host").
    std::string destination() const { return user.empty() ? host : user + "@" + host; }
};

/// Parses "user@host[:port]" (a leading "ssh " is dropped, as the reference does). Throws std::runtime_error
/// naming what is wrong, before any process starts: empty, a host starting with "-" (it would be read as an
/// ssh option), a port that is not 1–65535.
SshTarget parseTarget(const std::string& text);

/// What `ssh -G` printed: the effective user, hostname, port and first identity file (not "none").
struct SshConfig {
    std::string user;
    std::string hostname;
    int port = 22;
    std::string identityFile;
};
SshConfig parseSshG(const std::string& text);

/// ssh's stderr (and exit) as a message naming what to do: an unknown host key (with the ssh-keyscan line
/// that trusts it), refused authentication, nothing listening, an unknown host; else "ssh exited (code):
/// <stderr>".
std::string explainSshFailure(const std::string& stderrText, int exitCode, const SshTarget& target, int port);

} // namespace openclaw::sshtunnel
