/* Test fixture in plain C, compiled as C99 against plugin.h only.
 *
 * Without MISSING_CAP: a methods plugin whose descriptor is larger than the host's (a "future minor": the
 * host's layout followed by fields it does not know, filled with garbage the host must ignore).
 * With MISSING_CAP=<OC_CAP_*>: the plugin also declares that capability but gives no vtable for it (with
 * OC_CAP_METHODS: its methods vtable is the one missing); the host must refuse it, without a crash. */
#include "openclaw/plugin.h"

#include <stddef.h>
#include <stdint.h>

static int token;

static int create(const oc_host_api* host, const char* config, void** instance, oc_sink* error) {
    (void)host;
    (void)config;
    (void)error;
    *instance = &token;
    return OC_OK;
}

static void destroy(void* instance) {
    (void)instance;
}

static int hello(void* instance, const char* method, const char* params, oc_sink* result, oc_sink* error) {
    static const char answer[] = "{\"from\":\"c\"}";
    (void)instance;
    (void)method;
    (void)params;
    (void)error;
    result->write(result->ctx, answer, sizeof answer - 1);
    return OC_OK;
}

static const oc_method_def kMethods[] = {{sizeof(oc_method_def), "c.hello", "", hello}};
static const oc_methods_vtable kMethodsTable = {sizeof(oc_methods_vtable), kMethods, 1, NULL, 0};

struct future_descriptor {
    oc_plugin_descriptor known;
    void* unknown_pointer;
    uint64_t unknown_number;
};

#ifndef MISSING_CAP
#define MISSING_CAP 0u
#endif

static struct future_descriptor descriptor;

OC_EXPORT int openclaw_plugin_entry(const oc_abi_offer* offer, oc_abi_answer* answer) {
    (void)offer;
    descriptor.known.struct_size = (uint32_t)sizeof descriptor;
    descriptor.known.id = PLUGIN_ID;
    descriptor.known.name = "C fixture";
    descriptor.known.version = "0.0.1";
    descriptor.known.capabilities = OC_CAP_METHODS | MISSING_CAP;
    descriptor.known.create = create;
    descriptor.known.destroy = destroy;
    descriptor.known.methods = MISSING_CAP == OC_CAP_METHODS ? NULL : &kMethodsTable;
    descriptor.unknown_pointer = (void*)(uintptr_t)0x1;
    descriptor.unknown_number = 0xdeadbeefu;
    answer->abi_version = OC_ABI_VERSION_MAJOR;
    if (OC_HAS_FIELD(answer, oc_abi_answer, abi_minor)) answer->abi_minor = 0;
    answer->descriptor = &descriptor.known;
    return OC_OK;
}
