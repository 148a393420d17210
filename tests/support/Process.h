// Test support: temporary homes, reserved ports, and child processes (the gateway, our CLI, the
// reference CLI) with captured output. Gateways are stopped with SIGTERM and their exit status is
// asserted; a process still running at destruction is killed and the test fails.
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

/// A TCP port on 127.0.0.1 reserved for the rest of this test process (never 18789).
/// The reservation is a bound, never-listening socket with SO_REUSEADDR: the kernel hands the port to
/// no other bind(0) or outgoing connection (so parallel tests cannot take it), a gateway binding it
/// with SO_REUSEADDR (ours, Node's) still can, and while no gateway listens a connection to it is
/// refused at once (a "dead port").
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
    /// Sends `sig` and waits up to `timeoutMs` for the exit; returns the exit code. A process still
    /// running then is killed with SIGKILL and the current test fails (a hang, not a slow exit).
    int stop(int sig = 15 /* SIGTERM */, int timeoutMs = 30000);
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
std::pair<int, std::string> httpGet(int port, const std::string& path,
                                    const std::map<std::string, std::string>& headers = {});

/// Waits until a gateway started as `proc` answers /readyz on `port`; false when it exits first or after
/// timeoutMs (a bound that catches a hang).
bool waitReadyz(ChildProcess& proc, int port, int timeoutMs = 15000);

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
    /// Stops the gateway with SIGTERM and returns its exit status (see ChildProcess::stop).
    int stop() { return proc_->stop(); }
    /// Destruction stops a running gateway with SIGTERM and fails the test unless it exits 0 (so
    /// LeakSanitizer and the shutdown path see every gateway a test starts).
    ~GatewayUnderTest();
    GatewayUnderTest(const GatewayUnderTest&) = delete;
    GatewayUnderTest& operator=(const GatewayUnderTest&) = delete;
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

/// A gateway shared by every test of a suite (started in SetUpTestSuite). A gateway that cannot
/// start must fail each test, not skip it: gtest skips a whole suite whose SetUpTestSuite failed and
/// CTest would count those tests as skipped. So the start error is kept and `require()` fails with it.
class SharedGateway {
  public:
    /// Starts the gateway; never throws (the error is kept for require()).
    void start(const std::string& configJson, const std::vector<std::string>& extraArgs = {},
               std::map<std::string, std::string> env = {});
    /// Stops the gateway (SIGTERM, exit status asserted).
    void stop() { gw_.reset(); }
    /// The gateway; fails the current test (from SetUp: ASSERT_TRUE(shared.require())) when it did not start.
    bool require() const;
    GatewayUnderTest* operator->() const { return gw_.get(); }
    GatewayUnderTest& operator*() const { return *gw_; }

  private:
    std::unique_ptr<GatewayUnderTest> gw_;
    std::string error_;
};

} // namespace openclaw::test
