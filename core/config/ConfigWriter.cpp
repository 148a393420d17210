#include "config/ConfigWriter.h"

#include "config/ConfigLoader.h"
#include "files/AtomicFile.h"

#include <random>

namespace openclaw::config {

std::string generateGatewayToken() {
    std::random_device rd;
    std::string out;
    static const char* hex = "0123456789abcdef";
    for (int i = 0; i < 32; ++i) {
        unsigned v = rd() & 0xff;
        out += hex[v >> 4];
        out += hex[v & 0xf];
    }
    return out;
}

std::vector<std::string> writeValidatedConfig(const std::string& path,
                                              const std::optional<std::string>& oldText,
                                              const std::string& newText, ConfigRole role, const Paths& paths,
                                              const Environment& env, const ExtraCheck& extraCheck) {
    if (path.size() > 5 &&
        (path.compare(path.size() - 5, 5, ".yaml") == 0 || path.compare(path.size() - 4, 4, ".yml") == 0))
        throw ConfigError(path, {}, "",
                          "YAML config files are edited by hand; the config commands write JSON5 files");
    Document doc = parseConfigText(newText, path);
    substituteEnv(doc, env);
    const GatewayConfig built = buildConfig(&doc, paths, env, {}); // the typed values the gateway reads
    std::vector<std::string> warnings = checkConfigDocument(doc, role, paths.nativeConfigPath);
    if (extraCheck) extraCheck(built, doc);
    if (oldText) files::writeFileAtomic(path + ".bak", *oldText, 0600);
    files::writeFileAtomic(path, newText, 0600);
    return warnings;
}

} // namespace openclaw::config
