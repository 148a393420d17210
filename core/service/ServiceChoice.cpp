#include "service/ServiceChoice.h"

#include "service/CommandRunner.h"

#include <unistd.h>

namespace openclaw::service {

namespace {

std::string unitDir(const config::Environment& env, const config::Paths& paths) {
    if (auto x = env.get("XDG_CONFIG_HOME")) return *x + "/systemd/user";
    return paths.home + "/.config/systemd/user";
}

std::string serviceName(const config::Paths& paths) {
    return paths.profile.empty() ? "openclaw-gateway" : "openclaw-gateway-" + paths.profile;
}

} // namespace

std::optional<Runtime> parseRuntime(const std::string& word) {
    if (word == "auto") return Runtime::Auto;
    if (word == "systemd") return Runtime::Systemd;
    if (word == "supervisor") return Runtime::Supervisor;
    return std::nullopt;
}

std::string selfExecutable() {
    char buf[4096];
    const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "openclaw";
}

std::unique_ptr<ServiceManager> chooseServiceManager(const config::Environment& env,
                                                     const config::Paths& paths, Runtime runtime,
                                                     CommandRunner& runner) {
    auto sup = makeSupervisorManager(selfExecutable(), paths.stateDir, serviceName(paths));
    auto sysd = makeSystemdManager(runner, unitDir(env, paths), serviceName(paths));
    if (runtime == Runtime::Supervisor) return sup;
    if (runtime == Runtime::Systemd) return sysd;
    if (sup->status().installed) return sup;
    if (config::fileExists(unitDir(env, paths) + "/" + serviceName(paths) + ".service")) return sysd;
    return systemdUserAvailable(runner) ? std::move(sysd) : std::move(sup);
}

ServiceStatus profileServiceStatus(const config::Environment& env, const config::Paths& paths) {
    ProcessRunner runner(3000);
    return chooseServiceManager(env, paths, Runtime::Auto, runner)->status();
}

} // namespace openclaw::service
