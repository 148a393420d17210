// A plugin whose binary is open and, after load, whose instance exists: every call into it across the ABI,
// exception-safe, bounded where it may hang, deferred answers included. Created and owned by the PluginHost.
#pragma once

#include "plugins/PluginRecord.h"

#include "openclaw/plugin.h"

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace openclaw::plugins {

/// A plugin whose binary is open and (after load) whose instance exists. The descriptor and its vtables
/// are the host's own copies, sized as this host knows them (fields a plugin built against an older
/// minor does not have read as zero/NULL). Every call is exception-safe and returns the plugin's result
/// or error text.
class LoadedPlugin {
  public:
    ~LoadedPlugin();

    const PluginRecord& record() const { return *record_; }
    const oc_plugin_descriptor& descriptor() const { return descriptor_; }
    void* instance() const { return instance_; }
    /// The plugin's methods (copied; strided by the plugin's element size).
    const std::vector<oc_method_def>& methods() const { return methods_; }
    /// The events the plugin announces.
    const std::vector<std::string>& events() const { return events_; }
    /// The scope a session needs to get each of events() ("" = none; "operator.read" unless declared).
    const std::vector<std::string>& eventScopes() const { return eventScopes_; }
    /// (1.2) An HTTP path prefix the plugin serves.
    struct Route {
        std::string prefix;
        int access = OC_HTTP_PRIVATE; ///< OC_HTTP_*
    };
    const std::vector<Route>& routes() const { return routes_; }
    /// The plugin's hooks (NULL pointers for the kinds it does not want; all NULL without OC_CAP_HOOKS).
    const oc_hooks_vtable& hooks() const { return hooks_; }
    /// Marks a call that overran its bound (a hook that does not return at stop): while the returned handle
    /// lives, the instance is not destroyed at unload (it is left alive, and logged). Any thread; the handle
    /// may outlive this object.
    std::shared_ptr<void> holdOverrun() const;

    /// Result of a call across the ABI.
    struct CallResult {
        int status = OC_ERR;
        std::string result; ///< result JSON on OC_OK
        std::string error;  ///< what the plugin wrote on failure (the ABI's error object, or 1.0/1.1 text)
        /// The error for a log line or a person (plugins/PluginError.h: the message, with a chosen code).
        std::string errorText() const;
    };

    /// auth.verify
    CallResult verifyAuth(const std::string& requestJson) const;
    /// A method from the methods vtable.
    CallResult callMethod(const oc_method_def& def, const std::string& params) const;

    /// Runs once with a call's result (on the thread that produced it).
    using Done = std::function<void(CallResult)>;
    /// auth.verify for a caller that can wait: `done` gets the plugin's answer, or — when it answers
    /// OC_PENDING — its later complete() or a timeout error past `limit`.
    void verifyAuthAsync(const std::string& requestJson, std::chrono::milliseconds limit, Done done) const;
    /// A method, the same way.
    void callMethodAsync(const oc_method_def& def, const std::string& params, std::chrono::milliseconds limit,
                         Done done) const;
    /// (1.2) A method with its caller: the plugin's `handle` when it has one (ctx.call is set to the call's
    /// handle, owned by this plugin), else its 1.0 handler. ctx's strings need only last until this returns.
    void callMethodAsync(const oc_method_def& def, oc_call_context ctx, const std::string& params,
                         std::chrono::milliseconds limit, Done done) const;
    /// (1.2) admission.admit for a connect (JSON as plugin.h describes), the same way.
    void admitAsync(const std::string& requestJson, std::chrono::milliseconds limit, Done done) const;
    /// (1.2) auth.can_decide: false when the overlay said it cannot decide under the current config.
    bool authCanDecide() const;
    /// (1.2) auth.flags has OC_AUTH_NEVER_BLOCKS.
    bool authNeverBlocks() const { return (auth_.flags & OC_AUTH_NEVER_BLOCKS) != 0; }
    /// (1.2) admission.flags has OC_ADMISSION_QUICK_FIRST.
    bool admissionQuickFirst() const { return (admission_.flags & OC_ADMISSION_QUICK_FIRST) != 0; }
    /// (1.2) http.handle for a request (JSON as plugin.h describes), the same way.
    void serveHttpAsync(const std::string& requestJson, std::chrono::milliseconds limit, Done done) const;
    /// descriptor.reconfigure (1.1) with the new config section, within `limit`; OC_ERR_NOT_FOUND when the
    /// plugin offers none.
    CallResult reconfigure(const std::string& configJson, std::chrono::milliseconds limit) const;
    /// exposure.start / exposure.stop
    CallResult exposureStart(const std::string& requestJson) const;
    CallResult exposureStop() const;
    /// exposure.resolve_bind: the tailnet address to bind, or "" when there is none (yet).
    std::string resolveBind() const;
    /// exposure.status (when the plugin has it)
    CallResult exposureStatus() const;
    /// discovery.advertise / withdraw / browse
    CallResult advertise(const std::string& beaconJson) const;
    CallResult withdraw() const;
    CallResult browse(const std::string& requestJson) const;
    /// tunnel.open / tunnel.close (the caller bounds them through the request's budgets)
    CallResult tunnelOpen(const std::string& requestJson) const;
    CallResult tunnelClose(const std::string& handle) const;

    /// Runs `call` on a thread of its own and waits at most `limit`: a plugin that does not answer in time
    /// gets an error result naming `what`, and the caller goes on (the call finishes on its thread; destroy
    /// waits for it, boundedly).
    CallResult within(std::chrono::milliseconds limit, const std::string& what,
                      std::function<CallResult()> call) const;

    /// Host-side state behind oc_host_api.host_ctx (opaque outside the plugin host's sources).
    struct Impl;

  private:
    friend class PluginHost;
    LoadedPlugin();
    /// Copies the plugin's descriptor and vtables; "" when they are sound, else what is wrong.
    std::string adopt(const oc_plugin_descriptor& d);
    std::string adoptCapabilities(const oc_plugin_descriptor& d);
    std::string adoptMethods(const oc_methods_vtable* m);
    std::string adoptHttp(const oc_http_vtable* h);
    CallResult callMethodWith(const oc_method_def& def, const oc_call_context& ctx,
                              const std::string& params) const;
    /// Calls `call` with the call's handle (issued first when `issueFirst`, else what defer() issues) and
    /// hands `done` its answer: at once, or after complete() / the deadline when it answers OC_PENDING.
    void deferrable(const std::function<CallResult(uint64_t)>& call, bool issueFirst,
                    std::chrono::milliseconds limit, const std::string& what, Done done) const;

    std::shared_ptr<Impl> impl_; ///< shared with host-service callbacks, which may outlive this object
    struct Overruns;
    std::shared_ptr<Overruns> overruns_; ///< calls still running past their limit
    PluginRecord* record_ = nullptr;     ///< the host's record (the host updates its state)
    oc_plugin_descriptor descriptor_{};
    oc_auth_vtable auth_{};
    oc_exposure_vtable exposure_{};
    oc_discovery_vtable discovery_{};
    oc_tunnel_vtable tunnel_{};
    oc_methods_vtable methodsTable_{};
    oc_hooks_vtable hooks_{};
    oc_http_vtable http_{};
    oc_admission_vtable admission_{};
    std::vector<Route> routes_;
    std::vector<oc_method_def> methods_;
    std::vector<std::string> events_;
    std::vector<std::string> eventScopes_;
    void* instance_ = nullptr;
};

} // namespace openclaw::plugins
