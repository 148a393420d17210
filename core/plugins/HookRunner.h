// The hooks of one plugin (oc_hooks_vtable), called on a thread of that plugin's own in the order the
// events happened, never on an I/O thread. Session, auth and reload hooks are never dropped; request hooks
// wait in a bounded queue and what does not fit is dropped and counted.
#pragma once

#include "plugins/LoadedPlugin.h"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

namespace openclaw::plugins {

/// What a hook is about.
enum class HookKind { SessionOpen, SessionClose, Request, ConfigReload, AuthResult };

/// One plugin's hook thread and queue.
class HookRunner {
  public:
    /// How many request hooks may wait for the plugin before new ones are dropped.
    static constexpr size_t kRequestQueue = 1024;

    explicit HookRunner(const LoadedPlugin& plugin);
    /// Runs what is queued, then stops the thread.
    ~HookRunner();
    HookRunner(const HookRunner&) = delete;
    HookRunner& operator=(const HookRunner&) = delete;

    /// Whether the plugin has a hook of this kind.
    bool wants(HookKind kind) const;
    /// Queues a call of the plugin's hook with `json` (dropped and counted for a full request queue).
    void post(HookKind kind, std::string json);
    /// Request hooks dropped so far.
    uint64_t requestDrops() const { return requestDrops_; }
    const std::string& pluginId() const { return pluginId_; }

  private:
    void run();
    void call(HookKind kind, const std::string& json) const;

    oc_hooks_vtable hooks_;
    void* instance_;
    std::string pluginId_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<std::pair<HookKind, std::string>> queue_;
    size_t requestsQueued_ = 0;
    bool stopping_ = false;
    std::atomic<uint64_t> requestDrops_{0};
    std::thread thread_;
};

} // namespace openclaw::plugins
