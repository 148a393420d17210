// One thread that runs timed callbacks (ticks, health pushes, plugin timers).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

namespace openclaw::server {

/// Runs callbacks after a delay, once or repeatedly, on its own thread.
class TimerService {
  public:
    TimerService();
    ~TimerService();
    TimerService(const TimerService&) = delete;
    TimerService& operator=(const TimerService&) = delete;

    /// Schedules fn after intervalMs (and every intervalMs if repeat). Returns a non-zero id.
    uint64_t add(uint32_t intervalMs, bool repeat, std::function<void()> fn);
    /// Cancels; when it returns, fn is not running (unless called from fn itself) and will not run again.
    void cancel(uint64_t id);
    /// Cancels everything and joins the thread.
    void stop();

  private:
    struct Timer {
        std::chrono::steady_clock::time_point due;
        uint32_t intervalMs;
        bool repeat;
        std::function<void()> fn;
    };
    void loop();

    std::mutex mu_;
    std::condition_variable cv_;
    std::map<uint64_t, Timer> timers_;
    uint64_t nextId_ = 1;
    uint64_t running_ = 0;
    bool stopping_ = false;
    std::thread thread_;
};

} // namespace openclaw::server
