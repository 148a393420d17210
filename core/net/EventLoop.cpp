#include "net/EventLoop.h"

#include <algorithm>

#include <stdexcept>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace openclaw::net {

EventLoop::EventLoop(std::string name) : name_(std::move(name)) {
    epollFd_ = ::epoll_create1(EPOLL_CLOEXEC);
    wakeFd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (epollFd_ < 0 || wakeFd_ < 0)
        throw std::runtime_error("event loop " + name_ + ": epoll/eventfd failed");
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = nullptr; // nullptr marks the wake-up descriptor
    ::epoll_ctl(epollFd_, EPOLL_CTL_ADD, wakeFd_, &ev);
}

EventLoop::~EventLoop() {
    stop();
    ::close(wakeFd_);
    ::close(epollFd_);
}

void EventLoop::start() {
    thread_ = std::thread([this] { run(); });
}

void EventLoop::stop() {
    stopping_ = true;
    uint64_t one = 1;
    [[maybe_unused]] ssize_t n = ::write(wakeFd_, &one, sizeof one);
    if (thread_.joinable() && std::this_thread::get_id() != thread_.get_id()) thread_.join();
    std::lock_guard<std::mutex> lock(tasksMu_);
    acceptingTasks_ = false;
    tasks_.clear();
}

bool EventLoop::post(std::function<void()> fn) {
    // Posted on the loop thread itself (a connection deferring its own clean-up): the loop runs it before it
    // waits again (run()), so no wake-up is written — that would cost a write, a read and a wait per task.
    const bool here = inLoop();
    bool wasEmpty = false;
    {
        std::lock_guard<std::mutex> lock(tasksMu_);
        if (!acceptingTasks_) return false;
        wasEmpty = tasks_.empty();
        tasks_.push_back(std::move(fn));
    }
    if (here) {
        postedHere_ = true;
        return true;
    }
    // One wake-up per batch: a non-empty queue already has one pending, or was filled on the loop thread,
    // which looks at it before waiting.
    if (wasEmpty) {
        uint64_t one = 1;
        [[maybe_unused]] ssize_t n = ::write(wakeFd_, &one, sizeof one);
    }
    return true;
}

void EventLoop::add(int fd, uint32_t events, IoHandler* handler) {
    epoll_event ev{};
    ev.events = events;
    ev.data.ptr = handler;
    if (::epoll_ctl(epollFd_, EPOLL_CTL_ADD, fd, &ev) != 0)
        throw std::runtime_error("event loop " + name_ + ": cannot watch descriptor " + std::to_string(fd));
}

void EventLoop::modify(int fd, uint32_t events, IoHandler* handler) {
    epoll_event ev{};
    ev.events = events;
    ev.data.ptr = handler;
    ::epoll_ctl(epollFd_, EPOLL_CTL_MOD, fd, &ev);
}

void EventLoop::remove(int fd) {
    ::epoll_ctl(epollFd_, EPOLL_CTL_DEL, fd, nullptr);
}

uint64_t EventLoop::runAfter(std::chrono::milliseconds delay, std::function<void()> fn) {
    const uint64_t id = nextTimerId_++;
    due_.push_back({Clock::now() + delay, id});
    std::push_heap(due_.begin(), due_.end(), std::greater<>());
    timerFns_.emplace(id, std::move(fn));
    return id;
}

void EventLoop::cancel(uint64_t id) {
    if (timerFns_.erase(id) == 0) return;
    ++cancelledDue_;
    if (cancelledDue_ > 64 && cancelledDue_ > 2 * timerFns_.size()) compactDue();
}

void EventLoop::compactDue() {
    due_.erase(
        std::remove_if(due_.begin(), due_.end(), [this](const Due& d) { return !timerFns_.count(d.id); }),
        due_.end());
    std::make_heap(due_.begin(), due_.end(), std::greater<>());
    cancelledDue_ = 0;
}

void EventLoop::runTasks() {
    postedHere_ = false; // what the batch posts here sets it again
    std::vector<std::function<void()>> batch;
    {
        std::lock_guard<std::mutex> lock(tasksMu_);
        batch.swap(tasks_);
    }
    for (auto& fn : batch)
        fn();
}

int EventLoop::runDueTimers() {
    while (!due_.empty()) {
        const Due first = due_.front();
        auto fnIt = timerFns_.find(first.id);
        if (fnIt == timerFns_.end()) { // cancelled
            std::pop_heap(due_.begin(), due_.end(), std::greater<>());
            due_.pop_back();
            if (cancelledDue_ > 0) --cancelledDue_;
            continue;
        }
        const auto now = Clock::now();
        if (first.at > now) {
            auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(first.at - now).count();
            return static_cast<int>(std::max<long long>(1, ms + 1));
        }
        std::pop_heap(due_.begin(), due_.end(), std::greater<>());
        due_.pop_back();
        std::function<void()> fn = std::move(fnIt->second);
        timerFns_.erase(fnIt);
        fn();
    }
    return -1;
}

void EventLoop::run() {
    threadId_ = std::this_thread::get_id();
    std::vector<epoll_event> events(256);
    while (!stopping_) {
        int timeout = runDueTimers();
        if (postedHere_) timeout = 0; // tasks posted on this thread are waiting: look, do not wait
        int n = ::epoll_wait(epollFd_, events.data(), static_cast<int>(events.size()), timeout);
        for (int i = 0; i < n; ++i) {
            auto* handler = static_cast<IoHandler*>(events[i].data.ptr);
            if (!handler) {
                uint64_t count = 0;
                [[maybe_unused]] ssize_t r = ::read(wakeFd_, &count, sizeof count);
                continue;
            }
            handler->onIo(events[i].events);
        }
        runTasks();
    }
    runTasks(); // what was posted before stop() still runs (close frames, final sends)
}

} // namespace openclaw::net
