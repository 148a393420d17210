#include "net/TimerService.h"

#include "log/Logger.h"

#include <future>
#include <memory>

namespace openclaw::net {

TimerService::TimerService() : loop_("gateway-timers") {
    loop_.start();
}

TimerService::~TimerService() {
    stop();
}

uint64_t TimerService::add(uint32_t intervalMs, bool repeat, std::function<void()> fn) {
    const uint64_t id = nextId_++;
    const bool queued = loop_.post([this, id, intervalMs, repeat, fn = std::move(fn)]() mutable {
        Timer& timer = timers_[id];
        timer = {intervalMs, repeat, std::move(fn), 0};
        arm(id, timer);
    });
    return queued ? id : 0;
}

void TimerService::arm(uint64_t id, Timer& timer) {
    timer.armed = loop_.runAfter(std::chrono::milliseconds(std::max<uint32_t>(1, timer.intervalMs)),
                                 [this, id] { fire(id); });
}

void TimerService::fire(uint64_t id) {
    auto it = timers_.find(id);
    if (it == timers_.end()) return;
    // A copy: the callback may cancel its own timer (erasing the entry) or add others.
    std::function<void()> fn = it->second.fn;
    if (it->second.repeat)
        arm(id, it->second);
    else
        timers_.erase(it);
    try {
        fn();
    } catch (const std::exception& e) {
        // A timer callback must not take the other timers down; it is reported where someone looks.
        log::Logger::get().error("timers", "timer " + std::to_string(id) + " callback failed: " + e.what());
    }
}

void TimerService::cancelOnLoop(uint64_t id) {
    auto it = timers_.find(id);
    if (it == timers_.end()) return;
    loop_.cancel(it->second.armed);
    timers_.erase(it);
}

void TimerService::cancel(uint64_t id) {
    if (id == 0) return;
    if (loop_.inLoop()) {
        cancelOnLoop(id);
        return;
    }
    // The loop runs one thing at a time: once this task has run, no callback of the timer is running.
    // If the loop stops first the task is dropped, the promise with it, and the wait ends as well.
    auto done = std::make_shared<std::promise<void>>();
    std::future<void> finished = done->get_future();
    if (!loop_.post([this, id, done] {
            cancelOnLoop(id);
            done->set_value();
        }))
        return;
    done.reset();
    finished.wait();
}

void TimerService::stop() {
    loop_.stop();
    // The loop's thread is gone: nothing else touches the timers now.
    timers_.clear();
}

} // namespace openclaw::net
