// Runs the tailscale CLI through the host's child-process service (no shell, own process group, bounded
// output, a timeout each), as the reference drives it: the binary located once (PATH, then the known
// install paths, each validated with `version`), and, for the commands that change the serve config, one
// retry as `sudo -n` when tailscale answers with a permission error.
#pragma once

#include "openclaw/plugin.hpp"

#include <mutex>
#include <string>
#include <vector>

namespace openclaw::tailscale {

/// How one tailscale command ended.
struct CliResult {
    bool started = false; ///< false: the program could not be run (error says why)
    int exitCode = -1;
    bool timedOut = false;
    std::string out;
    std::string err;
    std::string error; ///< why it could not start
    bool ok() const { return started && !timedOut && exitCode == 0; }
    /// What went wrong, in tailscale's words where it said any (stderr, else stdout).
    std::string message() const;
};

/// The reference's timeouts (tailscale-cli.md §4.1 classic flow, §5).
struct Timeouts {
    uint32_t version = 3000;
    uint32_t status = 5000;
    uint32_t serve = 15000;
    uint32_t whois = 5000;
};

/// The tailscale command line: where the binary is, and running it.
class TailscaleCli {
  public:
    /// `configured`: plugins.entries.tailscale.config.binary ("" = look it up).
    TailscaleCli(Host host, std::string configured, Timeouts timeouts);

    /// The binary, found on first use and remembered once found; "" when there is none.
    std::string binary();
    /// Where a binary was looked for, for messages ("PATH, /usr/bin/tailscale, …").
    std::string searched() const;
    /// Runs `<binary> args…` (blocks: call it off the host's shared threads).
    CliResult run(const std::vector<std::string>& args, uint32_t timeoutMs);
    /// Runs as run(); on a permission error, once more as `sudo -n <binary> args…`. A sudo that wants a
    /// password becomes the reference's message naming `what` ("serve" or "funnel").
    CliResult runElevated(const std::vector<std::string>& args, uint32_t timeoutMs, const std::string& what);

    const Timeouts& timeouts() const { return timeouts_; }

    /// The install locations tried after PATH.
    static const std::vector<std::string>& knownPaths();

  private:
    CliResult exec(std::vector<std::string> argv, uint32_t timeoutMs);
    bool validates(const std::string& candidate);

    Host host_;
    std::string configured_;
    Timeouts timeouts_;
    std::mutex mu_;
    std::string binary_;
};

} // namespace openclaw::tailscale
