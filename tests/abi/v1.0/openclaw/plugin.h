/*
 * openclaw/plugin.h — the C ABI between the OpenClaw gateway (the host) and its plugins.
 *
 * Rules of the boundary:
 *  - C linkage and plain C types only. Structured data (config sections, RPC params and results,
 *    auth requests) crosses as UTF-8 JSON text.
 *  - Nothing allocated on one side is freed on the other: results are written into an oc_sink that
 *    the caller owns; strings handed to the plugin are valid only for the duration of the call.
 *  - No exception may cross the boundary (the C++ layer in plugin.hpp catches them all).
 *  - Every struct starts with `struct_size`. A caller sets it to sizeof() of the struct it was built
 *    against; a reader only touches fields that lie inside that size. So structs may grow at their end
 *    within one ABI major version without breaking older plugins or hosts (the OBS pattern).
 *
 * Negotiation (the Mosquitto pattern): the host calls the single exported entry point
 * OPENCLAW_PLUGIN_ENTRY_SYMBOL with the list of ABI versions it speaks; the plugin answers the one it
 * implements and, if that version is on the list, its descriptor.
 */
#ifndef OPENCLAW_PLUGIN_H
#define OPENCLAW_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The ABI version this header describes. Bumped only for incompatible changes. */
#define OC_ABI_VERSION 1u

/** Name of the one symbol every plugin exports (see oc_plugin_entry_fn). */
#define OPENCLAW_PLUGIN_ENTRY_SYMBOL "openclaw_plugin_entry"

#if defined(_WIN32)
#define OC_EXPORT __declspec(dllexport)
#else
#define OC_EXPORT __attribute__((visibility("default")))
#endif

/** Status codes returned by ABI functions. */
typedef enum oc_status {
    OC_OK = 0,            /**< success */
    OC_ERR = 1,           /**< failure; a message was written to the error sink when one was given */
    OC_ERR_ABI = 2,       /**< entry: none of the offered ABI versions is implemented */
    OC_ERR_NOT_FOUND = 3, /**< lookup of an unknown name (method, config key, handle) */
    OC_ERR_INVALID = 4    /**< bad argument or malformed JSON */
} oc_status;

/** Log levels for oc_host_api.log. */
typedef enum oc_log_level {
    OC_LOG_DEBUG = 10,
    OC_LOG_INFO = 20,
    OC_LOG_WARN = 30,
    OC_LOG_ERROR = 40
} oc_log_level;

/** Capability bits, as announced in oc_plugin_descriptor.capabilities. */
#define OC_CAP_AUTH 0x01u      /**< serves one named auth mode (oc_auth_vtable) */
#define OC_CAP_EXPOSURE 0x02u  /**< publishes the gateway beyond loopback (oc_exposure_vtable) */
#define OC_CAP_DISCOVERY 0x04u /**< advertises and browses beacons (oc_discovery_vtable) */
#define OC_CAP_TUNNEL 0x08u    /**< opens tunnels to remote gateways (oc_tunnel_vtable) */
#define OC_CAP_METHODS 0x10u   /**< adds RPC methods and events (oc_methods_vtable) */
#define OC_CAP_HOOKS 0x20u     /**< observes sessions, requests, reloads (oc_hooks_vtable) */

/**
 * A write-only byte sink owned by the caller. The callee may call write() any number of times;
 * the bytes are appended. Used for every result and every error message that crosses the ABI.
 */
typedef struct oc_sink {
    void* ctx;                                                 /**< caller's context */
    void (*write)(void* ctx, const char* data, size_t length); /**< append bytes */
} oc_sink;

/** Timer callback; runs on a host thread, never concurrently with itself. */
typedef void (*oc_timer_fn)(void* user);

/**
 * Services the host offers to a plugin. Valid from create() until destroy() returns.
 * Every function is thread-safe.
 */
typedef struct oc_host_api {
    uint32_t struct_size; /**< sizeof(oc_host_api) as the host was built */
    uint32_t abi_version; /**< the ABI version negotiated for this plugin */
    void* host_ctx;       /**< pass back as the first argument of every call below */

    /** Logs one line under a subsystem (e.g. "tailscale"); message is UTF-8, no newline needed. */
    void (*log)(void* host_ctx, int level, const char* subsystem, const char* message);

    /**
     * Writes a JSON document to out. `section` is one of:
     *  "plugin"  — this plugin's validated `plugins.entries.<id>.config` (`{}` when absent);
     *  "gateway" — the effective `gateway` section (CLI flags applied; secrets included, handle with care);
     *  "runtime" — facts about the running gateway: {"port","bindHost","stateDir","version","tls":{…}}.
     * Returns OC_ERR_NOT_FOUND for another name.
     */
    int (*get_config)(void* host_ctx, const char* section, oc_sink* out);

    /** Broadcasts a gateway event to authenticated sessions; payload_json must be valid JSON. */
    int (*emit_event)(void* host_ctx, const char* event, const char* payload_json);

    /**
     * Starts a timer: fn(user) after interval_ms, then every interval_ms if repeat is non-zero.
     * Returns a non-zero id, or 0 on failure.
     */
    uint64_t (*add_timer)(void* host_ctx, uint32_t interval_ms, int repeat, oc_timer_fn fn, void* user);

    /** Cancels a timer; when it returns, fn is not running and will not run again. */
    void (*cancel_timer)(void* host_ctx, uint64_t timer_id);
} oc_host_api;

/**
 * auth capability: verifies the `auth` object of a `connect` request for one auth mode.
 * request_json: {"mode":"token","auth":{…as
 * sent…},"client":{…},"remoteAddress":"127.0.0.1","isLoopback":true} result_json written to `result`: accept:
 * {"ok":true}                                       (role and scopes come from the request) refuse:
 * {"ok":false,"code":"INVALID_REQUEST","message":"…","details":{"code":"AUTH_TOKEN_MISMATCH",…}}
 */
typedef struct oc_auth_vtable {
    uint32_t struct_size;
    const char* mode; /**< the gateway.auth.mode value this serves, e.g. "token" */
    int (*verify)(void* instance, const char* request_json, oc_sink* result);
} oc_auth_vtable;

/**
 * exposure capability: publishes the gateway beyond loopback (e.g. Tailscale serve/funnel).
 * request_json for start: {"port":18789,"mode":"serve","resetOnExit":false}
 */
typedef struct oc_exposure_vtable {
    uint32_t struct_size;
    int (*start)(void* instance, const char* request_json, oc_sink* result, oc_sink* error);
    int (*stop)(void* instance, oc_sink* error);
    /** Writes {"address":"100.x.y.z"} (bind=tailnet) or returns OC_ERR_NOT_FOUND. */
    int (*resolve_bind)(void* instance, oc_sink* result);
    /** Writes {"mode","publicUrl","dnsName",…}. */
    int (*status)(void* instance, oc_sink* result);
} oc_exposure_vtable;

/** discovery capability: DNS-SD beacons. Beacons are JSON objects as in `gateway discover --json`. */
typedef struct oc_discovery_vtable {
    uint32_t struct_size;
    int (*advertise)(void* instance, const char* beacon_json, oc_sink* error);
    int (*withdraw)(void* instance);
    /** request_json: {"domains":["local."],"timeoutMs":2000}; result: {"beacons":[…]} */
    int (*browse)(void* instance, const char* request_json, oc_sink* result, oc_sink* error);
} oc_discovery_vtable;

/** tunnel capability: e.g. SSH local forwards. */
typedef struct oc_tunnel_vtable {
    uint32_t struct_size;
    /** request_json: {"target":"user@host:22","identity":null,"remotePort":18789,"timeoutMs":1500}
     *  result: {"handle":"…","localPort":N,"pid":N} */
    int (*open)(void* instance, const char* request_json, oc_sink* result, oc_sink* error);
    int (*close)(void* instance, const char* handle);
} oc_tunnel_vtable;

/**
 * One RPC method. handler writes the JSON payload to result on OC_OK, or an error object
 * {"code":"…","message":"…","details":{…}} to error on failure.
 */
typedef struct oc_method_def {
    uint32_t struct_size;
    const char* name;  /**< e.g. "tailscale.status" */
    const char* scope; /**< required operator scope, e.g. "operator.read"; NULL or "" = none */
    int (*handler)(void* instance, const char* method, const char* params_json, oc_sink* result,
                   oc_sink* error);
} oc_method_def;

/** methods capability: RPC methods and the events the plugin may emit. */
typedef struct oc_methods_vtable {
    uint32_t struct_size;
    const oc_method_def* methods;
    size_t method_count;
    const char* const* events; /**< event names announced in hello-ok.features.events */
    size_t event_count;
} oc_methods_vtable;

/** hooks capability: observation only; return values are ignored. All pointers may be NULL. */
typedef struct oc_hooks_vtable {
    uint32_t struct_size;
    void (*session_open)(void* instance, const char* session_json);
    void (*session_close)(void* instance, const char* session_json);
    void (*request)(void* instance, const char* request_json);
    void (*config_reload)(void* instance, const char* gateway_json);
} oc_hooks_vtable;

/** What a plugin is and what it offers. Static storage in the plugin; read-only for the host. */
typedef struct oc_plugin_descriptor {
    uint32_t struct_size;
    const char* id;        /**< must equal the manifest's id */
    const char* name;      /**< human name */
    const char* version;   /**< semantic version of the plugin */
    uint32_t capabilities; /**< OC_CAP_* bits; a set bit promises the matching vtable below */

    /**
     * Creates an instance. config_json is the plugin's validated config section. On failure returns
     * non-zero and writes a message to error; the host then never calls the plugin again.
     */
    int (*create)(const oc_host_api* host, const char* config_json, void** instance, oc_sink* error);
    /** Destroys an instance made by create(); stops every timer and thread it started. */
    void (*destroy)(void* instance);

    const oc_auth_vtable* auth;
    const oc_exposure_vtable* exposure;
    const oc_discovery_vtable* discovery;
    const oc_tunnel_vtable* tunnel;
    const oc_methods_vtable* methods;
    const oc_hooks_vtable* hooks;
} oc_plugin_descriptor;

/** What the host offers to the entry point. */
typedef struct oc_abi_offer {
    uint32_t struct_size;
    const uint32_t* versions; /**< ABI versions the host speaks */
    size_t version_count;
    const char* host_version; /**< the gateway's version string */
} oc_abi_offer;

/** What the plugin answers. */
typedef struct oc_abi_answer {
    uint32_t struct_size;
    uint32_t abi_version;                   /**< the ABI version the plugin implements, always set */
    const oc_plugin_descriptor* descriptor; /**< set when abi_version is one of the offered versions */
} oc_abi_answer;

/**
 * The one exported entry point. Returns OC_OK with answer->descriptor set, or OC_ERR_ABI with
 * answer->abi_version set to the version the plugin implements so the host can name both.
 * Must not allocate resources: create() does that.
 */
typedef int (*oc_plugin_entry_fn)(const oc_abi_offer* offer, oc_abi_answer* answer);

#ifdef __cplusplus
}
#endif

#endif /* OPENCLAW_PLUGIN_H */
