// Watches SIGINT and SIGTERM while the gateway starts or restarts, so that a stop request during a slow
// phase (a plugin's init, certificate generation) is seen at once, not after `ready`.
#pragma once

#include <atomic>
#include <thread>

namespace openclaw::server {

/// A thread that takes SIGINT or SIGTERM for as long as it lives. The signals must already be blocked
/// in every thread (runGateway blocks them first). A signal it did not take stays pending for sigwait.
class StartupSignals {
  public:
    StartupSignals();
    /// Stops watching (finish() if not done yet).
    ~StartupSignals();
    StartupSignals(const StartupSignals&) = delete;
    StartupSignals& operator=(const StartupSignals&) = delete;

    /// The signal taken so far (SIGINT or SIGTERM), or 0; for checks between phases.
    int received() const { return signal_.load(); }
    /// Stops watching, joins the thread, and returns the signal it took (0 when none). Only after the
    /// join is the answer final: a signal taken a moment before is not lost.
    int finish();
    /// Non-zero once a signal was taken; for waits that should end early.
    const std::atomic<int>& flag() const { return signal_; }

  private:
    void watch();

    std::atomic<int> signal_{0};
    std::atomic<bool> done_{false};
    std::thread thread_;
};

} // namespace openclaw::server
