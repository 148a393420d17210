// What the plugin host shares among its plugins' host-API calls: the timer thread (oc_host_api.add_timer),
// the plugin I/O thread that watches descriptors (watch_fd) and the worker threads that run posted work
// (post_work). They belong to the plugin host, not to the server, so a plugin kept across a SIGUSR1
// reload keeps its timers and watches.
#pragma once

#include "net/EventLoop.h"
#include "net/TimerService.h"
#include "net/WorkerPool.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace openclaw::plugins {

/// The plugin I/O loop and workers; started on construction, stopped by stop() or the destructor.
class HostServices {
  public:
    HostServices();
    ~HostServices();
    HostServices(const HostServices&) = delete;
    HostServices& operator=(const HostServices&) = delete;

    /// Runs fn on the timer thread after intervalMs (and every intervalMs if repeat). Returns a non-zero id,
    /// 0 once stopped.
    uint64_t addTimer(uint32_t intervalMs, bool repeat, std::function<void()> fn);
    /// Cancels a timer; when it returns the callback is not running (unless called from it).
    void cancelTimer(uint64_t id);

    /// Calls onReadable on the plugin I/O thread while fd is readable. Returns a non-zero id, 0 on failure.
    uint64_t watch(int fd, std::function<void()> onReadable);
    /// Stops watching; when it returns, the callback is not running (unless called from it).
    void unwatch(uint64_t id);
    /// Runs fn on a worker thread; false once stopping.
    bool post(std::function<void()> fn);

    // --- answers that come later (oc_host_api.defer / complete) ---
    /// The outcome of a deferred call: status, and the result or error JSON.
    struct Completion {
        int status = 1; // OC_ERR
        std::string result;
        std::string error;
    };
    using Done = std::function<void(Completion)>;
    /// A handle for a call of `owner` (a plugin) that may be answered later; 0 once calls are closed.
    uint64_t issueCall(const void* owner);
    /// The owner's own deadline for a call not yet awaited, and the error its caller gets past it ("": the
    /// host's); false for a handle that is unknown, another owner's or already awaited.
    bool setDeadline(uint64_t call, const void* owner, std::chrono::milliseconds limit,
                     std::string timeoutError);
    /// The plugin answered pending: `done` runs once, with complete()'s answer (on its thread) or, past
    /// `limit`, with a timeout error naming `what` (on the plugin I/O thread).
    void awaitCompletion(uint64_t call, std::chrono::milliseconds limit, const std::string& what, Done done);
    /// The plugin answered at once after all: the handle is dropped.
    void forgetCall(uint64_t call);
    /// complete(): false when the call is unknown, another owner's, already answered or timed out.
    bool complete(uint64_t call, const void* owner, Completion answer);
    /// The callers are going away: drops every waiting call (its callback is never run), refuses new ones,
    /// and returns once no completion callback is running.
    void closeCalls();
    /// A reload kept the plugins: calls may be issued again (after closeCalls).
    void reopenCalls();
    /// Stops the loop and the workers (idempotent).
    void stop();

  private:
    struct Watch : net::IoHandler {
        int fd = -1;
        std::function<void()> onReadable;
        void onIo(uint32_t) override { onReadable(); }
    };
    void unwatchOnLoop(uint64_t id);
    net::EventLoop* loop();                ///< started on first use; null once stopped
    net::WorkerPool* workers();            ///< started on first use; null once stopped
    net::TimerService* timers(bool start); ///< started on first use when `start`; null once stopped
    bool onLoopThread();

    void expire(uint64_t call, const std::string& why);

    std::mutex startMu_;
    std::unique_ptr<net::EventLoop> loop_;
    std::unique_ptr<net::WorkerPool> workers_;
    std::unique_ptr<net::TimerService> timers_;
    bool stopped_ = false;
    struct Pending {
        const void* owner = nullptr;                       ///< the plugin the handle was given to
        bool waiting = false;                              ///< awaitCompletion was called
        std::optional<std::chrono::milliseconds> deadline; ///< the plugin's own (set_deadline)
        std::string timeoutError;                          ///< what its caller gets past it ("": the host's)
        std::optional<Completion> answer;                  ///< complete() came first
        Done done;
    };
    /// Runs a completion callback outside the lock, counted so that closeCalls() can wait for it.
    void deliver(Done& done, Completion answer);

    std::mutex pendingMu_;
    std::condition_variable delivered_;
    std::unordered_map<uint64_t, Pending> pending_;
    bool callsClosed_ = false;
    int delivering_ = 0;
    std::atomic<uint64_t> nextId_{1};
    std::unordered_map<uint64_t, std::shared_ptr<Watch>> watches_; ///< the loop's thread only
};

} // namespace openclaw::plugins
