// openclaw/testing/FakeHost.hpp — a host for unit-testing a plugin without a gateway (header-only, C++17,
// the standard library and dlopen only).
//
//     openclaw::testing::FakeHost host("build/my-plugin.so");   // or FakeHost(&openclaw_plugin_entry)
//     host.create(R"({"greeting":"hi"})");
//     EXPECT_EQ(host.call("hello.say", "{}"), R"({"said":{}})");
//     host.fireTimers();                                           // runs every timer once
//     EXPECT_EQ(host.events().size(), 1u);
//
// Loaded from its .so, a plugin whose folder holds its openclaw.plugin.json is judged by the gateway itself
// at create(): `openclaw plugins check <folder> --config <json>` (manifest, "abi" and id against the binary,
// built-in method and event names, the config against configSchema), so a test fails with the very words the
// gateway would log. The gateway is the one the SDK was installed with (OPENCLAW_FAKE_HOST_GATEWAY, set by
// the openclaw::testing CMake target; the environment variable of that name overrides it).
//
// It answers every oc_host_api function of the ABI it was built with, records what the plugin asks (log
// lines, events, child processes, watched descriptors, posted work, state changes) and lets the test decide
// when callbacks run: nothing runs on a thread of its own. Child processes are not started: the test scripts
// their results (scriptProcess) and ends long-running ones (finishProcess).
#ifndef OPENCLAW_TESTING_FAKE_HOST_HPP
#define OPENCLAW_TESTING_FAKE_HOST_HPP

#include "openclaw/plugin.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace openclaw::testing {

/// A result the test scripts for a child process (matched by its program, argv[0]).
struct ScriptedProcess {
    int exitCode = 0;
    int termSignal = 0;
    bool timedOut = false;
    std::string out;
    std::string err;
    bool notFound = false; ///< the program does not exist: run_process/start_process fail with this message
};

class FakeHost {
  public:
    struct LogLine {
        int level;
        std::string subsystem;
        std::string message;
    };
    struct Event {
        std::string name;
        std::string payloadJson;
    };
    struct ProcessRequest {
        std::vector<std::string> argv;
        std::vector<std::string> env;
        uint32_t timeoutMs = 0;
        bool longRunning = false;
        uint64_t id = 0;
    };

    /// Loads a plugin shared object (dlopen) and negotiates with it.
    explicit FakeHost(const std::string& sharedObject) {
        library_ = ::dlopen(sharedObject.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!library_) throw std::runtime_error("cannot load " + sharedObject + ": " + ::dlerror());
        void* entry = ::dlsym(library_, OPENCLAW_PLUGIN_ENTRY_SYMBOL);
        if (!entry) throw std::runtime_error(sharedObject + " has no " OPENCLAW_PLUGIN_ENTRY_SYMBOL);
        const size_t slash = sharedObject.find_last_of('/');
        const std::string folder = slash == std::string::npos ? "." : sharedObject.substr(0, slash);
        struct stat st {};
        if (::stat((folder + "/openclaw.plugin.json").c_str(), &st) == 0) folder_ = folder;
        negotiate(reinterpret_cast<oc_plugin_entry_fn>(entry));
    }
    /// Uses an entry point linked into the test binary.
    explicit FakeHost(oc_plugin_entry_fn entry) { negotiate(entry); }

    ~FakeHost() {
        destroy();
        // The library stays mapped (as in the gateway): a plugin thread could still run its code.
    }
    FakeHost(const FakeHost&) = delete;
    FakeHost& operator=(const FakeHost&) = delete;

    /// What get_config answers for "gateway" and "runtime" (the "plugin" section is create()'s argument).
    void setConfig(const std::string& section, const std::string& json) { sections_[section] = json; }

    /// Creates the instance; throws with the plugin's message when it refuses, or — for a plugin loaded from
    /// a folder with its manifest — with the gateway's when the gateway would not load it with this config.
    void create(const std::string& pluginConfigJson = "{}") {
        if (!folder_.empty()) checkAsGateway(pluginConfigJson);
        sections_["plugin"] = pluginConfigJson;
        std::string error;
        oc_sink sink = sinkFor(error);
        if (descriptor_->create(&api_, pluginConfigJson.c_str(), &instance_, &sink) != OC_OK || !instance_)
            throw std::runtime_error("create failed: " + error);
    }
    /// Destroys the instance (idempotent).
    void destroy() {
        if (instance_ && descriptor_->destroy) descriptor_->destroy(instance_);
        instance_ = nullptr;
        // (1.2) What the plugin left behind will never run: its user data is released, as the gateway does.
        for (const Work& w : work_)
            if (w.release) w.release(w.user);
        work_.clear();
        timers_.clear();
        auto left = releases_;
        releases_.clear();
        for (const auto& r : left)
            r.second.first(r.second.second);
    }

    /// A SIGUSR1 reload as the gateway does it: the new config section, then the plugin's reconfigure()
    /// when it offers one (true), else — or when it fails — destroy() and create() (false; the failure is
    /// in logs()).
    bool reload(const std::string& pluginConfigJson) {
        sections_["plugin"] = pluginConfigJson;
        if (instance_ && OC_HAS_FIELD(descriptor_, oc_plugin_descriptor, reconfigure) &&
            descriptor_->reconfigure) {
            std::string error;
            oc_sink sink = sinkFor(error);
            if (descriptor_->reconfigure(instance_, pluginConfigJson.c_str(), &sink) == OC_OK) return true;
            logs_.push_back({OC_LOG_WARN, "fake-host", "reconfigure failed: " + error});
        }
        destroy();
        create(pluginConfigJson);
        return false;
    }

    const oc_plugin_descriptor& descriptor() const { return *descriptor_; }
    /// The plugin's folder when its manifest was found next to the .so ("" otherwise: no gateway check).
    const std::string& folder() const { return folder_; }
    /// The host API the plugin was given (to drive a host function directly).
    const oc_host_api* api() const { return &api_; }

    /// Calls a method; returns its result JSON, throws std::runtime_error with its error JSON or text.
    std::string call(const std::string& method, const std::string& paramsJson = "{}") {
        const oc_method_def* def = findMethod(method);
        return answer([&](oc_sink* r, oc_sink* e) {
            return def->handler(instance_, def->name, paramsJson.c_str(), r, e);
        });
    }
    /// auth.verify
    std::string verify(const std::string& requestJson) {
        requireVtable(descriptor_->auth, "auth");
        return answer([&](oc_sink* r, oc_sink*) {
            return descriptor_->auth->verify(instance_, requestJson.c_str(), r);
        });
    }
    /// auth.flags (1.2): OC_AUTH_* bits, 0 for an older plugin.
    uint32_t authFlags() {
        requireVtable(descriptor_->auth, "auth");
        return descriptor_->auth->struct_size > offsetof(oc_auth_vtable, flags) ? descriptor_->auth->flags
                                                                                : 0;
    }
    /// auth.can_decide (1.2): whether the host would keep this overlay in the auth chain (true when the
    /// plugin offers no can_decide).
    bool authCanDecide() {
        requireVtable(descriptor_->auth, "auth");
        const oc_auth_vtable* a = descriptor_->auth;
        return a->struct_size <= offsetof(oc_auth_vtable, can_decide) || !a->can_decide ||
               a->can_decide(instance_) != 0;
    }
    /// exposure.start / stop / status
    std::string exposureStart(const std::string& requestJson) {
        requireVtable(descriptor_->exposure, "exposure");
        return answer([&](oc_sink* r, oc_sink* e) {
            return descriptor_->exposure->start(instance_, requestJson.c_str(), r, e);
        });
    }
    void exposureStop() {
        requireVtable(descriptor_->exposure, "exposure");
        answer([&](oc_sink*, oc_sink* e) { return descriptor_->exposure->stop(instance_, e); });
    }
    std::string exposureStatus() {
        requireVtable(descriptor_->exposure, "exposure");
        return answer([&](oc_sink* r, oc_sink*) { return descriptor_->exposure->status(instance_, r); });
    }
    /// discovery.advertise / withdraw / browse
    void advertise(const std::string& beaconJson) {
        requireVtable(descriptor_->discovery, "discovery");
        answer([&](oc_sink*, oc_sink* e) {
            return descriptor_->discovery->advertise(instance_, beaconJson.c_str(), e);
        });
    }
    void withdraw() {
        requireVtable(descriptor_->discovery, "discovery");
        answer([&](oc_sink*, oc_sink*) { return descriptor_->discovery->withdraw(instance_); });
    }
    std::string browse(const std::string& requestJson) {
        requireVtable(descriptor_->discovery, "discovery");
        return answer([&](oc_sink* r, oc_sink* e) {
            return descriptor_->discovery->browse(instance_, requestJson.c_str(), r, e);
        });
    }

    // --- ABI 1.2 ---
    /// Who calls (FakeHost::callAs); defaults: an operator with operator.read on loopback.
    struct Caller {
        uint64_t sessionId = 1;
        int role = OC_ROLE_OPERATOR;
        uint32_t scopes = OC_SCOPE_READ;
        std::string clientId = "cli", clientMode = "cli", clientPlatform = "linux", clientVersion = "test";
        std::string deviceId;
        std::string remoteAddress = "127.0.0.1";
        bool loopback = true;
    };
    /// Calls a method as `caller` (its 1.2 `handle` when it has one, else its 1.0 handler), scope checked
    /// first as the gateway does; the call's handle is issued up front (lastDeferred() after OC_PENDING).
    std::string callAs(const Caller& caller, const std::string& method,
                       const std::string& paramsJson = "{}") {
        const oc_method_def* def = findMethod(method);
        if (!scopeHeld(caller, def->scope ? def->scope : ""))
            throw std::runtime_error(
                std::string("{\"code\":\"INVALID_REQUEST\",\"message\":\"missing scope: ") + def->scope +
                "\"}");
        const uint64_t handle = issue();
        const oc_call_context ctx{sizeof(oc_call_context),
                                  handle,
                                  caller.sessionId,
                                  caller.role,
                                  caller.scopes,
                                  caller.clientId.c_str(),
                                  caller.clientMode.c_str(),
                                  caller.clientPlatform.c_str(),
                                  caller.clientVersion.c_str(),
                                  caller.deviceId.c_str(),
                                  caller.remoteAddress.c_str(),
                                  caller.loopback ? 1 : 0};
        const bool has12 =
            def->struct_size >= offsetof(oc_method_def, handle) + sizeof(def->handle) && def->handle;
        return answer(
            [&](oc_sink* r, oc_sink* e) {
                return has12 ? def->handle(instance_, &ctx, def->name, paramsJson.c_str(), r, e)
                             : def->handler(instance_, def->name, paramsJson.c_str(), r, e);
            },
            handle);
    }
    /// The hooks, as the gateway calls them; false when the plugin has no hook of that kind.
    bool hookSessionOpen(const std::string& json) {
        return hook(hooks() ? hooks()->session_open : nullptr, json);
    }
    bool hookSessionClose(const std::string& json) {
        return hook(hooks() ? hooks()->session_close : nullptr, json);
    }
    bool hookRequest(const std::string& json) { return hook(hooks() ? hooks()->request : nullptr, json); }
    bool hookConfigReload(const std::string& json) {
        return hook(hooks() ? hooks()->config_reload : nullptr, json);
    }
    bool hookAuthResult(const std::string& json) {
        const oc_hooks_vtable* h = hooks();
        return hook(h && h->struct_size >= offsetof(oc_hooks_vtable, auth_result) + sizeof(void*)
                        ? h->auth_result
                        : nullptr,
                    json);
    }
    /// An HTTP request to the plugin's routes ({"method","path",…} as oc_http_vtable says); throws when the
    /// path is under none of its prefixes, or a prefix is one the gateway keeps (/healthz, /readyz, /).
    std::string http(const std::string& requestJson, const std::string& path) {
        const oc_http_vtable* h = httpVtable();
        bool routed = false;
        for (size_t i = 0; i < h->route_count; ++i) {
            const std::string prefix = h->routes[i].prefix ? h->routes[i].prefix : "";
            if (prefix.empty() || prefix[0] != '/' || prefix == "/" || prefix == "/healthz" ||
                prefix == "/readyz")
                throw std::runtime_error("http route " + prefix + " cannot be served (the gateway keeps it)");
            if (path.compare(0, prefix.size(), prefix) == 0 &&
                (path.size() == prefix.size() || path[prefix.size()] == '/'))
                routed = true;
        }
        if (!routed) throw std::runtime_error("no http route of the plugin serves " + path);
        return answer(
            [&](oc_sink* r, oc_sink* e) { return h->handle(instance_, requestJson.c_str(), r, e); });
    }
    /// admission.admit (1.2): the verdict JSON for a request as oc_admission_vtable describes it.
    std::string admit(const std::string& requestJson) {
        if (!OC_HAS_FIELD(descriptor_, oc_plugin_descriptor, admission) || !descriptor_->admission)
            throw std::runtime_error("the plugin has no admission capability");
        return answer([&](oc_sink* r, oc_sink*) {
            return descriptor_->admission->admit(instance_, requestJson.c_str(), r);
        });
    }
    /// What the plugin sent to single sessions (send_event), broadcast with a filter, and closed.
    struct SessionEvent {
        uint64_t sessionId;
        std::string event, payloadJson;
        bool withSeq;
    };
    struct Broadcast {
        std::string event, payloadJson;
        int role;
        std::string scope;
    };
    const std::vector<SessionEvent>& sessionEvents() const { return sessionEvents_; }
    const std::vector<Broadcast>& broadcasts() const { return broadcasts_; }
    const std::vector<std::pair<uint64_t, int>>& closedSessions() const { return closed_; }
    /// What list_sessions answers (JSON array), and which session ids send_event/close_session accept.
    void setSessions(const std::string& json, std::vector<uint64_t> open) {
        sessionsJson_ = json;
        openSessions_ = std::move(open);
    }
    /// The deadline a plugin set for a call (ms and error JSON), if any.
    std::optional<std::pair<uint32_t, std::string>> deadline(uint64_t call) const {
        auto it = deadlines_.find(call);
        if (it == deadlines_.end()) return std::nullopt;
        return it->second;
    }

    // --- what the plugin asked for ---
    const std::vector<LogLine>& logs() const { return logs_; }
    const std::vector<Event>& events() const { return events_; }
    const std::vector<ProcessRequest>& processRequests() const { return processes_; }
    int stateChanges() const { return stateChanges_; }

    // --- answers that come later (defer / complete) ---
    /// The handle of the last call answered OC_PENDING (call() then returned "").
    uint64_t lastDeferred() const { return lastDeferred_; }
    /// How a deferred call was completed: status (OC_OK or not) and JSON; nothing while it is not.
    std::optional<std::pair<int, std::string>> completion(uint64_t call) const {
        std::lock_guard<std::mutex> lock(completionsMu_);
        auto it = completions_.find(call);
        if (it == completions_.end()) return std::nullopt;
        return it->second;
    }

    // --- timers ---
    /// Timers still scheduled.
    size_t pendingTimers() const { return timers_.size(); }
    /// Runs every scheduled timer once (one-shot timers are then gone), in the order they were added.
    void fireTimers() {
        std::vector<uint64_t> ids;
        for (const auto& t : timers_)
            ids.push_back(t.first);
        for (uint64_t id : ids) {
            auto it = timers_.find(id);
            if (it == timers_.end()) continue; // cancelled by an earlier callback
            Timer t = it->second;
            if (!t.repeat) timers_.erase(it);
            t.fn(t.user);
            if (!t.repeat) releaseTimer(id); // (1.2) a one-shot timer is done after its run
        }
    }

    // --- descriptors and work ---
    /// Descriptors being watched.
    std::vector<int> watchedFds() const {
        std::vector<int> out;
        for (const auto& w : watches_)
            out.push_back(w.second.fd);
        return out;
    }
    /// Calls the callback of every watch on `fd`, as if it became readable.
    void fireFd(int fd) {
        auto copy = watches_;
        for (const auto& w : copy)
            if (w.second.fd == fd) w.second.fn(w.second.user, fd);
    }
    /// Runs the work the plugin posted (and any work that work posts), on the calling thread.
    void runPostedWork() {
        while (!work_.empty()) {
            Work w = work_.front();
            work_.erase(work_.begin());
            w.fn(w.user);
            if (w.release) w.release(w.user); // (1.2) after its one run
        }
    }

    // --- child processes ---
    /// What run_process/start_process answer for a program (argv[0]); unscripted programs exit 0 silently.
    void scriptProcess(const std::string& program, ScriptedProcess result) {
        scripts_[program] = std::move(result);
    }
    /// What a command answers when its argv, joined with spaces, starts with `commandLine` ("tailscale
    /// status --json"); the longest such script wins over scriptProcess().
    void scriptCommand(const std::string& commandLine, ScriptedProcess result) {
        commandScripts_[commandLine] = std::move(result);
    }
    /// Ends a long-running child: its exit callback runs with `result`.
    void finishProcess(uint64_t processId, const ScriptedProcess& result) {
        auto it = running_.find(processId);
        if (it == running_.end()) throw std::runtime_error("no running process " + std::to_string(processId));
        Running r = it->second;
        running_.erase(it);
        oc_process_result res{sizeof(oc_process_result), result.exitCode, result.termSignal,
                              result.timedOut ? 1 : 0};
        if (r.onExit) r.onExit(r.user, processId, &res, result.err.data(), result.err.size());
    }
    /// Long-running children not finished or stopped yet.
    size_t runningProcesses() const { return running_.size(); }

  private:
    /// The gateway's executable for checkAsGateway: the environment's OPENCLAW_FAKE_HOST_GATEWAY, else the
    /// one the build defined; "" when neither.
    static std::string gatewayExecutable() {
        if (const char* env = std::getenv("OPENCLAW_FAKE_HOST_GATEWAY"); env && *env) return env;
#ifdef OPENCLAW_FAKE_HOST_GATEWAY
        return OPENCLAW_FAKE_HOST_GATEWAY;
#else
        return "";
#endif
    }
    /// Runs `openclaw plugins check <folder> --config <json>`; throws its message when the gateway refuses.
    void checkAsGateway(const std::string& pluginConfigJson) const {
        const std::string exe = gatewayExecutable();
        if (exe.empty())
            throw std::runtime_error("FakeHost: no gateway to check " + folder_ +
                                     " with (link openclaw::testing from the SDK's CMake package, or set "
                                     "OPENCLAW_FAKE_HOST_GATEWAY to the openclaw executable)");
        int err[2];
        if (::pipe(err) != 0) throw std::runtime_error("FakeHost: pipe failed");
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_adddup2(&fa, err[1], 2);
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addclose(&fa, err[0]);
        const std::string cmd = "plugins", sub = "check", opt = "--config";
        char* argv[] = {const_cast<char*>(exe.c_str()),
                        const_cast<char*>(cmd.c_str()),
                        const_cast<char*>(sub.c_str()),
                        const_cast<char*>(folder_.c_str()),
                        const_cast<char*>(opt.c_str()),
                        const_cast<char*>(pluginConfigJson.c_str()),
                        nullptr};
        pid_t pid = 0;
        const int rc = ::posix_spawn(&pid, exe.c_str(), &fa, nullptr, argv, environ);
        posix_spawn_file_actions_destroy(&fa);
        ::close(err[1]);
        std::string message;
        char buf[512];
        for (ssize_t n; (n = ::read(err[0], buf, sizeof buf)) > 0;)
            message.append(buf, static_cast<size_t>(n));
        ::close(err[0]);
        int status = 0;
        if (rc != 0) throw std::runtime_error("FakeHost: cannot run " + exe + ": " + std::strerror(rc));
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        while (!message.empty() && message.back() == '\n')
            message.pop_back();
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            throw std::runtime_error(message.empty() ? exe + " plugins check failed" : message);
    }

    struct Timer {
        oc_timer_fn fn;
        void* user;
        bool repeat;
    };
    struct Watch {
        int fd;
        oc_fd_fn fn;
        void* user;
    };
    struct Running {
        oc_exit_fn onExit;
        void* user;
    };

    static FakeHost* self(void* ctx) {
        return static_cast<FakeHost*>(ctx);
    }
    const oc_method_def* findMethod(const std::string& method) const {
        const oc_methods_vtable* m = descriptor_->methods;
        if (!m) throw std::runtime_error("the plugin has no methods");
        const char* base = reinterpret_cast<const char*>(m->methods);
        const size_t stride = m->method_count ? m->methods[0].struct_size : 0;
        for (size_t i = 0; i < m->method_count; ++i) {
            const auto* def = reinterpret_cast<const oc_method_def*>(base + i * stride);
            if (method == def->name) return def;
        }
        throw std::runtime_error("the plugin has no method " + method);
    }
    /// As the gateway: admin holds every scope, write implies read.
    static bool scopeHeld(const Caller& c, const std::string& scope) {
        static const std::pair<const char*, uint32_t> kBits[] = {
            {"operator.admin", OC_SCOPE_ADMIN},
            {"operator.read", OC_SCOPE_READ},
            {"operator.write", OC_SCOPE_WRITE},
            {"operator.approvals", OC_SCOPE_APPROVALS},
            {"operator.questions", OC_SCOPE_QUESTIONS},
            {"operator.pairing", OC_SCOPE_PAIRING},
            {"operator.talk.secrets", OC_SCOPE_TALK_SECRETS}};
        if (scope.empty() || (c.scopes & OC_SCOPE_ADMIN)) return true;
        for (const auto& [name, bit] : kBits)
            if (scope == name)
                return (c.scopes & bit) || (bit == OC_SCOPE_READ && (c.scopes & OC_SCOPE_WRITE));
        return false;
    }
    const oc_hooks_vtable* hooks() const {
        return descriptor_->hooks;
    }
    const oc_http_vtable* httpVtable() const {
        if (!OC_HAS_FIELD(descriptor_, oc_plugin_descriptor, http) || !descriptor_->http)
            throw std::runtime_error("the plugin has no http capability");
        return descriptor_->http;
    }
    bool hook(void (*fn)(void*, const char*), const std::string& json) {
        if (!fn) return false;
        fn(instance_, json.c_str());
        return true;
    }
    void releaseTimer(uint64_t id) {
        auto it = releases_.find(id);
        if (it == releases_.end()) return;
        auto r = it->second;
        releases_.erase(it);
        r.first(r.second);
    }
    uint64_t issue() {
        std::lock_guard<std::mutex> lock(completionsMu_);
        const uint64_t id = ++nextId_;
        issued_.insert(id);
        return id;
    }
    static oc_sink sinkFor(std::string& s) {
        return oc_sink{&s,
                       [](void* c, const char* d, size_t n) { static_cast<std::string*>(c)->append(d, n); }};
    }
    static void write(oc_sink* sink, const std::string& text) {
        if (sink && sink->write) sink->write(sink->ctx, text.data(), text.size());
    }
    template <class T> void requireVtable(const T* vtable, const char* name) const {
        if (!vtable) throw std::runtime_error(std::string("the plugin has no ") + name + " capability");
    }
    template <class F> std::string answer(F&& fn, uint64_t handle = 0) {
        std::string result, error;
        oc_sink r = sinkFor(result), e = sinkFor(error);
        inCall_ = true;
        lastDeferred_ = handle;
        const int status = fn(&r, &e);
        inCall_ = false;
        if (status == OC_PENDING) {
            if (lastDeferred_ == 0) throw std::runtime_error("answered OC_PENDING without calling defer()");
            return "";
        }
        if (status != OC_OK) throw std::runtime_error(error.empty() ? result : error);
        return result;
    }

    void negotiate(oc_plugin_entry_fn entry) {
        oc_abi_offer offer;
        oc_abi_answer answer;
        oc_make_offer(&offer, &answer, "fake-host");
        if (entry(&offer, &answer) != OC_OK || !answer.descriptor)
            throw std::runtime_error("the plugin needs ABI " + std::to_string(answer.abi_version) + "." +
                                     std::to_string(answer.abi_minor) + "; this fake host speaks " +
                                     std::to_string(OC_ABI_VERSION_MAJOR) + "." +
                                     std::to_string(OC_ABI_VERSION_MINOR));
        descriptor_ = answer.descriptor;
        api_ = makeApi();
    }

    ScriptedProcess scripted(const oc_process_spec* spec) const {
        std::string line;
        for (const char* const* a = spec->argv; a && *a; ++a)
            line += (line.empty() ? "" : " ") + std::string(*a);
        const ScriptedProcess* best = nullptr;
        size_t bestLength = 0;
        for (const auto& [prefix, result] : commandScripts_)
            if (line.compare(0, prefix.size(), prefix) == 0 &&
                (line.size() == prefix.size() || line[prefix.size()] == ' ') && prefix.size() >= bestLength) {
                best = &result;
                bestLength = prefix.size();
            }
        if (best) return *best;
        auto it = scripts_.find(spec->argv && spec->argv[0] ? spec->argv[0] : "");
        return it == scripts_.end() ? ScriptedProcess{} : it->second;
    }
    ProcessRequest request(const oc_process_spec* spec, bool longRunning) const {
        ProcessRequest r;
        for (const char* const* a = spec->argv; a && *a; ++a)
            r.argv.emplace_back(*a);
        for (const char* const* e = spec->env; e && *e; ++e)
            r.env.emplace_back(*e);
        r.timeoutMs = spec->timeout_ms;
        r.longRunning = longRunning;
        return r;
    }

    oc_host_api makeApi() {
        oc_host_api a{};
        a.struct_size = sizeof a;
        a.abi_version = OC_ABI_VERSION_MAJOR;
        a.host_ctx = this;
        a.log = [](void* c, int level, const char* sub, const char* msg) {
            self(c)->logs_.push_back({level, sub ? sub : "", msg ? msg : ""});
        };
        a.get_config = [](void* c, const char* section, oc_sink* out) -> int {
            auto it = self(c)->sections_.find(section ? section : "");
            if (it == self(c)->sections_.end()) return OC_ERR_NOT_FOUND;
            write(out, it->second);
            return OC_OK;
        };
        a.emit_event = [](void* c, const char* event, const char* payload) -> int {
            self(c)->events_.push_back({event ? event : "", payload ? payload : "null"});
            return OC_OK;
        };
        a.add_timer = [](void* c, uint32_t, int repeat, oc_timer_fn fn, void* user) -> uint64_t {
            const uint64_t id = ++self(c)->nextId_;
            self(c)->timers_[id] = {fn, user, repeat != 0};
            return id;
        };
        a.cancel_timer = [](void* c, uint64_t id) {
            self(c)->timers_.erase(id);
            self(c)->releaseTimer(id);
        };
        a.abi_minor = OC_ABI_VERSION_MINOR;
        a.run_process = [](void* c, const oc_process_spec* spec, oc_process_result* result, oc_sink* out,
                           oc_sink* err) -> int {
            self(c)->processes_.push_back(self(c)->request(spec, false));
            const ScriptedProcess s = self(c)->scripted(spec);
            if (s.notFound) {
                write(err, std::string(spec->argv[0]) + ": not found on PATH");
                return OC_ERR;
            }
            if (result) {
                result->exit_code = s.exitCode;
                result->term_signal = s.termSignal;
                result->timed_out = s.timedOut ? 1 : 0;
            }
            write(out, s.out);
            write(err, s.err);
            return OC_OK;
        };
        a.start_process = [](void* c, const oc_process_spec* spec, oc_exit_fn onExit, void* user,
                             uint64_t* id, int* pid, oc_sink* error) -> int {
            FakeHost* h = self(c);
            if (h->scripted(spec).notFound) {
                write(error, std::string(spec->argv[0]) + ": not found on PATH");
                return OC_ERR;
            }
            ProcessRequest r = h->request(spec, true);
            r.id = ++h->nextId_;
            h->processes_.push_back(r);
            h->running_[r.id] = {onExit, user};
            if (id) *id = r.id;
            if (pid) *pid = static_cast<int>(100000 + r.id); // not a real process
            return OC_OK;
        };
        a.stop_process = [](void* c, uint64_t id) {
            FakeHost* h = self(c);
            if (h->running_.count(id)) h->finishProcess(id, ScriptedProcess{-1, 15, false, "", "", false});
        };
        a.watch_fd = [](void* c, int fd, oc_fd_fn fn, void* user) -> uint64_t {
            const uint64_t id = ++self(c)->nextId_;
            self(c)->watches_[id] = {fd, fn, user};
            return id;
        };
        a.unwatch_fd = [](void* c, uint64_t id) { self(c)->watches_.erase(id); };
        a.post_work = [](void* c, oc_work_fn fn, void* user) -> int {
            self(c)->work_.push_back({fn, user, nullptr});
            return OC_OK;
        };
        a.state_changed = [](void* c) { ++self(c)->stateChanges_; };
        add12(a);
        a.defer = [](void* c) -> uint64_t {
            if (!self(c)->inCall_) return 0;
            if (self(c)->lastDeferred_ == 0) self(c)->lastDeferred_ = self(c)->issue();
            return self(c)->lastDeferred_;
        };
        a.complete = [](void* c, uint64_t call, int status, const char* json) -> int {
            std::lock_guard<std::mutex> lock(self(c)->completionsMu_);
            // As the gateway: only a handle this host issued to the plugin, and only once.
            if (!self(c)->issued_.count(call) || self(c)->completions_.count(call)) return OC_ERR_NOT_FOUND;
            self(c)->completions_[call] = {status, json ? json : ""};
            return OC_OK;
        };
        return a;
    }

    void add12(oc_host_api& a) {
        a.send_event = [](void* c, uint64_t session, const char* event, const char* payload,
                          int withSeq) -> int {
            FakeHost* h = self(c);
            if (std::find(h->openSessions_.begin(), h->openSessions_.end(), session) ==
                h->openSessions_.end())
                return OC_ERR_NOT_FOUND;
            h->sessionEvents_.push_back(
                {session, event ? event : "", payload ? payload : "null", withSeq != 0});
            return OC_OK;
        };
        a.close_session = [](void* c, uint64_t session, int code, const char*) -> int {
            FakeHost* h = self(c);
            if (code < 1000 || code > 4999) return OC_ERR_INVALID;
            auto it = std::find(h->openSessions_.begin(), h->openSessions_.end(), session);
            if (it == h->openSessions_.end()) return OC_ERR_NOT_FOUND;
            h->openSessions_.erase(it);
            h->closed_.emplace_back(session, code);
            return OC_OK;
        };
        a.set_deadline = [](void* c, uint64_t call, uint32_t ms, const char* json) -> int {
            FakeHost* h = self(c);
            std::lock_guard<std::mutex> lock(h->completionsMu_);
            if (!h->issued_.count(call) || ms == 0) return OC_ERR_NOT_FOUND;
            h->deadlines_[call] = {ms, json ? json : ""};
            return OC_OK;
        };
        a.list_sessions = [](void* c, int, oc_sink* out) -> int {
            write(out, self(c)->sessionsJson_);
            return OC_OK;
        };
        a.hook_drops = [](void*, oc_sink* out) -> int {
            write(out, "{}");
            return OC_OK;
        };
        a.broadcast_event = [](void* c, const char* event, const char* payload, int role,
                               const char* scope) -> int {
            self(c)->broadcasts_.push_back(
                {event ? event : "", payload ? payload : "null", role, scope ? scope : ""});
            return OC_OK;
        };
        // The fake host's timers and work run only when the test says so; release runs when they are gone.
        a.add_timer_ex = [](void* c, uint32_t ms, int repeat, oc_timer_fn fn, oc_release_fn release,
                            void* user) -> uint64_t {
            const uint64_t id = self(c)->api_.add_timer(c, ms, repeat, fn, user);
            if (release) self(c)->releases_[id] = {release, user};
            return id;
        };
        a.post_work_ex = [](void* c, oc_work_fn fn, oc_release_fn release, void* user) -> int {
            self(c)->work_.push_back({fn, user, release});
            return OC_OK;
        };
    }

    void* library_ = nullptr;
    std::string folder_; ///< the plugin's folder, when its manifest is there (create() asks the gateway)
    const oc_plugin_descriptor* descriptor_ = nullptr;
    oc_host_api api_{};
    void* instance_ = nullptr;
    std::map<std::string, std::string> sections_{{"gateway", "{}"}, {"runtime", "{}"}, {"plugin", "{}"}};
    std::vector<LogLine> logs_;
    std::vector<Event> events_;
    std::vector<ProcessRequest> processes_;
    std::map<std::string, ScriptedProcess> scripts_;
    std::map<std::string, ScriptedProcess> commandScripts_;
    std::map<uint64_t, Timer> timers_;
    std::map<uint64_t, Watch> watches_;
    std::map<uint64_t, Running> running_;
    struct Work {
        oc_work_fn fn;
        void* user;
        oc_release_fn release;
    };
    std::vector<Work> work_;
    uint64_t nextId_ = 0;
    int stateChanges_ = 0;
    bool inCall_ = false;
    uint64_t lastDeferred_ = 0;
    mutable std::mutex completionsMu_; ///< complete() may come from the plugin's own thread
    std::map<uint64_t, std::pair<int, std::string>> completions_;
    std::set<uint64_t> issued_; ///< handles given to the plugin (call contexts, defer)
    std::map<uint64_t, std::pair<uint32_t, std::string>> deadlines_;
    std::vector<SessionEvent> sessionEvents_;
    std::vector<Broadcast> broadcasts_;
    std::vector<std::pair<uint64_t, int>> closed_;
    std::string sessionsJson_ = "[]";
    std::vector<uint64_t> openSessions_;
    std::map<uint64_t, std::pair<oc_release_fn, void*>> releases_; ///< timers with a release function
};

} // namespace openclaw::testing

#endif // OPENCLAW_TESTING_FAKE_HOST_HPP
