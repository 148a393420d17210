#include "TailscaleCli.hpp"

#include "TailscaleFacts.hpp"

#include <cstdlib>
#include <unistd.h>

namespace openclaw::tailscale {

using plugin_text::trimmed;

namespace {

/// Every executable `tailscale` on PATH, in order.
std::vector<std::string> onPath() {
    std::vector<std::string> found;
    const char* path = std::getenv("PATH");
    std::string rest = path ? path : "";
    while (!rest.empty()) {
        const size_t colon = rest.find(':');
        std::string dir = rest.substr(0, colon);
        rest = colon == std::string::npos ? "" : rest.substr(colon + 1);
        if (dir.empty()) continue;
        std::string candidate = dir + "/tailscale";
        if (::access(candidate.c_str(), X_OK) == 0) found.push_back(candidate);
    }
    return found;
}

} // namespace

std::string CliResult::message() const {
    if (!started) return error;
    if (timedOut) return "timed out";
    std::string m = trimmed(err);
    if (m.empty()) m = trimmed(out);
    return m.empty() ? "exit code " + std::to_string(exitCode) : m;
}

TailscaleCli::TailscaleCli(Host host, std::string configured, Timeouts timeouts)
    : host_(host), configured_(std::move(configured)), timeouts_(timeouts) {}

const std::vector<std::string>& TailscaleCli::knownPaths() {
    static const std::vector<std::string> k = {
        "/usr/bin/tailscale",          "/usr/local/bin/tailscale",
        "/usr/sbin/tailscale",         "/snap/bin/tailscale",
        "/opt/homebrew/bin/tailscale", "/Applications/Tailscale.app/Contents/MacOS/Tailscale"};
    return k;
}

std::string TailscaleCli::searched() const {
    if (!configured_.empty()) return configured_ + " (plugins.entries.tailscale.config.binary)";
    std::string s = "PATH";
    for (const auto& p : knownPaths())
        s += ", " + p;
    return s;
}

CliResult TailscaleCli::exec(std::vector<std::string> argv, uint32_t timeoutMs) {
    CliResult r;
    try {
        ProcessResult p = host_.runProcess(argv, timeoutMs);
        r.started = true;
        r.exitCode = p.exitCode;
        r.timedOut = p.timedOut;
        r.out = std::move(p.out);
        r.err = std::move(p.err);
    } catch (const std::exception& e) {
        r.error = e.what();
    }
    return r;
}

bool TailscaleCli::validates(const std::string& candidate) {
    return exec({candidate, "version"}, timeouts_.version).ok();
}

std::string TailscaleCli::binary() {
    std::lock_guard<std::mutex> lock(mu_);
    if (!binary_.empty()) return binary_;
    std::vector<std::string> candidates;
    if (!configured_.empty()) {
        candidates.push_back(configured_);
    } else {
        candidates = onPath();
        for (const auto& p : knownPaths())
            if (::access(p.c_str(), X_OK) == 0) candidates.push_back(p);
    }
    for (const auto& c : candidates)
        if (validates(c)) return binary_ = c;
    return "";
}

CliResult TailscaleCli::run(const std::vector<std::string>& args, uint32_t timeoutMs) {
    const std::string bin = binary();
    if (bin.empty()) {
        CliResult r;
        r.error = "tailscale CLI not found (looked in " + searched() +
                  "); install Tailscale or set "
                  "plugins.entries.tailscale.config.binary";
        return r;
    }
    std::vector<std::string> argv{bin};
    argv.insert(argv.end(), args.begin(), args.end());
    return exec(std::move(argv), timeoutMs);
}

CliResult TailscaleCli::runElevated(const std::vector<std::string>& args, uint32_t timeoutMs,
                                    const std::string& what) {
    CliResult first = run(args, timeoutMs);
    if (first.ok() || !first.started || !isPermissionError(first.out + "\n" + first.err)) return first;
    std::vector<std::string> argv{"sudo", "-n", binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    CliResult again = exec(std::move(argv), timeoutMs);
    if (again.ok()) return again;
    if (isSudoPromptFailure(again.err) || isSudoPromptFailure(again.error)) {
        again.error = "Tailscale " + what +
                      " needs elevated access and non-interactive sudo failed: " + trimmed(again.err) +
                      ". Run `sudo tailscale set --operator=$USER` once so the unprivileged path succeeds.";
        again.started = false;
        return again;
    }
    if (again.started) return again;
    first.err += "\n(retrying with `sudo -n` failed too: " + again.error + ")";
    return first;
}

} // namespace openclaw::tailscale
