// Test fixture: written in plain C style; answers that it implements ABI 999.
#include "openclaw/plugin.h"

extern "C" OC_EXPORT int openclaw_plugin_entry(const oc_abi_offer* offer, oc_abi_answer* answer) {
    (void)offer;
    answer->abi_version = 999;
    answer->descriptor = nullptr;
    return OC_ERR_ABI;
}
