#include "server/TimerService.h"

namespace openclaw::server {

TimerService::TimerService() : thread_([this] { loop(); }) {}

TimerService::~TimerService() {
    stop();
}

uint64_t TimerService::add(uint32_t intervalMs, bool repeat, std::function<void()> fn) {
    std::lock_guard<std::mutex> lock(mu_);
    uint64_t id = nextId_++;
    timers_[id] = {std::chrono::steady_clock::now() + std::chrono::milliseconds(intervalMs), intervalMs,
                   repeat, std::move(fn)};
    cv_.notify_all();
    return id;
}

void TimerService::cancel(uint64_t id) {
    std::unique_lock<std::mutex> lock(mu_);
    timers_.erase(id);
    if (std::this_thread::get_id() == thread_.get_id()) return;
    cv_.wait(lock, [&] { return running_ != id; });
}

void TimerService::stop() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        if (stopping_ && !thread_.joinable()) return;
        stopping_ = true;
        timers_.clear();
        cv_.notify_all();
    }
    if (thread_.joinable() && std::this_thread::get_id() != thread_.get_id()) thread_.join();
}

void TimerService::loop() {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stopping_) {
        if (timers_.empty()) {
            cv_.wait(lock);
            continue;
        }
        auto next = timers_.begin();
        for (auto it = timers_.begin(); it != timers_.end(); ++it)
            if (it->second.due < next->second.due) next = it;
        if (next->second.due > std::chrono::steady_clock::now()) {
            // A copy: the map may change (or be cleared) while the lock is released in the wait.
            const auto due = next->second.due;
            cv_.wait_until(lock, due);
            continue;
        }
        uint64_t id = next->first;
        std::function<void()> fn = next->second.fn;
        if (next->second.repeat)
            next->second.due += std::chrono::milliseconds(std::max<uint32_t>(1, next->second.intervalMs));
        else
            timers_.erase(next);
        running_ = id;
        lock.unlock();
        try {
            fn();
        } catch (...) {
            // a timer callback must not take the service down
        }
        lock.lock();
        running_ = 0;
        cv_.notify_all();
    }
}

} // namespace openclaw::server
