// The C functions of oc_host_api. They never throw (an exception must not cross into a plugin's C code):
// each catches and answers with an error code, or logs when the function returns nothing.
#include "plugins/HostApi.h"

#include "log/Logger.h"
#include "log/Throttle.h"
#include "json/RawJson.h"

#include <cstring>

namespace openclaw::plugins {

void appendToString(void* ctx, const char* data, size_t len) {
    static_cast<std::string*>(ctx)->append(data, len);
}

namespace {
thread_local CurrentCall* tCurrentCall = nullptr;
}

CurrentCall::CurrentCall(LoadedPlugin::Impl* i) : impl(i), previous_(tCurrentCall) {
    tCurrentCall = this;
}

CurrentCall::~CurrentCall() {
    tCurrentCall = previous_;
}

CurrentCall* CurrentCall::get() {
    return tCurrentCall;
}

void keepForever(std::shared_ptr<LoadedPlugin::Impl> impl) {
    static std::mutex mu;
    static auto* kept = new std::vector<std::shared_ptr<LoadedPlugin::Impl>>();
    std::lock_guard<std::mutex> lock(mu);
    kept->push_back(std::move(impl));
}

void LoadedPlugin::Impl::retire() {
    callbacksOn = false;
    std::set<uint64_t> leftTimers, leftWatches;
    std::map<uint64_t, std::unique_ptr<process::Child>> leftChildren;
    {
        std::lock_guard<std::mutex> lock(ownedMu);
        leftTimers.swap(timers);
        leftWatches.swap(watches);
        leftChildren.swap(children);
    }
    if (shared) {
        for (uint64_t id : leftTimers)
            shared->cancelTimer(id);
        for (uint64_t id : leftWatches)
            shared->unwatch(id);
    }
    leftChildren.clear(); // each Child stops its process group on destruction
    std::unique_lock<std::shared_mutex> lock(mu);
    live = false;
    services = nullptr;
}

void LoadedPlugin::Impl::rebind(PluginServices* next, config::GatewayConfigPtr nextConfig,
                                std::string nextConfigJson) {
    std::unique_lock<std::shared_mutex> lock(mu);
    if (!live) return;
    services = next;
    if (nextConfig) config = std::move(nextConfig);
    if (!nextConfigJson.empty()) configJson = std::move(nextConfigJson);
}

namespace {

LoadedPlugin::Impl* implOf(void* ctx) {
    return static_cast<LoadedPlugin::Impl*>(ctx);
}

log::Level toLevel(int level) {
    if (level >= OC_LOG_ERROR) return log::Level::Error;
    if (level >= OC_LOG_WARN) return log::Level::Warn;
    if (level >= OC_LOG_INFO) return log::Level::Info;
    return log::Level::Debug;
}

void writeTo(oc_sink* sink, const std::string& text) {
    if (sink && sink->write) sink->write(sink->ctx, text.data(), text.size());
}

void hostLog(void* ctx, int level, const char* subsystem, const char* message) {
    try {
        std::string sub = subsystem && *subsystem ? subsystem : implOf(ctx)->pluginId;
        log::Logger::get().write(toLevel(level), sub, message ? message : "");
    } catch (const std::exception&) {
        // Logging itself failed (out of memory): there is nowhere left to report it, and the exception
        // must not cross into the plugin's C code.
    }
}

int hostGetConfig(void* ctx, const char* section, oc_sink* out) {
    try {
        LoadedPlugin::Impl* impl = implOf(ctx);
        const std::string name = section ? section : "";
        std::string text;
        // A reload may swap the config and the services (Impl::rebind) while the plugin's threads read.
        std::shared_lock<std::shared_mutex> lock(impl->mu);
        if (name == "plugin") {
            text = impl->configJson;
        } else if (name == "gateway") {
            // A 1.2 plugin sees what its manifest's configAccess lists; older ones the whole section
            // (legacy).
            text = json::stringify(gatewayViewFor(impl->configAccess, impl->config->gatewaySection()));
        } else if (name == "runtime") {
            text = impl->services ? impl->services->runtimeJson() : "{}";
        } else {
            return OC_ERR_NOT_FOUND;
        }
        writeTo(out, text);
        return OC_OK;
    } catch (const std::exception&) {
        return OC_ERR;
    }
}

/// An event payload from a plugin as the text the frames carry: checked, not parsed, and spliced as the
/// plugin wrote it (NULL is null). Nothing when it is not one JSON value.
std::optional<std::string> payloadText(const char* payload) {
    const std::string_view text = payload ? json::trimWhitespace(payload) : std::string_view("null");
    if (!json::isValid(text)) return std::nullopt;
    return std::string(text);
}

int hostEmit(void* ctx, const char* event, const char* payload) {
    try {
        LoadedPlugin::Impl* impl = implOf(ctx);
        if (!event) return OC_ERR_INVALID;
        const std::optional<std::string> p = payloadText(payload);
        if (!p) return OC_ERR_INVALID; // refused before it reaches any session
        std::shared_lock<std::shared_mutex> lock(impl->mu);
        if (!impl->live || !impl->services) return OC_ERR;
        return impl->services->emitEvent(event, *p) ? OC_OK : OC_ERR;
    } catch (const std::exception&) {
        return OC_ERR;
    }
}

/// Calls a plugin's release function for `user` when the last copy of the callback that holds it goes (the
/// work ran, will never run, or the timer was cancelled or fired for the last time).
class Release {
  public:
    Release(oc_release_fn fn, void* user) : fn_(fn), user_(user) {}
    ~Release() {
        if (fn_) fn_(user_);
    }
    Release(const Release&) = delete;
    Release& operator=(const Release&) = delete;

  private:
    oc_release_fn fn_;
    void* user_;
};

uint64_t hostAddTimerEx(void* ctx, uint32_t intervalMs, int repeat, oc_timer_fn fn, oc_release_fn release,
                        void* user) {
    try {
        LoadedPlugin::Impl* impl = implOf(ctx);
        auto releaser = std::make_shared<Release>(release, user);
        if (!fn) return 0;
        std::shared_lock<std::shared_mutex> lock(impl->mu);
        if (!impl->live || !impl->shared) return 0;
        const uint64_t id = impl->shared->addTimer(intervalMs, repeat != 0, [impl, fn, user, releaser] {
            if (!impl->callbacksOn) return;
            try {
                fn(user);
            } catch (const std::exception& e) {
                // A C++ plugin's timer threw: named, and once a minute per message, not every tick.
                log::errorThrottled(impl->pluginId, std::string("timer callback failed: ") + e.what());
            }
        });
        std::lock_guard<std::mutex> owned(impl->ownedMu);
        if (id) impl->timers.insert(id);
        return id;
    } catch (const std::exception&) {
        return 0;
    }
}

uint64_t hostAddTimer(void* ctx, uint32_t intervalMs, int repeat, oc_timer_fn fn, void* user) {
    return hostAddTimerEx(ctx, intervalMs, repeat, fn, nullptr, user);
}

void hostCancelTimer(void* ctx, uint64_t id) {
    LoadedPlugin::Impl* impl = implOf(ctx);
    try {
        {
            std::lock_guard<std::mutex> owned(impl->ownedMu);
            if (!impl->timers.erase(id)) return; // not this plugin's, or already cancelled
        }
        if (impl->shared) impl->shared->cancelTimer(id);
    } catch (const std::exception& e) {
        // Must not cross into the plugin's C code; cancel has no error to return, so it is logged.
        log::Logger::get().error(impl->pluginId, std::string("cancel_timer failed: ") + e.what());
    }
}

process::Spec specFrom(const oc_process_spec* s) {
    // The host's own copy, as big as this host knows the struct (fields beyond the plugin's are zero).
    oc_process_spec local{};
    std::memcpy(&local, s, std::min<size_t>(s->struct_size, sizeof local));
    process::Spec spec;
    for (const char* const* a = local.argv; a && *a; ++a)
        spec.argv.emplace_back(*a);
    for (const char* const* e = local.env; e && *e; ++e)
        spec.env.emplace_back(*e);
    spec.timeout = std::chrono::milliseconds(local.timeout_ms);
    spec.maxOutput = local.max_output ? local.max_output : 65536;
    return spec;
}

void fillResult(const process::Result& r, oc_process_result* out) {
    if (!out) return;
    // Only the fields the plugin's struct holds.
    oc_process_result local{};
    local.struct_size = out->struct_size;
    local.exit_code = r.exitCode;
    local.term_signal = r.termSignal;
    local.timed_out = r.timedOut ? 1 : 0;
    std::memcpy(reinterpret_cast<char*>(out) + sizeof(uint32_t),
                reinterpret_cast<const char*>(&local) + sizeof(uint32_t),
                std::min<size_t>(out->struct_size, sizeof local) - sizeof(uint32_t));
}

bool validSpec(const oc_process_spec* s) {
    return s && s->struct_size >= offsetof(oc_process_spec, max_output) + sizeof(s->max_output) && s->argv &&
           s->argv[0];
}

int hostRunProcess(void* ctx, const oc_process_spec* s, oc_process_result* result, oc_sink* out,
                   oc_sink* err) {
    try {
        LoadedPlugin::Impl* impl = implOf(ctx);
        {
            std::shared_lock<std::shared_mutex> lock(impl->mu);
            if (!impl->live) return OC_ERR;
        }
        if (!validSpec(s) || (result && result->struct_size < sizeof(oc_process_result))) {
            writeTo(err, "run_process: the spec needs argv (and a result struct of at least the 1.1 size)");
            return OC_ERR_INVALID;
        }
        const process::Result r = process::run(specFrom(s));
        if (!r.started) {
            writeTo(err, r.startError);
            return OC_ERR;
        }
        fillResult(r, result);
        writeTo(out, r.out);
        writeTo(err, r.err);
        return OC_OK;
    } catch (const std::exception& e) {
        writeTo(err, e.what());
        return OC_ERR;
    }
}

int hostStartProcess(void* ctx, const oc_process_spec* s, oc_exit_fn onExit, void* user, uint64_t* processId,
                     int* pid, oc_sink* error) {
    try {
        LoadedPlugin::Impl* impl = implOf(ctx);
        {
            std::shared_lock<std::shared_mutex> lock(impl->mu);
            if (!impl->live) return OC_ERR;
        }
        if (!validSpec(s)) {
            writeTo(error, "start_process: the spec needs argv");
            return OC_ERR_INVALID;
        }
        std::lock_guard<std::mutex> owned(impl->ownedMu);
        const uint64_t id = impl->nextChildId++;
        std::string why;
        auto child = process::Child::start(
            specFrom(s),
            [impl, onExit, user, id](const process::Result& r) {
                if (!onExit || !impl->callbacksOn) return;
                oc_process_result result{sizeof(oc_process_result), r.exitCode, r.termSignal,
                                         r.timedOut ? 1 : 0};
                onExit(user, id, &result, r.err.data(), r.err.size());
            },
            &why);
        if (!child) {
            writeTo(error, why);
            return OC_ERR;
        }
        if (pid) *pid = child->pid();
        if (processId) *processId = id;
        impl->children[id] = std::move(child);
        return OC_OK;
    } catch (const std::exception& e) {
        writeTo(error, e.what());
        return OC_ERR;
    }
}

void hostStopProcess(void* ctx, uint64_t processId) {
    LoadedPlugin::Impl* impl = implOf(ctx);
    try {
        std::unique_ptr<process::Child> child;
        {
            std::lock_guard<std::mutex> owned(impl->ownedMu);
            auto it = impl->children.find(processId);
            if (it == impl->children.end()) return;
            child = std::move(it->second);
            impl->children.erase(it);
        }
        child->stop(); // outside the lock: its exit callback may call the host
    } catch (const std::exception& e) {
        log::Logger::get().error(impl->pluginId, std::string("stop_process failed: ") + e.what());
    }
}

uint64_t hostWatchFd(void* ctx, int fd, oc_fd_fn fn, void* user) {
    try {
        LoadedPlugin::Impl* impl = implOf(ctx);
        {
            std::shared_lock<std::shared_mutex> lock(impl->mu);
            if (!impl->live || !impl->shared || !fn || fd < 0) return 0;
        }
        const uint64_t id = impl->shared->watch(fd, [impl, fn, user, fd] {
            if (impl->callbacksOn) fn(user, fd);
        });
        std::lock_guard<std::mutex> owned(impl->ownedMu);
        if (id) impl->watches.insert(id);
        return id;
    } catch (const std::exception&) {
        return 0;
    }
}

void hostUnwatchFd(void* ctx, uint64_t id) {
    LoadedPlugin::Impl* impl = implOf(ctx);
    try {
        {
            std::lock_guard<std::mutex> owned(impl->ownedMu);
            if (!impl->watches.erase(id)) return;
        }
        if (impl->shared) impl->shared->unwatch(id);
    } catch (const std::exception& e) {
        log::Logger::get().error(impl->pluginId, std::string("unwatch_fd failed: ") + e.what());
    }
}

int hostPostWorkEx(void* ctx, oc_work_fn fn, oc_release_fn release, void* user) {
    try {
        LoadedPlugin::Impl* impl = implOf(ctx);
        auto releaser = std::make_shared<Release>(release, user);
        {
            std::shared_lock<std::shared_mutex> lock(impl->mu);
            if (!impl->live || !impl->shared || !fn) return OC_ERR;
        }
        // Posted work that never runs (the host stops first) is dropped from the queue: its releaser goes
        // too.
        return impl->shared->post([fn, user, releaser = std::move(releaser)] { fn(user); }) ? OC_OK : OC_ERR;
    } catch (const std::exception&) {
        return OC_ERR;
    }
}

int hostPostWork(void* ctx, oc_work_fn fn, void* user) {
    return hostPostWorkEx(ctx, fn, nullptr, user);
}

void hostStateChanged(void* ctx) {
    LoadedPlugin::Impl* impl = implOf(ctx);
    try {
        std::shared_lock<std::shared_mutex> lock(impl->mu);
        if (impl->live && impl->services) impl->services->pluginStateChanged(impl->pluginId);
    } catch (const std::exception& e) {
        log::Logger::get().error(impl->pluginId, std::string("state_changed failed: ") + e.what());
    }
}

uint64_t hostDefer(void* ctx) {
    try {
        CurrentCall* call = CurrentCall::get();
        LoadedPlugin::Impl* impl = implOf(ctx);
        if (!call || call->impl != impl || !impl->shared)
            return 0; // not inside verify or a method of this plugin
        if (call->deferred == 0) call->deferred = impl->shared->issueCall(impl);
        return call->deferred;
    } catch (const std::exception&) {
        return 0;
    }
}

int hostComplete(void* ctx, uint64_t call, int status, const char* text) {
    try {
        LoadedPlugin::Impl* impl = implOf(ctx);
        if (!impl->shared) return OC_ERR_NOT_FOUND;
        HostServices::Completion answer;
        answer.status = status == OC_PENDING ? OC_ERR : status;
        (status == OC_OK ? answer.result : answer.error) = text ? text : "";
        // Only the plugin the handle was given to may answer it.
        return impl->shared->complete(call, impl, std::move(answer)) ? OC_OK : OC_ERR_NOT_FOUND;
    } catch (const std::exception&) {
        return OC_ERR;
    }
}

/// Runs fn with the gateway's services while the plugin is live and a server is there; OC_ERR otherwise.
template <class Fn> int withServices(void* ctx, Fn&& fn) {
    try {
        LoadedPlugin::Impl* impl = implOf(ctx);
        std::shared_lock<std::shared_mutex> lock(impl->mu);
        if (!impl->live || !impl->services) return OC_ERR;
        return fn(*impl->services);
    } catch (const std::exception&) {
        return OC_ERR;
    }
}

int hostSendEvent(void* ctx, uint64_t sessionId, const char* event, const char* payload, int withSeq) {
    if (!event || !*event) return OC_ERR_INVALID;
    const std::optional<std::string> p = payloadText(payload);
    if (!p) return OC_ERR_INVALID;
    return withServices(ctx, [&](PluginServices& s) {
        return s.sendToSession(sessionId, event, *p, withSeq != 0) ? OC_OK : OC_ERR_NOT_FOUND;
    });
}

int hostCloseSession(void* ctx, uint64_t sessionId, int code, const char* reason) {
    if (code < 1000 || code > 4999) return OC_ERR_INVALID;
    return withServices(ctx, [&](PluginServices& s) {
        return s.closeSession(sessionId, code, reason ? reason : "") ? OC_OK : OC_ERR_NOT_FOUND;
    });
}

int hostSetDeadline(void* ctx, uint64_t call, uint32_t timeoutMs, const char* timeoutJson) {
    try {
        LoadedPlugin::Impl* impl = implOf(ctx);
        if (!impl->shared || timeoutMs == 0) return OC_ERR_INVALID;
        std::string error = timeoutJson ? timeoutJson : "";
        if (!error.empty() && !json::tryParse(error)) return OC_ERR_INVALID;
        return impl->shared->setDeadline(call, impl, std::chrono::milliseconds(timeoutMs), std::move(error))
                   ? OC_OK
                   : OC_ERR_NOT_FOUND;
    } catch (const std::exception&) {
        return OC_ERR;
    }
}

int hostListSessions(void* ctx, int roleFilter, oc_sink* out) {
    return withServices(ctx, [&](PluginServices& s) {
        writeTo(out, s.listSessions(roleFilter));
        return OC_OK;
    });
}

int hostBroadcastEvent(void* ctx, const char* event, const char* payload, int roleFilter, const char* scope) {
    if (!event || !*event || roleFilter < 0 || roleFilter > OC_ROLE_NODE) return OC_ERR_INVALID;
    const std::optional<std::string> p = payloadText(payload);
    if (!p) return OC_ERR_INVALID;
    return withServices(ctx, [&](PluginServices& s) {
        return s.broadcastFiltered(event, *p, roleFilter, scope ? scope : "") ? OC_OK : OC_ERR_INVALID;
    });
}

int hostHookDrops(void* ctx, oc_sink* out) {
    return withServices(ctx, [&](PluginServices& s) {
        writeTo(out, s.hookDrops());
        return OC_OK;
    });
}

} // namespace

oc_host_api makeHostApi(LoadedPlugin::Impl* impl) {
    oc_host_api api{};
    api.struct_size = sizeof(oc_host_api);
    api.abi_version = OC_ABI_VERSION_MAJOR;
    api.host_ctx = impl;
    api.log = hostLog;
    api.get_config = hostGetConfig;
    api.emit_event = hostEmit;
    api.add_timer = hostAddTimer;
    api.cancel_timer = hostCancelTimer;
    api.abi_minor = OC_ABI_VERSION_MINOR;
    api.run_process = hostRunProcess;
    api.start_process = hostStartProcess;
    api.stop_process = hostStopProcess;
    api.watch_fd = hostWatchFd;
    api.unwatch_fd = hostUnwatchFd;
    api.post_work = hostPostWork;
    api.state_changed = hostStateChanged;
    api.defer = hostDefer;
    api.complete = hostComplete;
    api.send_event = hostSendEvent;
    api.close_session = hostCloseSession;
    api.set_deadline = hostSetDeadline;
    api.list_sessions = hostListSessions;
    api.hook_drops = hostHookDrops;
    api.broadcast_event = hostBroadcastEvent;
    api.add_timer_ex = hostAddTimerEx;
    api.post_work_ex = hostPostWorkEx;
    return api;
}

} // namespace openclaw::plugins
