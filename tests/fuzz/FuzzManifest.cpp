// libFuzzer target: plugin manifests, their config schemas, and validation of a config against them.
#include "config/Document.h"
#include "plugins/Manifest.h"
#include "json/SchemaValidator.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace openclaw;
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        plugins::Manifest m = plugins::parseManifest(text, "/fuzz/openclaw.plugin.json");
        (void)json::validateSchema(m.configSchema, m.configSchema); // the schema validating itself
        (void)json::validateSchema(m.configSchema, json::Var(json::makeObject()));
    } catch (const config::ConfigError& e) {
        (void)e.what();
    }
    return 0;
}
