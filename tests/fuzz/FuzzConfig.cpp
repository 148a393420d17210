// libFuzzer target: config files, JSON5 or YAML (first byte chooses), through to the typed config.
#include "config/ConfigLoader.h"
#include "config/Json5Parser.h"
#include "config/YamlParser.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace openclaw::config;
    if (size == 0) return 0;
    const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
    try {
        Document doc = (data[0] & 1) ? parseYaml(text, "fuzz.yaml") : parseJson5(text, "fuzz.json");
        substituteEnv(doc, Environment({{"HOME", "/h"}, {"X", "y"}}));
        Paths p;
        p.home = "/h";
        p.stateDir = "/h/.openclaw";
        p.configPath = "/h/.openclaw/openclaw.json";
        GatewayConfig c = buildConfig(&doc, p, Environment(), {});
        (void)c.gatewaySection();
    } catch (const ConfigError& e) {
        (void)e.what();
    }
    return 0;
}
