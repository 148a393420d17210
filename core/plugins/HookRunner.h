// The hooks of one plugin (oc_hooks_vtable), called on a thread of that plugin's own in the order the
// events happened, never on an I/O thread. Session, auth and reload hooks are never dropped; request hooks
// wait in a bounded queue and what does not fit is dropped and counted.
#pragma once

#include "plugins/LoadedPlugin.h"

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <unordered_map>

namespace openclaw::plugins {

/// What a hook is about.
enum class HookKind { SessionOpen, SessionClose, Request, ConfigReload, AuthResult };
constexpr size_t kHookKinds = 5;

/// An answered request, as the I/O thread hands it over: the hook's JSON is built on the hook thread.
struct RequestFacts {
    uint64_t sessionId = 0;
    std::string method;
    bool ok = false;
    std::string code; ///< "" when ok
    long long durationUs = 0;
};

/// Method name → id of the plugin serving it (frozen before any hook runs; read from hook threads).
using MethodOwners = std::unordered_map<std::string, std::string>;

/// One plugin's hook thread and queue.
class HookRunner {
  public:
    /// How many request hooks may wait for the plugin before new ones are dropped.
    static constexpr size_t kRequestQueue = 1024;
    /// How long a stop waits for the hook thread to run what is queued.
    static constexpr std::chrono::milliseconds kStopWait{2000};

    /// `owners` names the plugin behind each plugin method (the request hook's "plugin"); shared, so a hook
    /// thread left behind at a stop never reads a map that is gone.
    HookRunner(const LoadedPlugin& plugin, std::shared_ptr<const MethodOwners> owners);
    /// Runs what is queued, then stops the thread; past kStopWait (a hook that does not return) the rest is
    /// dropped, the thread left to finish on its own and the plugin left alive at unload (both logged).
    ~HookRunner();
    HookRunner(const HookRunner&) = delete;
    HookRunner& operator=(const HookRunner&) = delete;

    /// Whether the plugin has a hook of this kind.
    bool wants(HookKind kind) const;
    /// Queues a call of the plugin's hook with `json` (never dropped: session, auth and reload hooks).
    void post(HookKind kind, std::string json);
    /// Queues a request hook (dropped and counted when the request queue is full).
    void post(RequestFacts facts);
    /// Request hooks dropped so far.
    uint64_t requestDrops() const;
    const std::string& pluginId() const { return pluginId_; }

  private:
    /// What the hook thread uses: shared with it, so a thread left running past a stop keeps it alive.
    struct State;

    std::string pluginId_;
    std::shared_ptr<State> state_;
    const LoadedPlugin& plugin_;
    std::thread thread_;
};

} // namespace openclaw::plugins
