#include "plugins/HostServices.h"

#include <future>
#include <sys/epoll.h>

namespace openclaw::plugins {

HostServices::HostServices() = default;

HostServices::~HostServices() {
    stop();
}

// The threads start when a plugin first needs them: most plugins never watch a descriptor or post work,
// and an idle gateway should not carry threads it does not use.
net::EventLoop* HostServices::loop() {
    std::lock_guard<std::mutex> lock(startMu_);
    if (!loop_ && !stopped_) {
        loop_ = std::make_unique<net::EventLoop>("plugin-io");
        loop_->start();
    }
    return loop_.get();
}

net::WorkerPool* HostServices::workers() {
    std::lock_guard<std::mutex> lock(startMu_);
    if (!workers_ && !stopped_) workers_ = std::make_unique<net::WorkerPool>("plugin-work", 2);
    return workers_.get();
}

net::TimerService* HostServices::timers(bool start) {
    std::lock_guard<std::mutex> lock(startMu_);
    if (!timers_ && start && !stopped_) timers_ = std::make_unique<net::TimerService>();
    return stopped_ ? nullptr : timers_.get();
}

uint64_t HostServices::addTimer(uint32_t intervalMs, bool repeat, std::function<void()> fn) {
    net::TimerService* t = timers(true);
    return t ? t->add(intervalMs, repeat, std::move(fn)) : 0;
}

void HostServices::cancelTimer(uint64_t id) {
    if (net::TimerService* t = timers(false)) t->cancel(id);
}

bool HostServices::onLoopThread() {
    std::lock_guard<std::mutex> lock(startMu_);
    return loop_ && loop_->inLoop();
}

void HostServices::stop() {
    {
        std::lock_guard<std::mutex> lock(startMu_);
        stopped_ = true;
    }
    if (timers_) timers_->stop();
    if (loop_) loop_->stop();
    if (workers_) workers_->stop();
    watches_.clear(); // the loop's thread is gone
    closeCalls();     // callers still waiting for a plugin's answer have gone with the gateway
}

uint64_t HostServices::watch(int fd, std::function<void()> onReadable) {
    const uint64_t id = nextId_++;
    auto w = std::make_shared<Watch>();
    w->fd = fd;
    w->onReadable = std::move(onReadable);
    auto added = std::make_shared<std::promise<bool>>();
    std::future<bool> result = added->get_future();
    net::EventLoop* l = loop();
    if (!l) return 0;
    if (!l->post([this, l, id, added, w] {
            try {
                l->add(w->fd, EPOLLIN, w.get());
            } catch (const std::exception&) {
                added->set_value(false); // not a descriptor epoll can watch: the caller gets 0
                return;
            }
            watches_[id] = w;
            added->set_value(true);
        }))
        return 0;
    if (l->inLoop()) return id; // from a callback on this loop: it is added right after
    added.reset();
    try {
        return result.get() ? id : 0;
    } catch (const std::future_error&) {
        return 0; // the loop stopped before it ran
    }
}

void HostServices::unwatchOnLoop(uint64_t id) {
    auto it = watches_.find(id);
    if (it == watches_.end()) return;
    loop_->remove(it->second->fd);
    watches_.erase(it);
}

void HostServices::unwatch(uint64_t id) {
    if (id == 0) return;
    if (onLoopThread()) {
        unwatchOnLoop(id);
        return;
    }
    // The loop runs one thing at a time: once this task has run, no callback of the watch is running.
    auto done = std::make_shared<std::promise<void>>();
    std::future<void> finished = done->get_future();
    net::EventLoop* l = loop();
    if (!l || !l->post([this, id, done] {
            unwatchOnLoop(id);
            done->set_value();
        }))
        return;
    done.reset();
    finished.wait();
}

bool HostServices::post(std::function<void()> fn) {
    net::WorkerPool* w = workers();
    return w && w->submit(std::move(fn));
}

uint64_t HostServices::issueCall(const void* owner) {
    const uint64_t id = nextId_++;
    std::lock_guard<std::mutex> lock(pendingMu_);
    if (callsClosed_) return 0;
    Pending& p = pending_[id];
    p.owner = owner;
    return id;
}

bool HostServices::setDeadline(uint64_t call, const void* owner, std::chrono::milliseconds limit,
                               std::string timeoutError) {
    std::lock_guard<std::mutex> lock(pendingMu_);
    auto it = pending_.find(call);
    if (it == pending_.end() || it->second.owner != owner || it->second.waiting) return false;
    it->second.deadline = limit;
    it->second.timeoutError = std::move(timeoutError);
    return true;
}

void HostServices::deliver(Done& done, Completion answer) {
    done(std::move(answer));
    std::lock_guard<std::mutex> lock(pendingMu_);
    --delivering_;
    delivered_.notify_all();
}

void HostServices::closeCalls() {
    std::unique_lock<std::mutex> lock(pendingMu_);
    callsClosed_ = true;
    pending_.clear();
    delivered_.wait(lock, [this] { return delivering_ == 0; });
}

void HostServices::reopenCalls() {
    std::lock_guard<std::mutex> lock(pendingMu_);
    callsClosed_ = false;
}

void HostServices::forgetCall(uint64_t call) {
    std::lock_guard<std::mutex> lock(pendingMu_);
    pending_.erase(call);
}

void HostServices::awaitCompletion(uint64_t call, std::chrono::milliseconds limit, const std::string& what,
                                   Done done) {
    std::optional<Completion> early;
    std::string timeoutError;
    {
        std::lock_guard<std::mutex> lock(pendingMu_);
        auto it = pending_.find(call);
        if (it == pending_.end()) return;
        if (it->second.deadline) limit = *it->second.deadline; // the plugin set its own (set_deadline)
        timeoutError = it->second.timeoutError;
        if (it->second.answer) {
            early = std::move(it->second.answer);
            pending_.erase(it);
            ++delivering_;
        } else {
            it->second.waiting = true;
            it->second.done = std::move(done);
        }
    }
    if (early) {
        deliver(done, std::move(*early)); // complete() came before the plugin even returned
        return;
    }
    const std::string why = !timeoutError.empty()
                                ? timeoutError
                                : what + " did not answer within " + std::to_string(limit.count()) + " ms";
    if (net::EventLoop* l = loop())
        l->post(
            [this, l, call, limit, why] { l->runAfter(limit, [this, call, why] { expire(call, why); }); });
}

void HostServices::expire(uint64_t call, const std::string& why) {
    Done done;
    {
        std::lock_guard<std::mutex> lock(pendingMu_);
        auto it = pending_.find(call);
        if (it == pending_.end() || !it->second.waiting) return;
        done = std::move(it->second.done);
        pending_.erase(it);
        ++delivering_;
    }
    deliver(done, {1 /* OC_ERR */, "", why});
}

bool HostServices::complete(uint64_t call, const void* owner, Completion answer) {
    Done done;
    {
        std::lock_guard<std::mutex> lock(pendingMu_);
        auto it = pending_.find(call);
        if (it == pending_.end() || it->second.answer || it->second.owner != owner) return false;
        if (!it->second.waiting) {
            it->second.answer = std::move(answer);
            return true;
        }
        done = std::move(it->second.done);
        pending_.erase(it);
        ++delivering_;
    }
    deliver(done, std::move(answer));
    return true;
}

} // namespace openclaw::plugins
