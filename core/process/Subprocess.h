// Child processes without a shell: argv only, extra environment, bounded captured output, a timeout,
// their own process group, and the default signal mask and dispositions (the gateway blocks SIGINT,
// SIGTERM and SIGUSR1 in every thread; a child must not inherit that). Stopped with SIGTERM to the group,
// then SIGKILL after a grace period. Used by the plugin host's process service and the service managers.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace openclaw::process {

/// What to run.
struct Spec {
    std::vector<std::string> argv;         ///< argv[0] is looked up on PATH
    std::vector<std::string> env;          ///< extra "NAME=value" entries, over the gateway's environment
    std::chrono::milliseconds timeout{0};  ///< 0 = no limit
    size_t maxOutput = 65536;              ///< bytes of stdout and of stderr kept, each (the rest is dropped)
    std::chrono::milliseconds grace{2000}; ///< SIGTERM to SIGKILL
};

/// How it ended.
struct Result {
    bool started = false;   ///< false: it never ran (startError says why)
    std::string startError; ///< e.g. "tailscale: not found on PATH"
    int exitCode = -1;      ///< exit status; -1 when a signal ended it
    int termSignal = 0;     ///< the signal that ended it (0: it exited)
    bool timedOut = false;  ///< stopped by us at its timeout
    std::string out;        ///< stdout (first maxOutput bytes)
    std::string err;        ///< stderr (first maxOutput bytes)
};

/// For CLI commands (the gateway handles its signals itself): from now on SIGINT, SIGTERM and SIGHUP stop
/// every child still running (SIGTERM to its process group, SIGKILL 300 ms later) and then end the process by
/// that signal (its shell sees 128+signal), so that no child (an `ssh -N`) outlives an interrupted command.
void stopChildrenOnInterrupt();

/// Runs a child to completion; the calling thread waits (bounded by spec.timeout + grace).
Result run(const Spec& spec);

/// A long-running child (ssh -N). Its output is read on a thread of its own; onExit runs there, once,
/// when the child has ended (by itself, at its timeout, or through stop()).
class Child {
  public:
    /// Starts it; on failure returns null with the reason in *error.
    static std::unique_ptr<Child> start(const Spec& spec, std::function<void(const Result&)> onExit,
                                        std::string* error);
    /// Stops it (see stop()).
    ~Child();
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;

    int pid() const { return pid_; }
    /// SIGTERM to its process group, SIGKILL after the grace period; returns once it is gone and onExit
    /// has run (at once when called from onExit itself).
    void stop();

  private:
    Child() = default;
    void watch();

    Spec spec_;
    std::function<void(const Result&)> onExit_;
    int pid_ = -1;
    int outFd_ = -1;
    int errFd_ = -1;
    int stopFd_ = -1; ///< eventfd: stop() wakes the watcher
    std::thread watcher_;
};

} // namespace openclaw::process
