#include "plugins/HookRunner.h"

#include "log/Logger.h"
#include "json/Json.h"

namespace openclaw::plugins {

namespace {

size_t slot(HookKind kind) {
    return static_cast<size_t>(kind);
}

} // namespace

HookRunner::HookRunner(const LoadedPlugin& plugin, const MethodOwners& owners)
    : instance_(plugin.instance()), pluginId_(plugin.record().manifest.id), owners_(owners) {
    const oc_hooks_vtable& h = plugin.hooks();
    fns_[slot(HookKind::SessionOpen)] = h.session_open;
    fns_[slot(HookKind::SessionClose)] = h.session_close;
    fns_[slot(HookKind::Request)] = h.request;
    fns_[slot(HookKind::ConfigReload)] = h.config_reload;
    fns_[slot(HookKind::AuthResult)] = h.auth_result; // read as NULL from a pre-1.2 vtable (copied by size)
    thread_ = std::thread([this] { run(); });
}

HookRunner::~HookRunner() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        stopping_ = true;
    }
    cv_.notify_all();
    thread_.join();
}

bool HookRunner::wants(HookKind kind) const {
    return fns_[slot(kind)] != nullptr;
}

void HookRunner::post(HookKind kind, std::string json) {
    {
        std::lock_guard<std::mutex> lock(mu_);
        queue_.push_back({kind, std::move(json), {}});
    }
    cv_.notify_one();
}

void HookRunner::post(RequestFacts facts) {
    {
        std::lock_guard<std::mutex> lock(mu_);
        if (requestsQueued_ >= kRequestQueue) {
            ++requestDrops_;
            return;
        }
        ++requestsQueued_;
        queue_.push_back({HookKind::Request, std::string(), std::move(facts)});
    }
    cv_.notify_one();
}

void HookRunner::run() {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
        cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return; // stopping, and everything queued has run
        Item item = std::move(queue_.front());
        queue_.pop_front();
        if (item.kind == HookKind::Request) --requestsQueued_;
        lock.unlock();
        const std::string json =
            item.kind == HookKind::Request ? requestJson(item.request) : std::move(item.json);
        fns_[slot(item.kind)](instance_, json.c_str());
        lock.lock();
    }
}

std::string HookRunner::requestJson(const RequestFacts& f) const {
    json::ObjectPtr o = json::makeObject();
    o->set("sessionId", static_cast<Poco::UInt64>(f.sessionId));
    o->set("method", f.method);
    const auto owner = owners_.find(f.method);
    o->set("plugin", owner == owners_.end() ? std::string() : owner->second);
    o->set("ok", f.ok);
    o->set("code", f.code);
    o->set("durationUs", static_cast<Poco::Int64>(f.durationUs));
    return json::stringify(o);
}

} // namespace openclaw::plugins
