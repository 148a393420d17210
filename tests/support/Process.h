// Test support: temporary homes, free ports, and child processes (the gateway, our CLI, the
// reference CLI) with captured output. Every process started is killed on destruction.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace openclaw::test {

/// A temporary folder removed (with its contents) on destruction.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }
    /// Writes a file below the folder (creating parents); returns its full path.
    std::string write(const std::string& relative, const std::string& content) const;

  private:
    std::string path_;
};

/// A TCP port on 127.0.0.1 that was free a moment ago (never 18789).
int freePort();

/// Reads a whole file ("" when missing).
std::string readFile(const std::string& path);

/// A child process with stdout/stderr captured to files.
class ChildProcess {
  public:
    /// Starts argv[0] with args; `env` entries are added to (or override) the current environment.
    ChildProcess(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    int pid() const { return pid_; }
    /// Sends a signal.
    void signal(int sig) const;
    /// Waits for exit; returns the exit code (128+signal when killed) or -1 on timeout.
    int wait(int timeoutMs);
    /// True while running.
    bool running();
    std::string out() const { return readFile(outPath_); }
    std::string err() const { return readFile(errPath_); }

  private:
    int pid_ = -1;
    int status_ = -1;
    bool reaped_ = false;
    TempDir dir_;
    std::string outPath_;
    std::string errPath_;
};

/// Result of a command run to completion.
struct RunResult {
    int code = -1;
    std::string out;
    std::string err;
};

/// Runs a command to completion (killed after timeoutMs).
RunResult run(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
              int timeoutMs = 60000);

/// Path of our `openclaw` binary.
std::string openclawBin();

/// HTTP GET on 127.0.0.1:port; returns status and body (status 0 when nothing answers).
std::pair<int, std::string> httpGet(int port, const std::string& path);

/// A gateway process on a free port with its own HOME. Waits until /readyz answers.
class GatewayUnderTest {
  public:
    /// configJson: written to <home>/.openclaw/openclaw.json when not empty.
    GatewayUnderTest(const std::string& configJson, const std::vector<std::string>& extraArgs,
                     std::map<std::string, std::string> env = {}, bool waitReady = true);
    int port() const { return port_; }
    std::string url() const { return "ws://127.0.0.1:" + std::to_string(port_); }
    const std::string& home() const { return home_.path(); }
    ChildProcess& process() { return *proc_; }
    /// Polls /readyz; true once ready.
    bool waitReady(int timeoutMs = 15000);
    /// Environment for CLIs run against this gateway (same HOME).
    std::map<std::string, std::string> env() const { return env_; }

  private:
    TempDir home_;
    int port_;
    std::map<std::string, std::string> env_;
    std::unique_ptr<ChildProcess> proc_;
};

} // namespace openclaw::test
