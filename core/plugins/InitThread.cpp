#include "plugins/InitThread.h"

namespace openclaw::plugins {

InitThread::~InitThread() {
    close();
    if (thread_.joinable()) thread_.join();
}

void InitThread::post(std::function<void()> call) {
    if (!state_) {
        auto state = std::make_shared<State>();
        thread_ = std::thread([state] { run(state); });
        state_ = std::move(state);
    }
    {
        std::lock_guard<std::mutex> lock(state_->mu);
        state_->calls.push_back(std::move(call));
    }
    state_->cv.notify_one();
}

void InitThread::abandon() {
    close();
    if (thread_.joinable()) thread_.detach(); // it holds its own reference to the state
    state_.reset();
}

void InitThread::close() {
    if (!state_) return;
    {
        std::lock_guard<std::mutex> lock(state_->mu);
        state_->closing = true;
    }
    state_->cv.notify_one();
}

void InitThread::run(const std::shared_ptr<State>& state) {
    for (;;) {
        std::function<void()> call;
        {
            std::unique_lock<std::mutex> lock(state->mu);
            state->cv.wait(lock, [&] { return state->closing || !state->calls.empty(); });
            if (state->calls.empty()) return; // closing, nothing left
            call = std::move(state->calls.front());
            state->calls.pop_front();
        }
        call(); // a packaged task: what it throws goes to its future
    }
}

} // namespace openclaw::plugins
