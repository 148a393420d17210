// Runs external commands (systemctl, loginctl). An interface so the systemd backend can be tested
// with GoogleMock where no systemd runs.
#pragma once

#include <string>
#include <vector>

namespace openclaw::service {

/// Result of one command.
struct CommandResult {
    int exitCode = -1; ///< -1 when it could not run (not found, killed)
    std::string out;
    std::string err;
};

/// Runs a command to completion.
class CommandRunner {
  public:
    virtual ~CommandRunner() = default;
    /// argv[0] is looked up on PATH. Never throws; a missing program gives exitCode -1.
    virtual CommandResult run(const std::vector<std::string>& argv) = 0;
};

/// The real thing (process::run): captured output, a timeout, the default signal mask in the child.
class ProcessRunner : public CommandRunner {
  public:
    explicit ProcessRunner(int timeoutMs = 15000) : timeoutMs_(timeoutMs) {}
    CommandResult run(const std::vector<std::string>& argv) override;

  private:
    int timeoutMs_;
};

} // namespace openclaw::service
