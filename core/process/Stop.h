// Stopping a process: SIGTERM, a grace period, then SIGKILL. One way for every caller: `gateway run --force`
// (a process listening on our port), the supervisor (its gateway child) and `gateway stop` (the supervisor).
// The child-process service (Subprocess.h) escalates the same way on its own event loop.
#pragma once

#include <chrono>

namespace openclaw::process {

/// Whether `pid` still runs. A zombie (ended, waiting for its parent to reap it) does not.
bool running(int pid);

/// How a stop ended.
enum class Stopped {
    NotRunning, ///< there was nothing to stop
    OnTerm,     ///< it ended within the grace period after SIGTERM
    Killed      ///< it was still running after the grace period and got SIGKILL
};

/// Stops a process that is not this one's child (it cannot be reaped here): SIGTERM, then SIGKILL when it
/// still runs after `grace`.
Stopped stop(int pid, std::chrono::milliseconds grace);

/// Stops and reaps a child of this process: SIGTERM, then SIGKILL after `grace`. Returns its exit status
/// as a shell reports it (128 + signal when a signal ended it); `how` says whether SIGKILL was needed.
int stopChild(int pid, std::chrono::milliseconds grace, Stopped* how = nullptr);

} // namespace openclaw::process
