/* The SDK's example plugin in plain C (C99, openclaw/plugin.h only): one RPC method, helloc.greet, that needs
 * operator.write. Build with pkg-config:
 *   cc -std=c99 -shared -fPIC -fvisibility=hidden $(pkg-config --cflags openclaw-plugin) hello.c -o hello-c.so
 * and put hello-c.so next to openclaw.plugin.json. */
#include "openclaw/plugin.h"

#include <string.h>

static int instance_token;

static int create(const oc_host_api* host, const char* config, void** instance, oc_sink* error) {
    (void)config;
    (void)error;
    host->log(host->host_ctx, OC_LOG_INFO, "hello-c", "ready");
    *instance = &instance_token;
    return OC_OK;
}

static void destroy(void* instance) {
    (void)instance;
}

/* Runs on one of the gateway's workers; writes the result JSON into the caller's sink. */
static int greet(void* instance, const char* method, const char* params, oc_sink* result, oc_sink* error) {
    static const char answer[] = "{\"text\":\"Hello from C\"}";
    (void)instance;
    (void)method;
    (void)params;
    (void)error;
    result->write(result->ctx, answer, sizeof answer - 1);
    return OC_OK;
}

/* Designated initializers: fields a later ABI minor appends (1.2: handle, event_scopes) read as zero/NULL, and the
 * plugin still builds warning-free against a newer SDK. */
static const oc_method_def methods[] = {
    {.struct_size = sizeof(oc_method_def), .name = "helloc.greet", .scope = "operator.write", .handler = greet}};
static const oc_methods_vtable methods_table = {
    .struct_size = sizeof(oc_methods_vtable), .methods = methods, .method_count = 1};
static oc_plugin_descriptor descriptor;

OC_EXPORT int openclaw_plugin_entry(const oc_abi_offer* offer, oc_abi_answer* answer) {
    memset(&descriptor, 0, sizeof descriptor);
    descriptor.struct_size = (uint32_t)sizeof descriptor;
    descriptor.id = "hello-c";
    descriptor.name = "Hello example (C)";
    descriptor.version = "1.0.0";
    descriptor.capabilities = OC_CAP_METHODS;
    descriptor.create = create;
    descriptor.destroy = destroy;
    descriptor.methods = &methods_table;
    return oc_negotiate(offer, answer, 0, &descriptor); /* needs ABI 1.0 */
}
