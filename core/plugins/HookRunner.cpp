#include "plugins/HookRunner.h"

#include "log/Logger.h"

namespace openclaw::plugins {

HookRunner::HookRunner(const LoadedPlugin& plugin)
    : hooks_(plugin.hooks()), instance_(plugin.instance()), pluginId_(plugin.record().manifest.id),
      thread_([this] { run(); }) {}

HookRunner::~HookRunner() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        stopping_ = true;
    }
    cv_.notify_all();
    thread_.join();
}

bool HookRunner::wants(HookKind kind) const {
    switch (kind) {
    case HookKind::SessionOpen:
        return hooks_.session_open != nullptr;
    case HookKind::SessionClose:
        return hooks_.session_close != nullptr;
    case HookKind::Request:
        return hooks_.request != nullptr;
    case HookKind::ConfigReload:
        return hooks_.config_reload != nullptr;
    case HookKind::AuthResult:
        return hooks_.auth_result != nullptr;
    }
    return false;
}

void HookRunner::post(HookKind kind, std::string json) {
    {
        std::lock_guard<std::mutex> lock(mu_);
        if (kind == HookKind::Request) {
            if (requestsQueued_ >= kRequestQueue) {
                ++requestDrops_;
                return;
            }
            ++requestsQueued_;
        }
        queue_.emplace_back(kind, std::move(json));
    }
    cv_.notify_one();
}

void HookRunner::run() {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
        cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return; // stopping, and everything queued has run
        auto [kind, json] = std::move(queue_.front());
        queue_.pop_front();
        if (kind == HookKind::Request) --requestsQueued_;
        lock.unlock();
        call(kind, json);
        lock.lock();
    }
}

void HookRunner::call(HookKind kind, const std::string& json) const {
    const char* text = json.c_str();
    switch (kind) {
    case HookKind::SessionOpen:
        hooks_.session_open(instance_, text);
        break;
    case HookKind::SessionClose:
        hooks_.session_close(instance_, text);
        break;
    case HookKind::Request:
        hooks_.request(instance_, text);
        break;
    case HookKind::ConfigReload:
        hooks_.config_reload(instance_, text);
        break;
    case HookKind::AuthResult:
        hooks_.auth_result(instance_, text);
        break;
    }
}

} // namespace openclaw::plugins
