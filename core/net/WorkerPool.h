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

/// A fixed set of threads running queued tasks in order of arrival.
class WorkerPool {
  public:
    WorkerPool(std::string name, unsigned threads);
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    /// Queues a task. Returns false after stop().
    bool submit(std::function<void()> task);
    /// Finishes the running tasks, drops the queued ones, joins the threads.
    void stop();

  private:
    void run();

    std::string name_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<std::function<void()>> queue_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

} // namespace openclaw::net
