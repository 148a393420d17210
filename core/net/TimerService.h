// Timers that any thread may start and cancel (gateway ticks, health pushes, plugin timers). They run on
// one dedicated EventLoop and use its timers: the event loop holds the only timer implementation.
#pragma once

#include "net/EventLoop.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <unordered_map>

namespace openclaw::net {

/// Runs callbacks after a delay, once or repeatedly, on its own thread.
class TimerService {
  public:
    TimerService();
    ~TimerService();
    TimerService(const TimerService&) = delete;
    TimerService& operator=(const TimerService&) = delete;

    /// Schedules fn after intervalMs (and every intervalMs if repeat). Returns a non-zero id, or 0 once
    /// stopped.
    uint64_t add(uint32_t intervalMs, bool repeat, std::function<void()> fn);
    /// Cancels; when it returns, fn is not running (unless called from fn itself) and will not run again.
    void cancel(uint64_t id);
    /// Cancels everything and joins the thread.
    void stop();

  private:
    struct Timer {
        uint32_t intervalMs = 0;
        bool repeat = false;
        std::function<void()> fn;
        uint64_t armed = 0; ///< the loop's timer id
    };
    void arm(uint64_t id, Timer& timer);
    void fire(uint64_t id);
    void cancelOnLoop(uint64_t id);

    EventLoop loop_;
    std::atomic<uint64_t> nextId_{1};
    std::unordered_map<uint64_t, Timer> timers_; ///< touched on the loop's thread only
};

} // namespace openclaw::net
