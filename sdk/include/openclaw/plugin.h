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
 *    against; a reader only touches fields that lie inside that size (OC_HAS_FIELD). So structs grow at
 *    their end within one major version without breaking older plugins or hosts (the OBS pattern): the
 *    host copies each plugin struct into a zeroed one of its own size, so fields a plugin does not have
 *    read as zero/NULL. Arrays of structs are strided by their first element's struct_size.
 *
 * Versions are major.minor. A minor adds fields at the end of structs and new functions (always checked
 * with OC_HAS_FIELD before use); a major is anything else. A plugin loads when its major is the host's
 * and the minor it needs is at most the host's.
 *
 * Negotiation (the Mosquitto pattern): the host calls the single exported entry point
 * OPENCLAW_PLUGIN_ENTRY_SYMBOL with the majors it speaks and (1.1) its minor; the plugin answers the major
 * it implements, (1.1) the minor it needs, and, if it can run on this host, its descriptor.
 */
#ifndef OPENCLAW_PLUGIN_H
#define OPENCLAW_PLUGIN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The ABI version this header describes: major (incompatible changes) and minor (additions). */
#define OC_ABI_VERSION_MAJOR 1u
#define OC_ABI_VERSION_MINOR 3u
/** The major version: the one number the 1.0 negotiation knows. */
#define OC_ABI_VERSION OC_ABI_VERSION_MAJOR

/**
 * True when the struct at `ptr` (whose first field is struct_size) is large enough to hold `field`:
 * check it before reading a field or calling a function added after 1.0.
 */
#define OC_HAS_FIELD(ptr, type, field)                                                                       \
    ((ptr) != NULL && (ptr)->struct_size >= offsetof(type, field) + sizeof(((const type*)0)->field))

/** Name of the one symbol every plugin exports (see oc_plugin_entry_fn). */
#define OPENCLAW_PLUGIN_ENTRY_SYMBOL "openclaw_plugin_entry"

#if defined(_WIN32)
#define OC_EXPORT __declspec(dllexport)
#else
#define OC_EXPORT __attribute__((visibility("default")))
#endif

/**
 * Errors (1.2: one convention). Every function that can fail returns an oc_status. Every error a plugin
 * writes to an error sink is one JSON object {"code":"…","message":"…","details":{…}?}: `code` a protocol
 * code (INVALID_REQUEST, FORBIDDEN, UNAVAILABLE, …) or one of the plugin's own in upper case, `message` a
 * sentence for a person. A refusal verdict (auth verify, admission admit) carries the same three fields
 * beside "ok":false. A failure of the plugin itself (plugin.hpp writes one for an exception) says so with
 * details.code "PLUGIN_INTERNAL_ERROR": the gateway then logs it with the plugin's id and answers the client
 * UNAVAILABLE with that details code. Plain text from a 1.0/1.1 plugin is read as such a failure.
 */

/** Status codes returned by ABI functions. */
typedef enum oc_status {
    OC_OK = 0,            /**< success */
    OC_ERR = 1,           /**< failure; a message was written to the error sink when one was given */
    OC_ERR_ABI = 2,       /**< entry: none of the offered ABI versions is implemented */
    OC_ERR_NOT_FOUND = 3, /**< lookup of an unknown name (method, config key, handle) */
    OC_ERR_INVALID = 4,   /**< bad argument or malformed JSON */
    OC_PENDING = 5        /**< (1.1) verify or a method handler answers later, through complete() */
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
#define OC_CAP_HTTP 0x40u      /**< (1.2) serves HTTP paths under prefixes of its own (oc_http_vtable) */
#define OC_CAP_ADMISSION 0x80u /**< (1.2) decides a connect after its credentials (oc_admission_vtable) */

/** (1.2) The role a session connected with. */
typedef enum oc_role { OC_ROLE_OPERATOR = 1, OC_ROLE_NODE = 2 } oc_role;

/** (1.2) The operator scopes, as bits of oc_call_context.scopes. */
#define OC_SCOPE_ADMIN 0x01u        /**< operator.admin (satisfies every scope) */
#define OC_SCOPE_READ 0x02u         /**< operator.read */
#define OC_SCOPE_WRITE 0x04u        /**< operator.write (implies read) */
#define OC_SCOPE_APPROVALS 0x08u    /**< operator.approvals */
#define OC_SCOPE_QUESTIONS 0x10u    /**< operator.questions */
#define OC_SCOPE_PAIRING 0x20u      /**< operator.pairing */
#define OC_SCOPE_TALK_SECRETS 0x40u /**< operator.talk.secrets */

/**
 * (1.2) Who is calling a method: handed to oc_method_def.handle. Valid for the duration of the call only
 * (copy what you keep). Strings are never NULL ("" when the client did not say).
 */
typedef struct oc_call_context {
    uint32_t struct_size;
    uint64_t call;       /**< this call's handle: return OC_PENDING and answer later with complete() */
    uint64_t session_id; /**< the calling session; stable for its life, never reused within a process */
    int role;            /**< oc_role */
    uint32_t scopes;     /**< OC_SCOPE_* bits granted to the session */
    const char* client_id;
    const char* client_mode;
    const char* client_platform;
    const char* client_version;
    const char* device_id;      /**< the verified device id, "" when there is none */
    const char* remote_address; /**< the peer's IP address */
    int is_loopback;            /**< non-zero when the peer is on a loopback address */
} oc_call_context;

/**
 * A write-only byte sink owned by the caller. The callee may call write() any number of times;
 * the bytes are appended. Used for every result and every error message that crosses the ABI.
 */
typedef struct oc_sink {
    void* ctx;                                                 /**< caller's context */
    void (*write)(void* ctx, const char* data, size_t length); /**< append bytes */
} oc_sink;

/** Timer callback; runs on the host's timer thread, never concurrently with itself; must not block. */
typedef void (*oc_timer_fn)(void* user);

/** (1.1) A child process to run: no shell, argv only. */
typedef struct oc_process_spec {
    uint32_t struct_size;
    const char* const* argv; /**< program and arguments, NULL-terminated; argv[0] is looked up on PATH */
    const char* const*
        env; /**< extra "NAME=value" entries over the gateway's environment, NULL-terminated, or NULL */
    uint32_t
        timeout_ms; /**< stopped past this (SIGTERM to its process group, SIGKILL 2 s later); 0 = no limit */
    uint32_t
        max_output; /**< bytes of stdout and of stderr kept, each; 0 = 65536; the rest is read and dropped */
} oc_process_spec;

/** (1.1) How a child process ended. */
typedef struct oc_process_result {
    uint32_t struct_size;
    int exit_code;   /**< its exit status; -1 when a signal ended it */
    int term_signal; /**< the signal that ended it; 0 when it exited */
    int timed_out;   /**< non-zero when the host stopped it at its timeout */
} oc_process_result;

/** (1.1) A long-running child ended: its result and the last bytes of its stderr (bounded). Runs once, on a
 *  host thread of that child's own; may block briefly; must not call stop_process for this child. */
typedef void (*oc_exit_fn)(void* user, uint64_t process_id, const oc_process_result* result, const char* err,
                           size_t err_length);

/** (1.1) A watched descriptor is readable. Runs on the host's plugin I/O thread; must not block. */
typedef void (*oc_fd_fn)(void* user, int fd);

/** (1.1) Work posted to the host's worker threads; may block (a child process, a lookup). */
typedef void (*oc_work_fn)(void* user);

/** (1.2) Frees `user` once the host holds it no more: after the work or the timer's last run, or when it
 *  will never run (the host is stopping, the timer was cancelled, the plugin is destroyed). Called exactly
 *  once, on any host thread, possibly after destroy() for what the plugin left behind: touch only `user`. */
typedef void (*oc_release_fn)(void* user);

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

    /* ---- 1.1: check each with OC_HAS_FIELD(api, oc_host_api, name) before use ---- */

    uint32_t abi_minor; /**< the host's minor version */

    /**
     * Runs a child to completion; the calling thread waits (call it from post_work or a thread of yours,
     * never from a timer or fd callback). Its stdout and stderr go to `out` and `err` (either may be NULL).
     * Returns OC_OK when it ran (see *result), OC_ERR when it could not start (the reason goes to err).
     */
    int (*run_process)(void* host_ctx, const oc_process_spec* spec, oc_process_result* result, oc_sink* out,
                       oc_sink* err);

    /**
     * Starts a long-running child (an `ssh -N`); on_exit runs once when it ends, whatever the reason.
     * Sets *process_id (for stop_process) and *pid. Returns OC_ERR with the reason in `error` when it could
     * not start. The host stops the plugin's children that still run when the plugin is destroyed.
     */
    int (*start_process)(void* host_ctx, const oc_process_spec* spec, oc_exit_fn on_exit, void* user,
                         uint64_t* process_id, int* pid, oc_sink* error);

    /** SIGTERM to the child's process group, SIGKILL 2 s later; returns once it is gone and on_exit has run.
     */
    void (*stop_process)(void* host_ctx, uint64_t process_id);

    /** Calls fn(user, fd) on the plugin I/O thread while fd is readable (level-triggered). Returns a non-zero
     *  id, or 0 on failure. The descriptor stays the plugin's: unwatch it before closing it. */
    uint64_t (*watch_fd)(void* host_ctx, int fd, oc_fd_fn fn, void* user);

    /** Stops watching; when it returns, fn is not running and will not run again. */
    void (*unwatch_fd)(void* host_ctx, uint64_t watch_id);

    /** Runs fn(user) on a host worker thread. Returns OC_ERR once the host is stopping (fn will not run). */
    int (*post_work)(void* host_ctx, oc_work_fn fn, void* user);

    /** Tells the host that what the plugin reports changed (an exposure's status): the host reads it again.
     */
    void (*state_changed)(void* host_ctx);

    /**
     * Answer later (the Janus pattern). Called inside auth.verify or a method handler, on the thread the host
     * called it on: returns a handle for that call (0 outside one). The plugin then returns OC_PENDING and,
     * from any thread, calls complete() once with the status and the JSON it would have written (the result
     * on OC_OK, the error otherwise). The host enforces a deadline (the caller gets a timeout error); a
     * completion after the deadline, for a caller that has gone, or a second one, is dropped
     * (OC_ERR_NOT_FOUND).
     */
    uint64_t (*defer)(void* host_ctx);
    /** (1.2: refuses, OC_ERR_NOT_FOUND, a handle that another plugin was given.) */
    int (*complete)(void* host_ctx, uint64_t call, int status, const char* json);

    /* ---- 1.2: check each with OC_HAS_FIELD(api, oc_host_api, name) before use ---- */

    /**
     * Sends an event to one session: {"type":"event","event":…,"payload":…}, with the session's next `seq`
     * only when with_seq is non-zero (the reference's node-targeted events carry none). Any thread; the
     * frame is queued, not yet written, when it returns. OC_ERR_NOT_FOUND when the session has gone,
     * OC_ERR_INVALID when payload_json is not JSON.
     */
    int (*send_event)(void* host_ctx, uint64_t session_id, const char* event, const char* payload_json,
                      int with_seq);

    /** Closes one session with a WebSocket close code (1000–4999) and reason. Any thread. */
    int (*close_session)(void* host_ctx, uint64_t session_id, int code, const char* reason);

    /**
     * Sets the deadline of a call this plugin was handed (oc_call_context.call) or defer()red, in ms from
     * now, in place of the host's plugins.callTimeoutMs. Call it before returning OC_PENDING. Past it the
     * caller gets the error `timeout_json` when given (an {code,message,details?} object), else the host's.
     */
    int (*set_deadline)(void* host_ctx, uint64_t call, uint32_t timeout_ms, const char* timeout_json);

    /**
     * Writes the open sessions as JSON: [{"sessionId","role","scopes":[…],"client":{…},"remoteAddress",
     * "caps":[…]}], a node's also with what it declared at connect: "commands":[…],"permissions":{…}
     * (session_open hooks get the same object); role_filter 0 = every role, else an oc_role.
     * Any thread.
     */
    int (*list_sessions)(void* host_ctx, int role_filter, oc_sink* out);

    /** Writes {"<plugin id>":{"request":N}}: the hook calls dropped so far because a plugin's bounded
     *  request-hook queue was full. Any thread. */
    int (*hook_drops)(void* host_ctx, oc_sink* out);

    /**
     * Broadcasts an event (with each session's seq) to the sessions of one role (0 = every role, else an
     * oc_role) holding `required_scope` (an operator scope such as "operator.pairing"; NULL or "" = none
     * needed). Any thread. OC_ERR_INVALID when payload_json is not JSON or the scope is unknown.
     */
    int (*broadcast_event)(void* host_ctx, const char* event, const char* payload_json, int role_filter,
                           const char* required_scope);

    /** add_timer with a release function for `user` (see oc_release_fn). */
    uint64_t (*add_timer_ex)(void* host_ctx, uint32_t interval_ms, int repeat, oc_timer_fn fn,
                             oc_release_fn release, void* user);
    /** post_work with a release function for `user` (see oc_release_fn). Returns OC_ERR once the host is
     *  stopping; release has then already been called. */
    int (*post_work_ex)(void* host_ctx, oc_work_fn fn, oc_release_fn release, void* user);
} oc_host_api;

/**
 * auth capability: verifies the `auth` object of a `connect` request for one auth mode.
 * request_json: {"mode":"token","auth":{…as
 * sent…},"client":{…},"remoteAddress":"127.0.0.1","isLoopback":true} result_json written to `result`: accept:
 * {"ok":true}                                       (role and scopes come from the request) refuse:
 * {"ok":false,"code":"INVALID_REQUEST","message":"…","details":{"code":"AUTH_TOKEN_MISMATCH",…}}
 */
/** (1.2) oc_auth_vtable.flags */
#define OC_AUTH_NEVER_BLOCKS                                                                                 \
    0x1u /**< verify never blocks: the host calls it on the connection's I/O thread */

typedef struct oc_auth_vtable {
    uint32_t struct_size;
    const char* mode; /**< the gateway.auth.mode value this serves, e.g. "token" */
    /** Thread: a host worker (the connection's I/O thread with OC_AUTH_NEVER_BLOCKS). May block briefly
     *  (never, with that flag); a long check answers later (OC_PENDING + complete()), bounded by the
     *  connect's handshake deadline. */
    int (*verify)(void* instance, const char* request_json, oc_sink* result);
    /* 1.2 */
    uint32_t flags; /**< OC_AUTH_* */
    /** Optional, for an overlay: returns 0 when it cannot decide anything under the current config (it would
     *  only ever answer {"defer":true}); the host then leaves it out of the auth chain until the next reload.
     *  Thread: the gateway's main thread, when the server starts. */
    int (*can_decide)(void* instance);
} oc_auth_vtable;

/**
 * (1.2) admission capability: decides a connect after its credentials were decided, in every auth mode
 * (none included) — e.g. device pairing. Thread: a host worker; may answer later (OC_PENDING +
 * complete()), bounded by the handshake deadline. request_json:
 * {"connect":{…the connect params as sent…},"challenge":{"nonce":"…","ts":N},"authMethod":"token",
 *  "credentials":{"ok":true} | {"ok":false,"code","message","details"},"remoteAddress","isLoopback","origin"}
 * result:
 *  {"pass":true}  no opinion: the next admission step, else the credentials' verdict stands;
 *  {"ok":true,"authMethod"?,"role"?,"scopes"?:[…],"deviceId"?,"deviceToken"?,"issuedAtMs"?}  admit: scopes
 * are kept within what was asked, the role must be the one asked; over a credentials refusal (a client that
 * proved itself another way, e.g. a device token) "authMethod" is required;
 *  {"ok":false,"code","message","details"?,"closeCode"?,"closeReason"?}  refuse (close 1008 by default).
 */
/** (1.3) oc_admission_vtable.flags */
#define OC_ADMISSION_QUICK_FIRST                                                                             \
    0x1u /**< admit is asked first on the connection's I/O thread with "quick":true in the request: it must  \
            not block then, and answers a verdict, or {"defer":true} to be asked again (without "quick") on  \
            a worker */

typedef struct oc_admission_vtable {
    uint32_t struct_size;
    int (*admit)(void* instance, const char* request_json, oc_sink* result);
    /* 1.3: check with OC_HAS_FIELD */
    uint32_t flags; /**< OC_ADMISSION_* */
} oc_admission_vtable;

/**
 * exposure capability: publishes the gateway beyond loopback (e.g. Tailscale serve/funnel).
 * request_json for start: {"port":18789,"mode":"serve","resetOnExit":false}
 */
typedef struct oc_exposure_vtable {
    uint32_t struct_size;
    /* Thread: each call on a thread of its own while the gateway's main thread waits (start and stop at most
     * 30 s, status 5 s); they may block (a `tailscale serve`). */
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
    /* Thread: each call on a thread of its own, bounded (10 s); may block. */
    int (*advertise)(void* instance, const char* beacon_json, oc_sink* error);
    int (*withdraw)(void* instance);
    /** request_json: {"domains":["local."],"timeoutMs":2000}; result: {"beacons":[…]} */
    int (*browse)(void* instance, const char* request_json, oc_sink* result, oc_sink* error);
} oc_discovery_vtable;

/** tunnel capability: e.g. SSH local forwards. */
typedef struct oc_tunnel_vtable {
    uint32_t struct_size;
    /* Thread: the CLI command's (probe --ssh); may block within the request's budget (timeoutMs). */
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
    const char* scope; /**< required operator scope, e.g. "operator.read"; NULL or "" = none; (1.3) "node":
                          for node sessions only */
    /** The 1.0 handler, called when `handle` is NULL. Thread: a host worker; may block briefly. */
    int (*handler)(void* instance, const char* method, const char* params_json, oc_sink* result,
                   oc_sink* error);
    /* 1.2 */
    /**
     * The handler with its caller (preferred when set). Runs on a host worker thread; may block for a short
     * while; a long wait answers later (OC_PENDING, then complete() with ctx->call from any thread).
     */
    int (*handle)(void* instance, const oc_call_context* ctx, const char* method, const char* params_json,
                  oc_sink* result, oc_sink* error);
} oc_method_def;

/** methods capability: RPC methods and the events the plugin may emit. */
typedef struct oc_methods_vtable {
    uint32_t struct_size;
    const oc_method_def* methods;
    size_t method_count;
    const char* const* events; /**< event names announced in hello-ok.features.events */
    size_t event_count;
    /* 1.2 */
    /** Parallel to events (or NULL): the operator scope a session needs to get each event; NULL = the
     * default, "operator.read"; "" = every authenticated session. Before 1.2 every session got every event.
     */
    const char* const* event_scopes;
} oc_methods_vtable;

/**
 * hooks capability: observation only. Each pointer may be NULL: the host then does nothing for that kind
 * (a plugin without `request` costs nothing per request). (1.2) Every hook of a plugin runs on one host
 * thread of that plugin's own, in the order the events happened, never on an I/O thread; a hook may block
 * (only its own plugin's hooks wait). session_open, session_close, auth_result and config_reload are never
 * dropped; `request` hooks wait in a bounded queue, and what does not fit is dropped and counted
 * (oc_host_api.hook_drops; the gateway logs the count).
 */
typedef struct oc_hooks_vtable {
    uint32_t struct_size;
    /** After hello-ok: {"sessionId","connId","role","scopes":[…],"client":{…},"remoteAddress","isLoopback",
     *  "authMethod"} */
    void (*session_open)(void* instance, const char* session_json);
    /** The session ended: its open info plus "code", "reason", "durationMs". */
    void (*session_close)(void* instance, const char* session_json);
    /** A request was answered: {"sessionId","method","plugin" (the id serving it, "" for the gateway's own
     *  methods),"ok","code" ("" when ok),"durationUs"} */
    void (*request)(void* instance, const char* request_json);
    /** A SIGUSR1 reload finished: the new effective gateway section (secrets redacted). */
    void (*config_reload)(void* instance, const char* gateway_json);
    /* 1.2 */
    /** Every connect's outcome: {"ok","reason" (a details code, "" when ok),"method","role","remoteAddress",
     *  "isLoopback","client":{…}} */
    void (*auth_result)(void* instance, const char* auth_json);
} oc_hooks_vtable;

/** (1.2) Who may call an HTTP route (oc_http_route.is_public). */
#define OC_HTTP_PRIVATE 0          /**< the gateway's token or password is required */
#define OC_HTTP_PUBLIC 1           /**< anyone who can reach the port */
#define OC_HTTP_PUBLIC_BY_CONFIG 2 /**< public when the plugin's config has "public": true, else private */

/** (1.2) One HTTP path prefix a plugin serves ("/metrics" serves "/metrics" and "/metrics/…"). */
typedef struct oc_http_route {
    uint32_t struct_size;
    const char* prefix; /**< starts with "/"; /healthz, /readyz and / cannot be taken */
    int is_public;      /**< OC_HTTP_PRIVATE, OC_HTTP_PUBLIC or OC_HTTP_PUBLIC_BY_CONFIG */
} oc_http_route;

/**
 * (1.2) http capability. handle() runs on a host worker thread with request_json:
 * {"method":"GET","path":"/metrics","query":"a=1","headers":{"lower-cased":"value"},"body":"…",
 *  "remoteAddress":"127.0.0.1","isLoopback":true}
 * The body is framed by Content-Length only (chunked: 411) and at most 1 MiB (413, unread); it comes as
 * "body" when it is UTF-8 text, else as "bodyBase64". The Authorization header is never handed over. and
 * writes {"status":200,"headers":{"content-type":"text/plain"},"body":"…"} to `response`; or returns
 * OC_PENDING after oc_host_api.defer() and answers with complete(). Credentials have been checked when the
 * route is not public; failed ones count towards the login lockout.
 */
typedef struct oc_http_vtable {
    uint32_t struct_size;
    const oc_http_route* routes;
    size_t route_count;
    int (*handle)(void* instance, const char* request_json, oc_sink* response, oc_sink* error);
} oc_http_vtable;

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
     * Thread: one of its own while the gateway's main thread waits, at most plugins.initTimeoutMs.
     */
    int (*create)(const oc_host_api* host, const char* config_json, void** instance, oc_sink* error);
    /** Destroys an instance made by create(); stops every timer and thread it started. Thread: the gateway's
     *  main thread, after every other call into the instance has returned (it may block briefly). */
    void (*destroy)(void* instance);

    const oc_auth_vtable* auth;
    const oc_exposure_vtable* exposure;
    const oc_discovery_vtable* discovery;
    const oc_tunnel_vtable* tunnel;
    const oc_methods_vtable* methods;
    const oc_hooks_vtable* hooks;

    /* 1.1 */
    /**
     * Optional. Takes a new validated config section on a SIGUSR1 reload instead of destroy() + create(), so
     * that what the plugin holds (a DNS-SD registration, a tailscale route, a tunnel) survives the reload.
     * Called on the gateway's main thread while no session exists and no auth or method call is in flight;
     * timer, descriptor and exit callbacks may still run. Returns OC_OK, or non-zero with a message in
     * error: the host then destroys the instance and creates it again with the new config. NULL: the host
     * always destroys and creates.
     */
    int (*reconfigure)(void* instance, const char* config_json, oc_sink* error);

    /* 1.2 */
    const oc_http_vtable* http;           /**< set with OC_CAP_HTTP */
    const oc_admission_vtable* admission; /**< set with OC_CAP_ADMISSION */
} oc_plugin_descriptor;

/** What the host offers to the entry point. */
typedef struct oc_abi_offer {
    uint32_t struct_size;
    const uint32_t* versions; /**< ABI majors the host speaks */
    size_t version_count;
    const char* host_version; /**< the gateway's version string */
    /* 1.1 */
    uint32_t minor; /**< the host's minor version of its major */
} oc_abi_offer;

/** What the plugin answers (the host's struct: check OC_HAS_FIELD before writing a 1.1 field). */
typedef struct oc_abi_answer {
    uint32_t struct_size;
    uint32_t abi_version;                   /**< the ABI major the plugin implements, always set */
    const oc_plugin_descriptor* descriptor; /**< set when the plugin can run on this host */
    /* 1.1 */
    uint32_t abi_minor; /**< the minor the plugin needs (0 for a 1.0 plugin) */
} oc_abi_answer;

/**
 * The one exported entry point. Returns OC_OK with answer->descriptor set, or OC_ERR_ABI with
 * answer->abi_version (and abi_minor) set to what the plugin needs so the host can name both.
 * Must not allocate resources: create() does that.
 */
typedef int (*oc_plugin_entry_fn)(const oc_abi_offer* offer, oc_abi_answer* answer);

/**
 * The negotiation, written once for every plugin and host (not part of the binary interface: each side
 * compiles its own copy).
 *
 * Plugin side, the body of an entry point: answers with this header's major and `needed_minor` (the minor
 * whose fields the plugin uses; 0 for a 1.0 plugin), and hands over `descriptor` when the host offers this
 * major at that minor or later. A C plugin's whole entry point:
 *
 *     OC_EXPORT int openclaw_plugin_entry(const oc_abi_offer* offer, oc_abi_answer* answer) {
 *         return oc_negotiate(offer, answer, 0, &descriptor);
 *     }
 */
static inline int oc_negotiate(const oc_abi_offer* offer, oc_abi_answer* answer, uint32_t needed_minor,
                               const oc_plugin_descriptor* descriptor) {
    size_t i;
    uint32_t host_minor;
    if (!answer) return OC_ERR_INVALID;
    answer->abi_version = OC_ABI_VERSION_MAJOR;
    answer->descriptor = 0; /* NOLINT(modernize-use-nullptr): a C header */
    if (OC_HAS_FIELD(answer, oc_abi_answer, abi_minor)) answer->abi_minor = needed_minor;
    if (!offer || !offer->versions) return OC_ERR_INVALID;
    /* A 1.0 host offers no minor: 0. Compared as "needed > offered" (offered >= 0 is always true). */
    host_minor = OC_HAS_FIELD(offer, oc_abi_offer, minor) ? offer->minor : 0;
    for (i = 0; i < offer->version_count; ++i) {
        if (offer->versions[i] == OC_ABI_VERSION_MAJOR && !(needed_minor > host_minor)) {
            answer->descriptor = descriptor;
            return OC_OK;
        }
    }
    return OC_ERR_ABI;
}

/** Host side: the offer of a host built against this header (its major, its minor), and an empty answer. */
static inline void oc_make_offer(oc_abi_offer* offer, oc_abi_answer* answer, const char* host_version) {
    static const uint32_t majors[] = {OC_ABI_VERSION_MAJOR};
    memset(offer, 0, sizeof *offer);
    offer->struct_size = (uint32_t)sizeof *offer;
    offer->versions = majors;
    offer->version_count = 1;
    offer->host_version = host_version;
    offer->minor = OC_ABI_VERSION_MINOR;
    memset(answer, 0, sizeof *answer);
    answer->struct_size = (uint32_t)sizeof *answer;
}

#ifdef __cplusplus
}
#endif

#endif /* OPENCLAW_PLUGIN_H */
