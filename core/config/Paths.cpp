#include "config/Paths.h"

#include <stdexcept>
#include <sys/stat.h>

namespace openclaw::config {

std::string expandHome(const std::string& path, const std::string& home) {
    if (path == "~") return home;
    if (path.rfind("~/", 0) == 0) return home + path.substr(1);
    return path;
}

bool fileExists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

Paths resolvePaths(const Environment& env, const ProfileOptions& opts, bool (*exists)(const std::string&)) {
    Paths p;
    p.home = env.get("OPENCLAW_HOME").value_or(env.get("HOME").value_or("/root"));
    p.home = expandHome(p.home, env.get("HOME").value_or("/root"));
    std::string profile = opts.dev ? "dev" : opts.profile.value_or(env.get("OPENCLAW_PROFILE").value_or(""));
    if (profile == "default") profile.clear();
    for (char c : profile) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                  c == '_';
        if (!ok)
            throw std::invalid_argument("invalid profile name '" + profile +
                                        "': use letters, digits, '-' and '_' only");
    }
    p.profile = profile;
    if (auto dir = env.get("OPENCLAW_STATE_DIR"))
        p.stateDir = expandHome(*dir, p.home);
    else
        p.stateDir = p.home + "/.openclaw" + (profile.empty() ? "" : "-" + profile);
    if (auto cfg = env.get("OPENCLAW_CONFIG_PATH")) {
        p.configPath = expandHome(*cfg, p.home);
        p.configSource = "env OPENCLAW_CONFIG_PATH";
    } else {
        p.configPath = p.stateDir + "/openclaw.json";
        p.configSource = "default";
        std::string yaml = p.stateDir + "/openclaw.yaml";
        if (exists && !exists(p.configPath) && exists(yaml)) p.configPath = yaml;
    }
    if (auto native = env.get("OPENCLAW_NATIVE_CONFIG")) {
        p.nativeConfigPath = expandHome(*native, p.home);
    } else {
        const size_t slash = p.configPath.find_last_of('/');
        const std::string dir = slash == std::string::npos ? "." : p.configPath.substr(0, slash);
        p.nativeConfigPath = dir + "/native.json5";
        const std::string yaml = dir + "/native.yaml";
        if (exists && !exists(p.nativeConfigPath) && exists(yaml)) p.nativeConfigPath = yaml;
    }
    return p;
}

} // namespace openclaw::config
