// One epoll reactor thread: readiness callbacks for file descriptors, tasks posted from any thread
// (woken at once through an eventfd, never by polling), and timers on the loop's own clock.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace openclaw::net {

/// Receives readiness events for one descriptor (EPOLLIN, EPOLLOUT, EPOLLHUP, EPOLLERR bits).
class IoHandler {
  public:
    virtual ~IoHandler() = default;
    /// Called on the loop thread.
    virtual void onIo(uint32_t events) = 0;
};

/// A reactor thread. add/modify/remove/runAfter/cancel are for the loop thread; post() is for anyone.
class EventLoop {
  public:
    using Clock = std::chrono::steady_clock;

    explicit EventLoop(std::string name);
    ~EventLoop();
    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;

    /// Starts the thread.
    void start();
    /// Runs the tasks already posted, then stops and joins. Later posts are dropped.
    void stop();

    /// Queues fn to run on the loop thread (after the I/O events at hand when called there) and wakes the
    /// loop if needed. Returns false once the loop has stopped.
    bool post(std::function<void()> fn);
    /// True on the loop's own thread.
    bool inLoop() const { return std::this_thread::get_id() == threadId_.load(); }

    /// Watches fd for events (level-triggered) and calls handler.
    void add(int fd, uint32_t events, IoHandler* handler);
    /// Changes the events watched for fd.
    void modify(int fd, uint32_t events, IoHandler* handler);
    /// Stops watching fd (the caller closes it).
    void remove(int fd);

    /// Runs fn once after delay. Returns a non-zero id for cancel().
    uint64_t runAfter(std::chrono::milliseconds delay, std::function<void()> fn);
    /// Cancels a timer that has not run yet (0 and unknown ids are ignored).
    void cancel(uint64_t id);

    const std::string& name() const { return name_; }

  private:
    void run();
    void runTasks();
    int runDueTimers(); ///< returns the epoll timeout in ms until the next timer (-1 = none)

    std::string name_;
    int epollFd_ = -1;
    int wakeFd_ = -1;
    std::thread thread_;
    std::atomic<std::thread::id> threadId_{};
    std::atomic<bool> stopping_{false};

    std::mutex tasksMu_;
    std::vector<std::function<void()>> tasks_;
    bool acceptingTasks_ = true; ///< guarded by tasksMu_
    bool postedHere_ = false;    ///< the loop thread queued tasks without a wake-up (loop thread only)

    /// A timer's place in the due order; its function lives in timerFns_ until it runs or is cancelled.
    struct Due {
        Clock::time_point at;
        uint64_t id;
        /// For a min-heap on (time, id): equal times run in the order they were set.
        bool operator>(const Due& o) const { return at != o.at ? at > o.at : id > o.id; }
    };
    void compactDue();

    // Every open session holds a ping timer: one heap slot and one map node each (a cancelled timer's slot
    // is dropped when it comes up, or all at once when they outnumber the live ones).
    std::vector<Due> due_;
    std::unordered_map<uint64_t, std::function<void()>> timerFns_;
    size_t cancelledDue_ = 0;
    uint64_t nextTimerId_ = 1;
};

} // namespace openclaw::net
