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
#ifndef OPENCLAW_PLUGIN_HPP
#define OPENCLAW_PLUGIN_HPP

#include "openclaw/plugin.h"

#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace openclaw {

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

    /// The raw C table, for what this wrapper does not cover.
    const oc_host_api* raw() const { return api_; }

  private:
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

    // --- hooks ---
    virtual void onSessionOpen(const std::string& json) { (void)json; }
    virtual void onSessionClose(const std::string& json) { (void)json; }
    virtual void onRequest(const std::string& json) { (void)json; }
    virtual void onConfigReload(const std::string& json) { (void)json; }

    /// Methods this plugin adds (override as a static function in the derived class).
    static std::vector<MethodSpec> methodSpecs() { return {}; }
    /// Events this plugin may emit (override as a static function in the derived class).
    static std::vector<std::string> eventNames() { return {}; }

  protected:
    const Host& host() const { return host_; }

  private:
    Host host_;
};

namespace detail {

/// Runs fn, turning any exception into OC_ERR plus a message in `error`.
template <class F> int guarded(oc_sink* error, F&& fn) noexcept {
    try {
        fn();
        return OC_OK;
    } catch (const RpcError& e) {
        writeSink(error, e.json());
    } catch (const std::exception& e) {
        writeSink(error, e.what());
    } catch (...) {
        writeSink(error, "unknown exception");
    }
    return OC_ERR;
}

/// Static tables for one plugin class; built once, on first use of the entry point.
template <class T> struct Tables {
    std::vector<std::string> methodNames, methodScopes, events;
    std::vector<oc_method_def> methodDefs;
    std::vector<const char*> eventPtrs;
    oc_auth_vtable auth{};
    oc_exposure_vtable exposure{};
    oc_discovery_vtable discovery{};
    oc_tunnel_vtable tunnel{};
    oc_methods_vtable methods{};
    oc_hooks_vtable hooks{};
    oc_plugin_descriptor descriptor{};
    std::string authMode;

    static T* self(void* instance) { return static_cast<T*>(instance); }

    Tables(const char* id, const char* name, const char* version, uint32_t caps, const char* mode) {
        authMode = mode ? mode : "";
        auth = {sizeof(oc_auth_vtable), authMode.c_str(),
                [](void* inst, const char* req, oc_sink* result) -> int {
                    return guarded(result,
                                   [&] { writeSink(result, self(inst)->verifyAuth(req ? req : "{}")); });
                }};
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
        discovery = {sizeof(oc_discovery_vtable),
                     [](void* inst, const char* beacon, oc_sink* error) -> int {
                         return guarded(error, [&] { self(inst)->advertise(beacon ? beacon : "{}"); });
                     },
                     [](void* inst) -> int { return guarded(nullptr, [&] { self(inst)->withdraw(); }); },
                     [](void* inst, const char* req, oc_sink* result, oc_sink* error) -> int {
                         return guarded(error,
                                        [&] { writeSink(result, self(inst)->browse(req ? req : "{}")); });
                     }};
        tunnel = {sizeof(oc_tunnel_vtable),
                  [](void* inst, const char* req, oc_sink* result, oc_sink* error) -> int {
                      return guarded(error,
                                     [&] { writeSink(result, self(inst)->tunnelOpen(req ? req : "{}")); });
                  },
                  [](void* inst, const char* handle) -> int {
                      return guarded(nullptr, [&] { self(inst)->tunnelClose(handle ? handle : ""); });
                  }};
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
                 }});
        }
        events = T::eventNames();
        for (const std::string& e : events)
            eventPtrs.push_back(e.c_str());
        methods = {sizeof(oc_methods_vtable), methodDefs.data(), methodDefs.size(), eventPtrs.data(),
                   eventPtrs.size()};
        hooks = {
            sizeof(oc_hooks_vtable),
            [](void* inst, const char* j) {
                guarded(nullptr, [&] { self(inst)->onSessionOpen(j ? j : ""); });
            },
            [](void* inst, const char* j) {
                guarded(nullptr, [&] { self(inst)->onSessionClose(j ? j : ""); });
            },
            [](void* inst, const char* j) { guarded(nullptr, [&] { self(inst)->onRequest(j ? j : ""); }); },
            [](void* inst, const char* j) {
                guarded(nullptr, [&] { self(inst)->onConfigReload(j ? j : ""); });
            }};

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
    }
};

/// The negotiation every generated entry point performs.
inline int negotiate(const oc_abi_offer* offer, oc_abi_answer* answer,
                     const oc_plugin_descriptor* d) noexcept {
    if (answer == nullptr) return OC_ERR_INVALID;
    answer->abi_version = OC_ABI_VERSION;
    answer->descriptor = nullptr;
    if (offer == nullptr || offer->versions == nullptr) return OC_ERR_INVALID;
    for (size_t i = 0; i < offer->version_count; ++i) {
        if (offer->versions[i] == OC_ABI_VERSION) {
            answer->descriptor = d;
            return OC_OK;
        }
    }
    return OC_ERR_ABI;
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
