// The thread plugins' create() calls run on. A plugin that hangs in create() must not hold the gateway, so
// the host waits for each call with a limit (plugins.initTimeoutMs); one thread runs the calls of a whole
// load one after another (starting a thread costs ~0.2 ms here, once per plugin before), and a call that
// overran keeps its thread while the next call gets a new one.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace openclaw::plugins {

/// Runs posted calls in order on one thread, started at the first call.
class InitThread {
  public:
    InitThread() = default;
    InitThread(const InitThread&) = delete;
    InitThread& operator=(const InitThread&) = delete;
    /// Lets the thread finish and joins it (it is idle: a call that overran was abandoned).
    ~InitThread();

    /// Runs `call` after the calls posted before it. Throws std::system_error when no thread can start.
    void post(std::function<void()> call);
    /// Gives up on the running call: its thread ends when the call returns, and the next post starts another.
    void abandon();

  private:
    struct State {
        std::mutex mu;
        std::condition_variable cv;
        std::deque<std::function<void()>> calls;
        bool closing = false;
    };
    static void run(const std::shared_ptr<State>& state);
    /// Tells the thread to end once its calls are done.
    void close();

    std::shared_ptr<State> state_;
    std::thread thread_;
};

} // namespace openclaw::plugins
