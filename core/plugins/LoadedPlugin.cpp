// A loaded plugin: its descriptor and vtables copied by size (the OBS pattern), checked for every
// capability it declares, and the calls the gateway makes across the ABI.
#include "plugins/HostApi.h"
#include "plugins/PluginError.h"

#include "log/Logger.h"

#include <condition_variable>
#include <cstddef>
#include <cstring>
#include <thread>

namespace openclaw::plugins {

namespace {

// The size of each struct's 1.0 layout: a plugin's struct smaller than this is refused.
constexpr size_t kDescriptorV10 = offsetof(oc_plugin_descriptor, hooks) + sizeof(void*);
constexpr size_t kAuthV10 = offsetof(oc_auth_vtable, verify) + sizeof(void*);
constexpr size_t kExposureV10 = offsetof(oc_exposure_vtable, status) + sizeof(void*);
constexpr size_t kDiscoveryV10 = offsetof(oc_discovery_vtable, browse) + sizeof(void*);
constexpr size_t kTunnelV10 = offsetof(oc_tunnel_vtable, close) + sizeof(void*);
constexpr size_t kMethodsV10 = offsetof(oc_methods_vtable, event_count) + sizeof(size_t);
constexpr size_t kHooksV10 = offsetof(oc_hooks_vtable, config_reload) + sizeof(void*);
constexpr size_t kMethodDefV10 = offsetof(oc_method_def, handler) + sizeof(void*);
constexpr size_t kHttpV12 = offsetof(oc_http_vtable, handle) + sizeof(void*);
constexpr size_t kHttpRouteV12 = offsetof(oc_http_route, is_public) + sizeof(int);
constexpr size_t kAdmissionV12 = offsetof(oc_admission_vtable, admit) + sizeof(void*);

/// Copies a plugin struct into `into` (zeroed, the host's size): min(struct_size, sizeof) bytes. False when
/// the plugin's struct is smaller than the 1.0 layout (`minimum`).
template <typename T> bool copyBySize(const T* from, size_t minimum, T& into) {
    into = T{};
    if (from == nullptr || from->struct_size < minimum) return false;
    std::memcpy(&into, from, std::min<size_t>(from->struct_size, sizeof(T)));
    into.struct_size = static_cast<uint32_t>(sizeof(T));
    return true;
}

template <class Fn> LoadedPlugin::CallResult callWith(Fn&& fn) {
    LoadedPlugin::CallResult r;
    oc_sink result{&r.result, appendToString};
    oc_sink error{&r.error, appendToString};
    r.status = fn(&result, &error);
    return r;
}

} // namespace

/// Calls that ran past their limit and still run on their own threads.
struct LoadedPlugin::Overruns {
    std::mutex mu;
    std::condition_variable cv;
    int running = 0;
};

LoadedPlugin::LoadedPlugin() : impl_(std::make_shared<Impl>()), overruns_(std::make_shared<Overruns>()) {}

LoadedPlugin::~LoadedPlugin() {
    // From destroy() on, no timer, descriptor or exit callback reaches the plugin.
    impl_->callbacksOn = false;
    bool quiet = true;
    {
        std::unique_lock<std::mutex> lock(overruns_->mu);
        quiet =
            overruns_->cv.wait_for(lock, std::chrono::seconds(5), [this] { return overruns_->running == 0; });
    }
    if (!quiet)
        log::Logger::get().error(record_ ? record_->manifest.id : "plugins",
                                 "a call is still running in the plugin; it is left alive (not destroyed)");
    if (quiet && instance_ && descriptor_.destroy) descriptor_.destroy(instance_);
    instance_ = nullptr;
    impl_->retire();
    // The Impl and the library it holds stay for the process's life: the plugin's code may still run.
    keepForever(impl_);
}

std::string LoadedPlugin::CallResult::errorText() const {
    return parsePluginError(error).text();
}

std::shared_ptr<void> LoadedPlugin::holdOverrun() const {
    {
        std::lock_guard<std::mutex> lock(overruns_->mu);
        ++overruns_->running;
    }
    return std::shared_ptr<void>(nullptr, [overruns = overruns_](void*) {
        std::lock_guard<std::mutex> lock(overruns->mu);
        --overruns->running;
        overruns->cv.notify_all();
    });
}

std::string LoadedPlugin::adoptCapabilities(const oc_plugin_descriptor& d) {
    const uint32_t caps = descriptor_.capabilities;
    if (caps & OC_CAP_AUTH) {
        if (!copyBySize(d.auth, kAuthV10, auth_))
            return "declares auth but its auth vtable is missing or too small";
        if (!auth_.mode || !*auth_.mode || !auth_.verify) return "its auth vtable has no mode or no verify";
    }
    if (caps & OC_CAP_EXPOSURE) {
        if (!copyBySize(d.exposure, kExposureV10, exposure_))
            return "declares exposure but its exposure vtable is missing or too small";
        if (!exposure_.start || !exposure_.stop) return "its exposure vtable has no start or no stop";
    }
    if (caps & OC_CAP_DISCOVERY) {
        if (!copyBySize(d.discovery, kDiscoveryV10, discovery_))
            return "declares discovery but its discovery vtable is missing or too small";
        if (!discovery_.advertise || !discovery_.withdraw || !discovery_.browse)
            return "its discovery vtable lacks advertise, withdraw or browse";
    }
    if (caps & OC_CAP_TUNNEL) {
        if (!copyBySize(d.tunnel, kTunnelV10, tunnel_))
            return "declares tunnel but its tunnel vtable is missing or too small";
        if (!tunnel_.open || !tunnel_.close) return "its tunnel vtable has no open or no close";
    }
    if ((caps & OC_CAP_HOOKS) && !copyBySize(d.hooks, kHooksV10, hooks_))
        return "declares hooks but its hooks vtable is missing or too small";
    if (caps & OC_CAP_HTTP) {
        // descriptor_ is the plugin's, copied by size: a pre-1.2 descriptor reads NULL here.
        if (std::string problem = adoptHttp(descriptor_.http); !problem.empty()) return problem;
    }
    if (caps & OC_CAP_ADMISSION) {
        if (!copyBySize(descriptor_.admission, kAdmissionV12, admission_) || !admission_.admit)
            return "declares admission but its admission vtable (with admit) is missing or too small";
    }
    if (caps & OC_CAP_METHODS) return adoptMethods(d.methods);
    return "";
}

std::string LoadedPlugin::adoptHttp(const oc_http_vtable* h) {
    if (!copyBySize(h, kHttpV12, http_)) return "declares http but its http vtable is missing or too small";
    if (!http_.handle || (http_.route_count > 0 && !http_.routes))
        return "its http vtable has no handle or routes";
    const size_t stride = http_.route_count ? http_.routes[0].struct_size : 0;
    if (http_.route_count && stride < kHttpRouteV12) return "its http routes are smaller than ABI 1.2's";
    const char* base = reinterpret_cast<const char*>(http_.routes);
    for (size_t i = 0; i < http_.route_count; ++i) {
        oc_http_route r{};
        copyBySize(reinterpret_cast<const oc_http_route*>(base + i * stride), kHttpRouteV12, r);
        if (!r.prefix || r.prefix[0] != '/' || r.prefix[1] == '\0')
            return "http route #" + std::to_string(i) + " has no prefix starting with / (and not / itself)";
        if (r.is_public < OC_HTTP_PRIVATE || r.is_public > OC_HTTP_PUBLIC_BY_CONFIG)
            return "http route " + std::string(r.prefix) + " has an unknown access value " +
                   std::to_string(r.is_public);
        routes_.push_back({r.prefix, r.is_public});
    }
    return "";
}

std::string LoadedPlugin::adoptMethods(const oc_methods_vtable* m) {
    if (!copyBySize(m, kMethodsV10, methodsTable_))
        return "declares methods but its methods vtable is missing or too small";
    if (methodsTable_.method_count > 0 && !methodsTable_.methods)
        return "its methods vtable has no method array";
    // The array is strided by the plugin's element size (its first element's struct_size), not ours.
    const size_t stride = methodsTable_.method_count ? methodsTable_.methods[0].struct_size : 0;
    if (methodsTable_.method_count && stride < kMethodDefV10)
        return "its method definitions are smaller than ABI 1.0's";
    const char* base = reinterpret_cast<const char*>(methodsTable_.methods);
    for (size_t i = 0; i < methodsTable_.method_count; ++i) {
        oc_method_def def{};
        copyBySize(reinterpret_cast<const oc_method_def*>(base + i * stride), kMethodDefV10, def);
        if (!def.name || !*def.name || !def.handler)
            return "method #" + std::to_string(i) + " has no name or no handler";
        methods_.push_back(def);
    }
    if (methodsTable_.event_count > 0 && !methodsTable_.events)
        return "its methods vtable has no event array";
    for (size_t i = 0; i < methodsTable_.event_count; ++i) {
        if (!methodsTable_.events[i]) continue;
        events_.emplace_back(methodsTable_.events[i]);
        // (1.2) the scope a session needs to get it; the default protects events from scope-less clients.
        const char* scope = methodsTable_.event_scopes ? methodsTable_.event_scopes[i] : nullptr;
        eventScopes_.emplace_back(scope ? scope : "operator.read");
    }
    return "";
}

std::string LoadedPlugin::adopt(const oc_plugin_descriptor& d) {
    if (!copyBySize(&d, kDescriptorV10, descriptor_)) return "descriptor is smaller than ABI 1.0's";
    if (!descriptor_.id || !descriptor_.create || !descriptor_.destroy)
        return "descriptor is incomplete (no id, create or destroy function)";
    if (std::string problem = adoptCapabilities(d); !problem.empty()) return problem;
    // From here on the host reads its own copies only.
    descriptor_.auth = (descriptor_.capabilities & OC_CAP_AUTH) ? &auth_ : nullptr;
    descriptor_.exposure = (descriptor_.capabilities & OC_CAP_EXPOSURE) ? &exposure_ : nullptr;
    descriptor_.discovery = (descriptor_.capabilities & OC_CAP_DISCOVERY) ? &discovery_ : nullptr;
    descriptor_.tunnel = (descriptor_.capabilities & OC_CAP_TUNNEL) ? &tunnel_ : nullptr;
    descriptor_.methods = (descriptor_.capabilities & OC_CAP_METHODS) ? &methodsTable_ : nullptr;
    descriptor_.hooks = (descriptor_.capabilities & OC_CAP_HOOKS) ? &hooks_ : nullptr;
    descriptor_.http = (descriptor_.capabilities & OC_CAP_HTTP) ? &http_ : nullptr;
    descriptor_.admission = (descriptor_.capabilities & OC_CAP_ADMISSION) ? &admission_ : nullptr;
    return "";
}

// Exposure and discovery calls run off the caller's thread with these limits (a `tailscale serve` may take
// seconds; a plugin stuck in one must not stop the gateway's start or stop). The lambdas copy what they use:
// a call that overruns may outlive this object.
constexpr std::chrono::milliseconds kExposureLimit{30000};
constexpr std::chrono::milliseconds kStatusLimit{5000};
constexpr std::chrono::milliseconds kDiscoveryLimit{10000};

LoadedPlugin::CallResult LoadedPlugin::within(std::chrono::milliseconds limit, const std::string& what,
                                              std::function<CallResult()> call) const {
    struct Shared {
        std::mutex mu;
        std::condition_variable cv;
        bool done = false;
        bool abandoned = false;
        CallResult result;
    };
    auto shared = std::make_shared<Shared>();
    std::thread([shared, call = std::move(call), overruns = overruns_] {
        CallResult r = call();
        std::lock_guard<std::mutex> lock(shared->mu);
        shared->result = std::move(r);
        shared->done = true;
        shared->cv.notify_all();
        if (shared->abandoned) {
            std::lock_guard<std::mutex> o(overruns->mu);
            --overruns->running;
            overruns->cv.notify_all();
        }
    }).detach();
    std::unique_lock<std::mutex> lock(shared->mu);
    if (shared->cv.wait_for(lock, limit, [&] { return shared->done; })) return std::move(shared->result);
    shared->abandoned = true;
    {
        std::lock_guard<std::mutex> o(overruns_->mu);
        ++overruns_->running;
    }
    return {OC_ERR, "", what + " did not answer within " + std::to_string(limit.count()) + " ms"};
}

LoadedPlugin::CallResult LoadedPlugin::verifyAuth(const std::string& requestJson) const {
    if (!descriptor_.auth) return {OC_ERR, "", "plugin has no auth capability"};
    return callWith(
        [&](oc_sink* res, oc_sink*) { return auth_.verify(instance_, requestJson.c_str(), res); });
}

LoadedPlugin::CallResult LoadedPlugin::callMethod(const oc_method_def& def, const std::string& params) const {
    return callWith([&](oc_sink* res, oc_sink* err) {
        return def.handler(instance_, def.name, params.c_str(), res, err);
    });
}

LoadedPlugin::CallResult LoadedPlugin::callMethodWith(const oc_method_def& def, const oc_call_context& ctx,
                                                      const std::string& params) const {
    if (!def.handle) return callMethod(def, params);
    return callWith([&](oc_sink* res, oc_sink* err) {
        return def.handle(instance_, &ctx, def.name, params.c_str(), res, err);
    });
}

void LoadedPlugin::deferrable(const std::function<CallResult(uint64_t)>& call, bool issueFirst,
                              std::chrono::milliseconds limit, const std::string& what, Done done) const {
    CallResult r;
    uint64_t deferred = 0;
    {
        CurrentCall current(impl_.get());
        // A 1.2 call is handed its handle up front (oc_call_context.call), so that the plugin can answer from
        // any thread without defer()'s thread-local lookup.
        if (issueFirst && impl_->shared) current.deferred = impl_->shared->issueCall(impl_.get());
        r = call(current.deferred);
        deferred = current.deferred;
    }
    if (r.status == OC_PENDING) {
        if (deferred == 0 || !impl_->shared) {
            done({OC_ERR, "", what + " answered OC_PENDING without calling defer()"});
            return;
        }
        impl_->shared->awaitCompletion(deferred, limit, what, [done](HostServices::Completion c) {
            done({c.status, std::move(c.result), std::move(c.error)});
        });
        return;
    }
    if (deferred != 0 && impl_->shared) impl_->shared->forgetCall(deferred);
    done(std::move(r));
}

void LoadedPlugin::verifyAuthAsync(const std::string& requestJson, std::chrono::milliseconds limit,
                                   Done done) const {
    deferrable([&](uint64_t) { return verifyAuth(requestJson); }, false, limit,
               record_->manifest.id + " auth.verify", std::move(done));
}

void LoadedPlugin::callMethodAsync(const oc_method_def& def, const std::string& params,
                                   std::chrono::milliseconds limit, Done done) const {
    deferrable([&](uint64_t) { return callMethod(def, params); }, false, limit, "the plugin",
               std::move(done));
}

void LoadedPlugin::callMethodAsync(const oc_method_def& def, oc_call_context ctx, const std::string& params,
                                   std::chrono::milliseconds limit, Done done) const {
    deferrable(
        [&](uint64_t handle) {
            ctx.call = handle;
            return callMethodWith(def, ctx, params);
        },
        def.handle != nullptr, limit, "the plugin", std::move(done));
}

void LoadedPlugin::admitAsync(const std::string& requestJson, std::chrono::milliseconds limit,
                              Done done) const {
    if (!descriptor_.admission) {
        done({OC_ERR, "", "plugin has no admission capability"});
        return;
    }
    deferrable(
        [&](uint64_t) {
            return callWith([&](oc_sink* res, oc_sink*) {
                return admission_.admit(instance_, requestJson.c_str(), res);
            });
        },
        false, limit, record_->manifest.id + " admission", std::move(done));
}

bool LoadedPlugin::authCanDecide() const {
    if (!descriptor_.auth || !auth_.can_decide) return true;
    try {
        return auth_.can_decide(instance_) != 0;
    } catch (...) {
        return true; // a C++ plugin's exception must not stop the server; asking it is the safe side
    }
}

void LoadedPlugin::serveHttpAsync(const std::string& requestJson, std::chrono::milliseconds limit,
                                  Done done) const {
    if (!descriptor_.http) {
        done({OC_ERR, "", "plugin has no http capability"});
        return;
    }
    deferrable(
        [&](uint64_t) {
            return callWith([&](oc_sink* res, oc_sink* err) {
                return http_.handle(instance_, requestJson.c_str(), res, err);
            });
        },
        false, limit, record_->manifest.id + " http", std::move(done));
}

LoadedPlugin::CallResult LoadedPlugin::reconfigure(const std::string& configJson,
                                                   std::chrono::milliseconds limit) const {
    if (!descriptor_.reconfigure) return {OC_ERR_NOT_FOUND, "", "the plugin offers no reconfigure"};
    return within(limit, "reconfigure", [fn = descriptor_.reconfigure, inst = instance_, configJson] {
        return callWith([&](oc_sink*, oc_sink* err) { return fn(inst, configJson.c_str(), err); });
    });
}

LoadedPlugin::CallResult LoadedPlugin::exposureStart(const std::string& requestJson) const {
    if (!descriptor_.exposure) return {OC_ERR, "", "plugin has no exposure capability"};
    return within(kExposureLimit, "exposure.start", [start = exposure_.start, inst = instance_, requestJson] {
        return callWith(
            [&](oc_sink* res, oc_sink* err) { return start(inst, requestJson.c_str(), res, err); });
    });
}

LoadedPlugin::CallResult LoadedPlugin::exposureStop() const {
    if (!descriptor_.exposure) return {OC_ERR, "", "plugin has no exposure capability"};
    return within(kExposureLimit, "exposure.stop", [stop = exposure_.stop, inst = instance_] {
        return callWith([&](oc_sink*, oc_sink* err) { return stop(inst, err); });
    });
}

LoadedPlugin::CallResult LoadedPlugin::exposureStatus() const {
    if (!descriptor_.exposure || !exposure_.status) return {OC_ERR_NOT_FOUND, "", "plugin reports no status"};
    return within(kStatusLimit, "exposure.status", [status = exposure_.status, inst = instance_] {
        return callWith([&](oc_sink* res, oc_sink*) { return status(inst, res); });
    });
}

std::string LoadedPlugin::resolveBind() const {
    if (!descriptor_.exposure || !exposure_.resolve_bind) return "";
    const CallResult r =
        callWith([&](oc_sink* res, oc_sink*) { return exposure_.resolve_bind(instance_, res); });
    if (r.status != OC_OK) return "";
    const std::optional<json::Var> answer = json::tryParse(r.result);
    if (!answer) {
        log::Logger::get().warn(record_->manifest.id, "resolve_bind answered something that is not JSON");
        return "";
    }
    return json::getString(json::asObject(*answer), "address").value_or("");
}

LoadedPlugin::CallResult LoadedPlugin::advertise(const std::string& beaconJson) const {
    if (!descriptor_.discovery) return {OC_ERR, "", "plugin has no discovery capability"};
    return within(kDiscoveryLimit, "discovery.advertise",
                  [advertise = discovery_.advertise, inst = instance_, beaconJson] {
                      return callWith(
                          [&](oc_sink*, oc_sink* err) { return advertise(inst, beaconJson.c_str(), err); });
                  });
}

LoadedPlugin::CallResult LoadedPlugin::withdraw() const {
    if (!descriptor_.discovery) return {OC_ERR, "", "plugin has no discovery capability"};
    return within(kDiscoveryLimit, "discovery.withdraw", [withdraw = discovery_.withdraw, inst = instance_] {
        return callWith([&](oc_sink*, oc_sink*) { return withdraw(inst); });
    });
}

LoadedPlugin::CallResult LoadedPlugin::browse(const std::string& requestJson) const {
    if (!descriptor_.discovery) return {OC_ERR, "", "plugin has no discovery capability"};
    return callWith([&](oc_sink* res, oc_sink* err) {
        return discovery_.browse(instance_, requestJson.c_str(), res, err);
    });
}

LoadedPlugin::CallResult LoadedPlugin::tunnelOpen(const std::string& requestJson) const {
    if (!descriptor_.tunnel) return {OC_ERR, "", "plugin has no tunnel capability"};
    return callWith(
        [&](oc_sink* res, oc_sink* err) { return tunnel_.open(instance_, requestJson.c_str(), res, err); });
}

LoadedPlugin::CallResult LoadedPlugin::tunnelClose(const std::string& handle) const {
    if (!descriptor_.tunnel) return {OC_ERR, "", "plugin has no tunnel capability"};
    return callWith([&](oc_sink*, oc_sink*) { return tunnel_.close(instance_, handle.c_str()); });
}

} // namespace openclaw::plugins
