#include "plugins/HookRunner.h"

#include "log/Logger.h"
#include "json/Json.h"

#include <array>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>

namespace openclaw::plugins {

namespace {

size_t slot(HookKind kind) {
    return static_cast<size_t>(kind);
}

using HookFn = void (*)(void* instance, const char* json);

/// A queued call: the JSON, or for a request the facts it is built from.
struct Item {
    HookKind kind;
    std::string json;
    RequestFacts request;
};

/// The request hook's JSON ({"sessionId","method","plugin","ok","code","durationUs"}).
std::string requestJson(const RequestFacts& f, const MethodOwners& owners) {
    json::ObjectPtr o = json::makeObject();
    o->set("sessionId", static_cast<Poco::UInt64>(f.sessionId));
    o->set("method", f.method);
    const auto owner = owners.find(f.method);
    o->set("plugin", owner == owners.end() ? std::string() : owner->second);
    o->set("ok", f.ok);
    o->set("code", f.code);
    o->set("durationUs", static_cast<Poco::Int64>(f.durationUs));
    return json::stringify(o);
}

} // namespace

struct HookRunner::State {
    std::array<HookFn, kHookKinds> fns{}; ///< the plugin's hooks by kind (null: not wanted)
    void* instance = nullptr;
    std::shared_ptr<const MethodOwners> owners;
    std::mutex mu;
    std::condition_variable cv;
    std::deque<Item> queue;
    size_t requestsQueued = 0;
    bool stopping = false;
    bool abandoned = false;        ///< the stop gave up waiting: run nothing more
    bool finished = false;         ///< the thread has left its loop
    std::shared_ptr<void> overrun; ///< held while an abandoned thread is still inside the plugin
    std::atomic<uint64_t> requestDrops{0};

    void run();
};

void HookRunner::State::run() {
    std::unique_lock<std::mutex> lock(mu);
    for (;;) {
        cv.wait(lock, [this] { return stopping || !queue.empty(); });
        if (queue.empty() || abandoned) break; // stopping, and everything queued has run (or was dropped)
        Item item = std::move(queue.front());
        queue.pop_front();
        if (item.kind == HookKind::Request) --requestsQueued;
        lock.unlock();
        const std::string text =
            item.kind == HookKind::Request ? requestJson(item.request, *owners) : std::move(item.json);
        fns[slot(item.kind)](instance, text.c_str());
        lock.lock();
    }
    finished = true;
    overrun.reset(); // after an abandoned stop: the plugin may now be destroyed
    cv.notify_all();
}

HookRunner::HookRunner(const LoadedPlugin& plugin, std::shared_ptr<const MethodOwners> owners)
    : pluginId_(plugin.record().manifest.id), state_(std::make_shared<State>()), plugin_(plugin) {
    const oc_hooks_vtable& h = plugin.hooks();
    state_->fns[slot(HookKind::SessionOpen)] = h.session_open;
    state_->fns[slot(HookKind::SessionClose)] = h.session_close;
    state_->fns[slot(HookKind::Request)] = h.request;
    state_->fns[slot(HookKind::ConfigReload)] = h.config_reload;
    state_->fns[slot(HookKind::AuthResult)] = h.auth_result; // NULL from a pre-1.2 vtable (copied by size)
    state_->instance = plugin.instance();
    state_->owners = std::move(owners);
    thread_ = std::thread([state = state_] { state->run(); });
}

HookRunner::~HookRunner() {
    std::unique_lock<std::mutex> lock(state_->mu);
    state_->stopping = true;
    state_->cv.notify_all();
    if (state_->cv.wait_for(lock, kStopWait, [this] { return state_->finished; })) {
        lock.unlock();
        thread_.join();
        return;
    }
    // A hook has not returned: the thread (and the state it shares) is left to finish on its own, the rest of
    // the queue dropped, and the plugin kept alive at unload while the thread is inside it.
    const size_t dropped = state_->queue.size();
    state_->queue.clear();
    state_->abandoned = true;
    state_->overrun = plugin_.holdOverrun();
    lock.unlock();
    thread_.detach();
    log::Logger::get().error(pluginId_,
                             "a hook did not return within " + std::to_string(kStopWait.count()) +
                                 " ms of the stop; " + std::to_string(dropped) +
                                 " queued hook call(s) dropped; the gateway stops without waiting");
}

bool HookRunner::wants(HookKind kind) const {
    return state_->fns[slot(kind)] != nullptr;
}

uint64_t HookRunner::requestDrops() const {
    return state_->requestDrops;
}

void HookRunner::post(HookKind kind, std::string json) {
    {
        std::lock_guard<std::mutex> lock(state_->mu);
        state_->queue.push_back({kind, std::move(json), {}});
    }
    state_->cv.notify_one();
}

void HookRunner::post(RequestFacts facts) {
    {
        std::lock_guard<std::mutex> lock(state_->mu);
        if (state_->requestsQueued >= kRequestQueue) {
            ++state_->requestDrops;
            return;
        }
        ++state_->requestsQueued;
        state_->queue.push_back({HookKind::Request, std::string(), std::move(facts)});
    }
    state_->cv.notify_one();
}

} // namespace openclaw::plugins
