// openclaw/plugin.hpp — header-only C++ layer over plugin.h.
//
// A plugin is one class derived from openclaw::Plugin and one line:
//
//     class MyAuth : public openclaw::Plugin { ... };
//     OPENCLAW_PLUGIN(MyAuth, "my-auth", "My auth", "1.0.0", OC_CAP_AUTH)
//
// The macro defines the exported entry point and C trampolines that catch every exception, so no
// exception ever crosses the ABI: a throwing call becomes an OC_ERR with the exception's message.
// Only the C++ standard library is used (no Boost, no POCO).
//
// A plugin needs ABI 1.0 unless it defines OPENCLAW_PLUGIN_ABI_MINOR before including this header (and
// says the same in its manifest, e.g. "abi": "1.1"). Host functions added after 1.0 are checked before
// each call: on an older host they throw std::runtime_error naming what is missing.
#ifndef OPENCLAW_PLUGIN_HPP
#define OPENCLAW_PLUGIN_HPP

#include "openclaw/plugin.h"

#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

/// The minor version of the ABI this plugin needs (its manifest's "abi" says the same).
#ifndef OPENCLAW_PLUGIN_ABI_MINOR
#define OPENCLAW_PLUGIN_ABI_MINOR 0u
#endif

namespace openclaw {

/// How a child process ended, and what it printed (bounded by the host).
struct ProcessResult {
    int exitCode = -1;  ///< -1 when a signal ended it
    int termSignal = 0; ///< the signal that ended it, 0 when it exited
    bool timedOut = false;
    std::string out;
    std::string err;
};

/// Appends text to a caller-owned sink (ignores a null sink).
inline void writeSink(oc_sink* sink, const std::string& text) {
    if (sink != nullptr && sink->write != nullptr) sink->write(sink->ctx, text.data(), text.size());
}

/// A sink that collects into a std::string (for calls the plugin makes into the host).
struct StringSink {
    std::string text;
    oc_sink sink{this, [](void* ctx, const char* data, size_t len) {
                     static_cast<StringSink*>(ctx)->text.append(data, len);
                 }};
};

/// Escapes a string for inclusion in JSON text (quotes included).
inline std::string jsonQuote(const std::string& s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    return out + "\"";
}

/// The host services, wrapped. Valid for the lifetime of the plugin instance.
class Host {
  public:
    explicit Host(const oc_host_api* api) : api_(api) {}

    /// Logs a line under `subsystem` at `level` (OC_LOG_*).
    void log(int level, const std::string& subsystem, const std::string& message) const {
        if (api_ && api_->log) api_->log(api_->host_ctx, level, subsystem.c_str(), message.c_str());
    }
    void info(const std::string& subsystem, const std::string& m) const { log(OC_LOG_INFO, subsystem, m); }
    void warn(const std::string& subsystem, const std::string& m) const { log(OC_LOG_WARN, subsystem, m); }

    /// Returns a config section as JSON text ("plugin", "gateway" or "runtime"); "{}" if unavailable.
    std::string config(const std::string& section) const {
        StringSink s;
        if (!api_ || !api_->get_config || api_->get_config(api_->host_ctx, section.c_str(), &s.sink) != OC_OK)
            return "{}";
        return s.text;
    }

    /// Broadcasts an event to authenticated sessions.
    bool emit(const std::string& event, const std::string& payloadJson) const {
        return api_ && api_->emit_event &&
               api_->emit_event(api_->host_ctx, event.c_str(), payloadJson.c_str()) == OC_OK;
    }

    /// Starts a host timer; returns its id (0 on failure).
    uint64_t addTimer(uint32_t intervalMs, bool repeat, oc_timer_fn fn, void* user) const {
        return (api_ && api_->add_timer)
                   ? api_->add_timer(api_->host_ctx, intervalMs, repeat ? 1 : 0, fn, user)
                   : 0;
    }
    /// Cancels a timer started with addTimer.
    void cancelTimer(uint64_t id) const {
        if (api_ && api_->cancel_timer) api_->cancel_timer(api_->host_ctx, id);
    }

    // --- 1.1 ---

    /// Runs a child to completion, no shell (the calling thread waits: call it from postWork or a thread
    /// of yours). Throws when the host is older than 1.1 or the program could not start.
    ProcessResult runProcess(const std::vector<std::string>& argv, uint32_t timeoutMs,
                             const std::vector<std::string>& env = {}) const {
        require(OC_HAS_FIELD(api_, oc_host_api, run_process) && api_->run_process, "run_process");
        std::vector<const char*> args = cStrings(argv);
        std::vector<const char*> vars = cStrings(env);
        oc_process_spec spec{sizeof(oc_process_spec), args.data(), vars.data(), timeoutMs, 0};
        oc_process_result r{sizeof(oc_process_result), -1, 0, 0};
        StringSink out, err;
        if (api_->run_process(api_->host_ctx, &spec, &r, &out.sink, &err.sink) != OC_OK)
            throw std::runtime_error(argv.empty() ? "run_process: no program" : argv[0] + ": " + err.text);
        return {r.exit_code, r.term_signal, r.timed_out != 0, out.text, err.text};
    }

    /// Starts a long-running child; `onExit` runs once when it ends. Returns its id (for stopProcess).
    uint64_t startProcess(const std::vector<std::string>& argv, uint32_t timeoutMs, oc_exit_fn onExit,
                          void* user, int* pid = nullptr, const std::vector<std::string>& env = {}) const {
        require(OC_HAS_FIELD(api_, oc_host_api, start_process) && api_->start_process, "start_process");
        std::vector<const char*> args = cStrings(argv);
        std::vector<const char*> vars = cStrings(env);
        oc_process_spec spec{sizeof(oc_process_spec), args.data(), vars.data(), timeoutMs, 0};
        uint64_t id = 0;
        StringSink err;
        if (api_->start_process(api_->host_ctx, &spec, onExit, user, &id, pid, &err.sink) != OC_OK)
            throw std::runtime_error(argv.empty() ? "start_process: no program" : argv[0] + ": " + err.text);
        return id;
    }

    /// Stops a child started with startProcess (SIGTERM, then SIGKILL); returns once its onExit has run.
    void stopProcess(uint64_t id) const {
        if (OC_HAS_FIELD(api_, oc_host_api, stop_process) && api_->stop_process)
            api_->stop_process(api_->host_ctx, id);
    }

    /// Calls fn(user, fd) on the plugin I/O thread while fd is readable; returns the watch id.
    uint64_t watchFd(int fd, oc_fd_fn fn, void* user) const {
        require(OC_HAS_FIELD(api_, oc_host_api, watch_fd) && api_->watch_fd, "watch_fd");
        const uint64_t id = api_->watch_fd(api_->host_ctx, fd, fn, user);
        if (id == 0)
            throw std::runtime_error("watch_fd: descriptor " + std::to_string(fd) + " cannot be watched");
        return id;
    }
    /// Stops a watch; when it returns the callback is not running.
    void unwatchFd(uint64_t id) const {
        if (OC_HAS_FIELD(api_, oc_host_api, unwatch_fd) && api_->unwatch_fd)
            api_->unwatch_fd(api_->host_ctx, id);
    }

    /// Runs fn(user) on a host worker thread (where it may block).
    void postWork(oc_work_fn fn, void* user) const {
        require(OC_HAS_FIELD(api_, oc_host_api, post_work) && api_->post_work, "post_work");
        if (api_->post_work(api_->host_ctx, fn, user) != OC_OK)
            throw std::runtime_error("post_work: the host is stopping");
    }

    /// Tells the host that what this plugin reports changed (a no-op on a 1.0 host).
    void stateChanged() const {
        if (OC_HAS_FIELD(api_, oc_host_api, state_changed) && api_->state_changed)
            api_->state_changed(api_->host_ctx);
    }

    /// Inside verifyAuth() or call(): a handle to answer this call later (then throw openclaw::Pending).
    uint64_t defer() const {
        require(OC_HAS_FIELD(api_, oc_host_api, complete) && api_->defer, "defer");
        const uint64_t call = api_->defer(api_->host_ctx);
        if (call == 0) throw std::logic_error("defer() outside verifyAuth or a method call");
        return call;
    }
    /// Answers a deferred call with its result JSON; false when the host no longer waits for it.
    bool complete(uint64_t call, const std::string& resultJson) const {
        return OC_HAS_FIELD(api_, oc_host_api, complete) && api_->complete &&
               api_->complete(api_->host_ctx, call, OC_OK, resultJson.c_str()) == OC_OK;
    }
    /// Fails a deferred call with an error (text, or an RpcError's json()).
    bool fail(uint64_t call, const std::string& error) const {
        return OC_HAS_FIELD(api_, oc_host_api, complete) && api_->complete &&
               api_->complete(api_->host_ctx, call, OC_ERR, error.c_str()) == OC_OK;
    }

    // --- 1.2 ---
    /// Sends an event to one session (with its next seq only when asked); false when it has gone. Throws on
    /// a host older than 1.2.
    bool sendTo(uint64_t sessionId, const std::string& event, const std::string& payloadJson,
                bool withSeq = false) const {
        require(OC_HAS_FIELD(api_, oc_host_api, send_event) && api_->send_event, "send_event", 2);
        return api_->send_event(api_->host_ctx, sessionId, event.c_str(), payloadJson.c_str(),
                                withSeq ? 1 : 0) == OC_OK;
    }
    /// Closes one session with a WebSocket close code and reason; false when it has gone.
    bool closeSession(uint64_t sessionId, int code, const std::string& reason) const {
        require(OC_HAS_FIELD(api_, oc_host_api, close_session) && api_->close_session, "close_session", 2);
        return api_->close_session(api_->host_ctx, sessionId, code, reason.c_str()) == OC_OK;
    }
    /// Gives a call of this plugin its own deadline (before answering Pending); past it the caller gets
    /// `timeoutErrorJson` ({code,message,details?}) when given, else the host's timeout error.
    bool setDeadline(uint64_t call, uint32_t timeoutMs, const std::string& timeoutErrorJson = "") const {
        require(OC_HAS_FIELD(api_, oc_host_api, set_deadline) && api_->set_deadline, "set_deadline", 2);
        return api_->set_deadline(api_->host_ctx, call, timeoutMs,
                                  timeoutErrorJson.empty() ? nullptr : timeoutErrorJson.c_str()) == OC_OK;
    }
    /// The open sessions as JSON (role 0 = all, else OC_ROLE_*).
    std::string listSessions(int role = 0) const {
        require(OC_HAS_FIELD(api_, oc_host_api, list_sessions) && api_->list_sessions, "list_sessions", 2);
        StringSink s;
        if (api_->list_sessions(api_->host_ctx, role, &s.sink) != OC_OK) return "[]";
        return s.text;
    }
    /// Broadcasts an event to the sessions of `role` (0 = all, else OC_ROLE_*) holding `requiredScope` ("" =
    /// any), e.g. pairing events to operators holding "operator.pairing". False on an unknown scope.
    bool broadcast(const std::string& event, const std::string& payloadJson, int role,
                   const std::string& requiredScope) const {
        require(OC_HAS_FIELD(api_, oc_host_api, broadcast_event) && api_->broadcast_event, "broadcast_event",
                2);
        return api_->broadcast_event(api_->host_ctx, event.c_str(), payloadJson.c_str(), role,
                                     requiredScope.c_str()) == OC_OK;
    }
    /// addTimer whose `user` is freed by `release` once the host holds it no more (see oc_release_fn).
    uint64_t addTimer(uint32_t intervalMs, bool repeat, oc_timer_fn fn, oc_release_fn release,
                      void* user) const {
        require(OC_HAS_FIELD(api_, oc_host_api, add_timer_ex) && api_->add_timer_ex, "add_timer_ex", 2);
        return api_->add_timer_ex(api_->host_ctx, intervalMs, repeat ? 1 : 0, fn, release, user);
    }
    /// postWork whose `user` is freed by `release` once the host holds it no more (also when it never runs).
    void postWork(oc_work_fn fn, oc_release_fn release, void* user) const {
        require(OC_HAS_FIELD(api_, oc_host_api, post_work_ex) && api_->post_work_ex, "post_work_ex", 2);
        if (api_->post_work_ex(api_->host_ctx, fn, release, user) != OC_OK)
            throw std::runtime_error("post_work: the host is stopping");
    }
    /// Request hooks dropped so far, per plugin, as JSON.
    std::string hookDrops() const {
        require(OC_HAS_FIELD(api_, oc_host_api, hook_drops) && api_->hook_drops, "hook_drops", 2);
        StringSink s;
        if (api_->hook_drops(api_->host_ctx, &s.sink) != OC_OK) return "{}";
        return s.text;
    }
    /// The host's ABI minor (0 for a 1.0 host).
    uint32_t abiMinor() const { return OC_HAS_FIELD(api_, oc_host_api, abi_minor) ? api_->abi_minor : 0; }

    /// The raw C table, for what this wrapper does not cover.
    const oc_host_api* raw() const { return api_; }

  private:
    void require(bool offered, const char* function, int minor = 1) const {
        if (!offered)
            throw std::runtime_error(std::string("this gateway's plugin ABI 1.") +
                                     std::to_string(abiMinor()) + " has no " + function +
                                     " (it needs ABI 1." + std::to_string(minor) + ")");
    }
    static std::vector<const char*> cStrings(const std::vector<std::string>& v) {
        std::vector<const char*> out;
        out.reserve(v.size() + 1);
        for (const auto& s : v)
            out.push_back(s.c_str());
        out.push_back(nullptr);
        return out;
    }

    const oc_host_api* api_;
};

/// Thrown by plugin code to refuse a call with a protocol error object
/// ({"code","message","details"}) rather than a plain message.
class RpcError : public std::runtime_error {
  public:
    RpcError(std::string code, const std::string& message, std::string detailsJson = "")
        : std::runtime_error(message), code_(std::move(code)), details_(std::move(detailsJson)) {}
    /// The error object as JSON text.
    std::string json() const {
        std::string out = "{\"code\":" + jsonQuote(code_) + ",\"message\":" + jsonQuote(what());
        if (!details_.empty()) out += ",\"details\":" + details_;
        return out + "}";
    }

  private:
    std::string code_;
    std::string details_;
};

/// Thrown from verifyAuth() or call() after Host::defer(): the answer comes later, through Host::complete()
/// or Host::fail() with the handle defer() gave (ABI 1.1).
struct Pending {};

/// (1.2) Who is calling a method: a copy of oc_call_context, safe to keep.
struct CallContext {
    uint64_t call = 0;      ///< the call's handle: throw Pending, then Host::complete() it from any thread
    uint64_t sessionId = 0; ///< the calling session (Host::sendTo, closeSession)
    int role = 0;           ///< OC_ROLE_*; 0 on a host older than 1.2 (the 1.0 handler was called)
    uint32_t scopes = 0;    ///< OC_SCOPE_* bits
    std::string clientId, clientMode, clientPlatform, clientVersion, deviceId, remoteAddress;
    bool loopback = false;

    /// Whether the caller holds `scope` (an OC_SCOPE_* bit; admin holds every scope, write implies read).
    bool has(uint32_t scope) const {
        if (scopes & OC_SCOPE_ADMIN) return true;
        if (scope == OC_SCOPE_READ && (scopes & OC_SCOPE_WRITE)) return true;
        return (scopes & scope) == scope;
    }
    static CallContext from(const oc_call_context* c) {
        CallContext out;
        if (c == nullptr) return out;
        out.call = c->call;
        out.sessionId = c->session_id;
        out.role = c->role;
        out.scopes = c->scopes;
        auto str = [](const char* p) { return std::string(p != nullptr ? p : ""); };
        out.clientId = str(c->client_id);
        out.clientMode = str(c->client_mode);
        out.clientPlatform = str(c->client_platform);
        out.clientVersion = str(c->client_version);
        out.deviceId = str(c->device_id);
        out.remoteAddress = str(c->remote_address);
        out.loopback = c->is_loopback != 0;
        return out;
    }
};

/// (1.2) An HTTP path prefix a plugin serves (OC_CAP_HTTP).
struct HttpRouteSpec {
    std::string prefix; ///< "/metrics" serves /metrics and /metrics/…
    int access;         ///< OC_HTTP_PRIVATE, OC_HTTP_PUBLIC or OC_HTTP_PUBLIC_BY_CONFIG
};

/// A method a plugin adds to the RPC registry.
struct MethodSpec {
    std::string name;  ///< e.g. "tailscale.status"
    std::string scope; ///< required scope, "" for none
};

/// Base class of a C++ plugin. Override what the declared capabilities need; the defaults throw.
/// Constructors may throw to refuse creation (the message reaches the operator's log).
class Plugin {
  public:
    explicit Plugin(Host host) : host_(host) {}
    virtual ~Plugin() = default;
    Plugin(const Plugin&) = delete;
    Plugin& operator=(const Plugin&) = delete;

    // --- auth ---
    /// Verifies a connect request (see oc_auth_vtable); returns the result JSON.
    virtual std::string verifyAuth(const std::string& requestJson) {
        (void)requestJson;
        throw std::logic_error("auth not implemented");
    }
    /// (1.2) An overlay that cannot decide anything under its current config returns false: the gateway then
    /// leaves it out of the auth chain (no round trip per connect). Read when the server starts.
    virtual bool authCanDecide() { return true; }
    /// (1.2) OC_AUTH_* flags (override as a static function: OC_AUTH_NEVER_BLOCKS when verifyAuth never
    /// blocks, so the gateway calls it on the connection's I/O thread).
    static uint32_t authFlags() { return 0; }
    /// (1.3) OC_ADMISSION_* bits, e.g. OC_ADMISSION_QUICK_FIRST (admit() then sees "quick":true first).
    static uint32_t admissionFlags() { return 0; }

    // --- admission (1.2) ---
    /// Decides a connect after its credentials (see oc_admission_vtable); returns the verdict JSON.
    virtual std::string admit(const std::string& requestJson) {
        (void)requestJson;
        throw std::logic_error("admission not implemented");
    }

    // --- exposure ---
    virtual std::string exposureStart(const std::string& requestJson) {
        (void)requestJson;
        throw std::logic_error("exposure not implemented");
    }
    virtual void exposureStop() {}
    /// Returns {"address":…} or an empty string when there is no such address.
    virtual std::string exposureResolveBind() { return ""; }
    virtual std::string exposureStatus() { return "{}"; }

    // --- discovery ---
    virtual void advertise(const std::string& beaconJson) {
        (void)beaconJson;
        throw std::logic_error("discovery not implemented");
    }
    virtual void withdraw() {}
    virtual std::string browse(const std::string& requestJson) {
        (void)requestJson;
        throw std::logic_error("discovery not implemented");
    }

    // --- tunnel ---
    virtual std::string tunnelOpen(const std::string& requestJson) {
        (void)requestJson;
        throw std::logic_error("tunnel not implemented");
    }
    virtual void tunnelClose(const std::string& handle) { (void)handle; }

    // --- methods ---
    /// Handles one of the methods listed by the class's static methodSpecs(); returns the payload JSON.
    virtual std::string call(const std::string& method, const std::string& paramsJson) {
        (void)paramsJson;
        throw RpcError("INVALID_REQUEST", "unknown method: " + method);
    }
    /// (1.2) The same with its caller; by default calls call(method, params). A host older than 1.2 calls
    /// call(method, params) directly.
    virtual std::string callFrom(const CallContext& caller, const std::string& method,
                                 const std::string& paramsJson) {
        (void)caller;
        return call(method, paramsJson);
    }

    // --- hooks: only those the class overrides are registered (oc_hooks_vtable says what each gets) ---
    virtual void onSessionOpen(const std::string& json) { (void)json; }
    virtual void onSessionClose(const std::string& json) { (void)json; }
    virtual void onRequest(const std::string& json) { (void)json; }
    virtual void onConfigReload(const std::string& json) { (void)json; }
    /// (1.2) Every connect's outcome.
    virtual void onAuthResult(const std::string& json) { (void)json; }

    // --- http (1.2, OC_CAP_HTTP) ---
    /// Answers a request under one of httpRoutes()' prefixes (JSON in and out as oc_http_vtable says).
    virtual std::string serveHttp(const std::string& requestJson) {
        (void)requestJson;
        throw std::logic_error("http not implemented");
    }
    /// HTTP prefixes this plugin serves (override as a static function in the derived class).
    static std::vector<HttpRouteSpec> httpRoutes() { return {}; }

    // --- reload ---
    /// Override to survive a SIGUSR1 reload: take the new config section (host().config("plugin") returns it
    /// from now on), or throw to be destroyed and created again with it. Not overridden: the host destroys
    /// and creates the plugin on every reload. Runs on the gateway's main thread (see plugin.h).
    virtual void reconfigure(const std::string& configJson) { (void)configJson; }

    /// Methods this plugin adds (override as a static function in the derived class).
    static std::vector<MethodSpec> methodSpecs() { return {}; }
    /// Events this plugin may emit (override as a static function in the derived class).
    static std::vector<std::string> eventNames() { return {}; }
    /// (1.2) The operator scope a session needs to get `event` ("" = every session); override as a static
    /// function. On a 1.2 gateway the default keeps events from sessions without operator.read.
    static std::string eventScope(const std::string& event) {
        (void)event;
        return "operator.read";
    }

  protected:
    const Host& host() const { return host_; }

  private:
    Host host_;
};

namespace detail {

/// An exception as the ABI's error object: a failure of the plugin itself, not a refusal it chose.
inline std::string internalError(const std::string& what) {
    return RpcError("UNAVAILABLE", what, R"({"code":"PLUGIN_INTERNAL_ERROR"})").json();
}

/// Runs fn, turning any exception into OC_ERR plus the ABI's error object in `error` (RpcError: its own).
template <class F> int guarded(oc_sink* error, F&& fn) noexcept {
    try {
        fn();
        return OC_OK;
    } catch (const Pending&) {
        return OC_PENDING;
    } catch (const RpcError& e) {
        writeSink(error, e.json());
    } catch (const std::exception& e) {
        writeSink(error, internalError(e.what()));
    } catch (...) {
        writeSink(error, internalError("unknown exception"));
    }
    return OC_ERR;
}

/// Whether T overrides Plugin::reconfigure (then the descriptor offers it; otherwise it stays NULL).
template <class T> constexpr bool overridesReconfigure() {
    return !std::is_same<decltype(&T::reconfigure), void (Plugin::*)(const std::string&)>::value;
}
/// Whether T overrides a hook (only those are registered: a hook the plugin does not want costs nothing).
#define OPENCLAW_DETAIL_OVERRIDES(T, fn)                                                                     \
    (!std::is_same<decltype(&T::fn), void (Plugin::*)(const std::string&)>::value)

/// Static tables for one plugin class; built once, on first use of the entry point.
template <class T> struct Tables {
    std::vector<std::string> methodNames, methodScopes, events;
    std::vector<oc_method_def> methodDefs;
    std::vector<const char*> eventPtrs;
    std::vector<std::string> eventScopeNames;
    std::vector<const char*> eventScopePtrs;
    oc_auth_vtable auth{};
    oc_exposure_vtable exposure{};
    oc_discovery_vtable discovery{};
    oc_tunnel_vtable tunnel{};
    oc_methods_vtable methods{};
    oc_hooks_vtable hooks{};
    std::vector<std::string> routePrefixes;
    std::vector<oc_http_route> routeDefs;
    oc_http_vtable http{};
    oc_admission_vtable admission{};
    oc_plugin_descriptor descriptor{};
    std::string authMode;

    static T* self(void* instance) { return static_cast<T*>(instance); }

    Tables(const char* id, const char* name, const char* version, uint32_t caps, const char* mode) {
        buildAuth(mode);
        buildExposure();
        buildDiscovery();
        buildTunnel();
        buildMethods();
        buildHooks();
        buildHttp();
        buildDescriptor(id, name, version, caps);
    }

    void buildAuth(const char* mode) {
        authMode = mode ? mode : "";
        auth = {sizeof(oc_auth_vtable), authMode.c_str(),
                [](void* inst, const char* req, oc_sink* result) -> int {
                    return guarded(result,
                                   [&] { writeSink(result, self(inst)->verifyAuth(req ? req : "{}")); });
                },
                T::authFlags(),
                [](void* inst) -> int {
                    bool can = true;
                    guarded(nullptr, [&] { can = self(inst)->authCanDecide(); });
                    return can ? 1 : 0;
                }};
        admission = {sizeof(oc_admission_vtable),
                     [](void* inst, const char* req, oc_sink* result) -> int {
                         return guarded(result,
                                        [&] { writeSink(result, self(inst)->admit(req ? req : "{}")); });
                     },
                     T::admissionFlags()};
    }
    void buildExposure() {
        exposure = {sizeof(oc_exposure_vtable),
                    [](void* inst, const char* req, oc_sink* result, oc_sink* error) -> int {
                        return guarded(
                            error, [&] { writeSink(result, self(inst)->exposureStart(req ? req : "{}")); });
                    },
                    [](void* inst, oc_sink* error) -> int {
                        return guarded(error, [&] { self(inst)->exposureStop(); });
                    },
                    [](void* inst, oc_sink* result) -> int {
                        std::string addr;
                        int rc = guarded(nullptr, [&] { addr = self(inst)->exposureResolveBind(); });
                        if (rc != OC_OK) return rc;
                        if (addr.empty()) return OC_ERR_NOT_FOUND;
                        writeSink(result, addr);
                        return OC_OK;
                    },
                    [](void* inst, oc_sink* result) -> int {
                        return guarded(nullptr, [&] { writeSink(result, self(inst)->exposureStatus()); });
                    }};
    }
    void buildDiscovery() {
        discovery = {sizeof(oc_discovery_vtable),
                     [](void* inst, const char* beacon, oc_sink* error) -> int {
                         return guarded(error, [&] { self(inst)->advertise(beacon ? beacon : "{}"); });
                     },
                     [](void* inst) -> int { return guarded(nullptr, [&] { self(inst)->withdraw(); }); },
                     [](void* inst, const char* req, oc_sink* result, oc_sink* error) -> int {
                         return guarded(error,
                                        [&] { writeSink(result, self(inst)->browse(req ? req : "{}")); });
                     }};
    }
    void buildTunnel() {
        tunnel = {sizeof(oc_tunnel_vtable),
                  [](void* inst, const char* req, oc_sink* result, oc_sink* error) -> int {
                      return guarded(error,
                                     [&] { writeSink(result, self(inst)->tunnelOpen(req ? req : "{}")); });
                  },
                  [](void* inst, const char* handle) -> int {
                      return guarded(nullptr, [&] { self(inst)->tunnelClose(handle ? handle : ""); });
                  }};
    }
    void buildMethods() {
        for (const MethodSpec& m : T::methodSpecs()) {
            methodNames.push_back(m.name);
            methodScopes.push_back(m.scope);
        }
        for (size_t i = 0; i < methodNames.size(); ++i) {
            methodDefs.push_back(
                {sizeof(oc_method_def), methodNames[i].c_str(), methodScopes[i].c_str(),
                 [](void* inst, const char* method, const char* params, oc_sink* result,
                    oc_sink* error) -> int {
                     return guarded(error, [&] {
                         writeSink(result, self(inst)->call(method ? method : "", params ? params : "{}"));
                     });
                 },
                 [](void* inst, const oc_call_context* ctx, const char* method, const char* params,
                    oc_sink* result, oc_sink* error) -> int {
                     return guarded(error, [&] {
                         writeSink(result, self(inst)->callFrom(CallContext::from(ctx), method ? method : "",
                                                                params ? params : "{}"));
                     });
                 }});
        }
        events = T::eventNames();
        for (const std::string& e : events) {
            eventPtrs.push_back(e.c_str());
            eventScopeNames.push_back(T::eventScope(e));
        }
        for (const std::string& scope : eventScopeNames)
            eventScopePtrs.push_back(scope.c_str());
        methods = {sizeof(oc_methods_vtable), methodDefs.data(), methodDefs.size(),
                   eventPtrs.data(),          eventPtrs.size(),  eventScopePtrs.data()};
    }
    void buildHooks() {
        hooks.struct_size = sizeof(oc_hooks_vtable);
        if (OPENCLAW_DETAIL_OVERRIDES(T, onSessionOpen))
            hooks.session_open = [](void* inst, const char* j) {
                guarded(nullptr, [&] { self(inst)->onSessionOpen(j ? j : ""); });
            };
        if (OPENCLAW_DETAIL_OVERRIDES(T, onSessionClose))
            hooks.session_close = [](void* inst, const char* j) {
                guarded(nullptr, [&] { self(inst)->onSessionClose(j ? j : ""); });
            };
        if (OPENCLAW_DETAIL_OVERRIDES(T, onRequest))
            hooks.request = [](void* inst, const char* j) {
                guarded(nullptr, [&] { self(inst)->onRequest(j ? j : ""); });
            };
        if (OPENCLAW_DETAIL_OVERRIDES(T, onConfigReload))
            hooks.config_reload = [](void* inst, const char* j) {
                guarded(nullptr, [&] { self(inst)->onConfigReload(j ? j : ""); });
            };
        if (OPENCLAW_DETAIL_OVERRIDES(T, onAuthResult))
            hooks.auth_result = [](void* inst, const char* j) {
                guarded(nullptr, [&] { self(inst)->onAuthResult(j ? j : ""); });
            };
    }
    void buildHttp() {
        for (const HttpRouteSpec& r : T::httpRoutes())
            routePrefixes.push_back(r.prefix);
        size_t i = 0;
        for (const HttpRouteSpec& r : T::httpRoutes())
            routeDefs.push_back({sizeof(oc_http_route), routePrefixes[i++].c_str(), r.access});
        http = {sizeof(oc_http_vtable), routeDefs.data(), routeDefs.size(),
                [](void* inst, const char* req, oc_sink* response, oc_sink* error) -> int {
                    return guarded(error,
                                   [&] { writeSink(response, self(inst)->serveHttp(req ? req : "{}")); });
                }};
    }
    void buildDescriptor(const char* id, const char* name, const char* version, uint32_t caps) {
        descriptor.struct_size = sizeof(oc_plugin_descriptor);
        descriptor.id = id;
        descriptor.name = name;
        descriptor.version = version;
        descriptor.capabilities = caps;
        descriptor.create = [](const oc_host_api* host, const char* config, void** instance,
                               oc_sink* error) -> int {
            (void)config; // available through Host::config("plugin")
            return guarded(error, [&] { *instance = new T(Host(host)); });
        };
        descriptor.destroy = [](void* inst) { guarded(nullptr, [&] { delete self(inst); }); };
        descriptor.auth = (caps & OC_CAP_AUTH) ? &auth : nullptr;
        descriptor.exposure = (caps & OC_CAP_EXPOSURE) ? &exposure : nullptr;
        descriptor.discovery = (caps & OC_CAP_DISCOVERY) ? &discovery : nullptr;
        descriptor.tunnel = (caps & OC_CAP_TUNNEL) ? &tunnel : nullptr;
        descriptor.methods = (caps & OC_CAP_METHODS) ? &methods : nullptr;
        descriptor.hooks = (caps & OC_CAP_HOOKS) ? &hooks : nullptr;
        descriptor.http = (caps & OC_CAP_HTTP) ? &http : nullptr;
        descriptor.admission = (caps & OC_CAP_ADMISSION) ? &admission : nullptr;
        if (overridesReconfigure<T>())
            descriptor.reconfigure = [](void* inst, const char* config, oc_sink* error) -> int {
                return guarded(error, [&] { self(inst)->reconfigure(config ? config : "{}"); });
            };
    }
};

/// The negotiation every generated entry point performs (oc_negotiate in plugin.h): this plugin's major must
/// be offered, and the host's minor must be at least the one the plugin needs (a 1.0 host offers no minor:
/// 0).
inline int negotiate(const oc_abi_offer* offer, oc_abi_answer* answer,
                     const oc_plugin_descriptor* d) noexcept {
    return oc_negotiate(offer, answer, OPENCLAW_PLUGIN_ABI_MINOR, d);
}

} // namespace detail
} // namespace openclaw

/// Defines the plugin's entry point for class CLASS (an auth plugin passes its mode with
/// OPENCLAW_AUTH_PLUGIN instead). CAPS is a bitwise-or of OC_CAP_* values.
#define OPENCLAW_PLUGIN_WITH_MODE(CLASS, ID, NAME, VERSION, CAPS, MODE)                                      \
    extern "C" OC_EXPORT int openclaw_plugin_entry(const oc_abi_offer* offer, oc_abi_answer* answer) {       \
        try {                                                                                                \
            static const ::openclaw::detail::Tables<CLASS> tables(ID, NAME, VERSION, CAPS, MODE);            \
            return ::openclaw::detail::negotiate(offer, answer, &tables.descriptor);                         \
        } catch (...) {                                                                                      \
            return OC_ERR;                                                                                   \
        }                                                                                                    \
    }

#define OPENCLAW_PLUGIN(CLASS, ID, NAME, VERSION, CAPS)                                                      \
    OPENCLAW_PLUGIN_WITH_MODE(CLASS, ID, NAME, VERSION, CAPS, "")
#define OPENCLAW_AUTH_PLUGIN(CLASS, ID, NAME, VERSION, CAPS, MODE)                                           \
    OPENCLAW_PLUGIN_WITH_MODE(CLASS, ID, NAME, VERSION, (CAPS) | OC_CAP_AUTH, MODE)

#endif // OPENCLAW_PLUGIN_HPP
