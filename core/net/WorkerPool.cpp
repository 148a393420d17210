#include "net/WorkerPool.h"

#include "log/Logger.h"

#include <system_error>

namespace openclaw::net {

WorkerPool::WorkerPool(std::string name, unsigned threads)
    : name_(std::move(name)), limit_(std::max(1u, threads)) {}

WorkerPool::~WorkerPool() {
    stop();
}

bool WorkerPool::submit(std::function<void()> task) {
    {
        std::lock_guard<std::mutex> lock(mu_);
        if (stopping_) return false;
        queue_.push_back(std::move(task));
        if (!startThreadIfNeeded()) {
            queue_.pop_back();
            return false;
        }
    }
    cv_.notify_one();
    return true;
}

size_t WorkerPool::started() {
    std::lock_guard<std::mutex> lock(mu_);
    return threads_.size();
}

bool WorkerPool::startThreadIfNeeded() {
    // Started on demand: each thread costs about 0.2 ms and a stack, and most gateways queue nothing.
    if (idle_ >= queue_.size() || threads_.size() >= limit_) return true;
    try {
        threads_.emplace_back([this] { run(); });
    } catch (const std::system_error& e) {
        log::Logger::get().error("workers", name_ + ": cannot start a thread: " + e.what());
        return !threads_.empty(); // the running ones take the task in turn
    }
    return true;
}

void WorkerPool::stop() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        stopping_ = true;
        queue_.clear();
    }
    cv_.notify_all();
    for (auto& t : threads_)
        if (t.joinable() && t.get_id() != std::this_thread::get_id()) t.join();
}

void WorkerPool::run() {
    for (;;) {
        std::function<void()> task;
        {
            std::unique_lock<std::mutex> lock(mu_);
            ++idle_;
            cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            --idle_;
            if (stopping_) return;
            task = std::move(queue_.front());
            queue_.pop_front();
        }
        try {
            task();
        } catch (const std::exception& e) {
            // Tasks answer their callers themselves; one that throws is a bug, reported, and the pool serves
            // on.
            log::Logger::get().error("workers", name_ + ": a task failed: " + e.what());
        }
    }
}

} // namespace openclaw::net
