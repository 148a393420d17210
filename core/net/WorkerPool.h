// A few threads for work that may block (plugin calls, auth checks, file reads), so the reactor
// threads never wait on it.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace openclaw::net {

/// Up to a fixed number of threads running queued tasks in order of arrival. A thread is started only when a
/// task finds every started one busy, so a gateway that never queues work starts none.
class WorkerPool {
  public:
    /// `threads`: the most it will start (at least one).
    WorkerPool(std::string name, unsigned threads);
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    /// Queues a task. Returns false after stop(), or when no thread runs and none could be started.
    bool submit(std::function<void()> task);
    /// How many threads it has started.
    size_t started();
    /// Finishes the running tasks, drops the queued ones, joins the threads.
    void stop();

  private:
    void run();
    /// With mu_ held: starts one more thread when the queue outnumbers the idle ones and the limit allows.
    /// False when no thread runs and none could be started.
    bool startThreadIfNeeded();

    std::string name_;
    unsigned limit_;
    size_t idle_ = 0; ///< threads waiting for a task
    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<std::function<void()>> queue_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

} // namespace openclaw::net
