#include "server/DevProfile.h"

#include "config/ConfigLoader.h"
#include "config/ConfigWriter.h"
#include "files/AtomicFile.h"
#include "log/Logger.h"

#include <filesystem>
#include <iostream>

namespace openclaw::server {

namespace {

void resetDevState(const config::Paths& paths) {
    std::error_code ec;
    for (const char* sub : {"credentials", "sessions", "workspace", "agents"})
        std::filesystem::remove_all(paths.stateDir + "/" + sub, ec);
    std::filesystem::remove(paths.configPath, ec);
    log::Logger::get().info("", "Dev state reset: " + paths.stateDir +
                                    " (config, credentials, sessions, workspace)");
}

void writeDevConfig(const config::Paths& paths) {
    const std::string token = config::generateGatewayToken();
    const std::string text =
        "{\n  // Created by `openclaw --dev gateway run`.\n  \"gateway\": {\n    \"mode\": \"local\",\n"
        "    \"bind\": \"loopback\",\n    \"auth\": {\n      \"mode\": \"token\",\n      \"token\": \"" +
        token + "\"\n    }\n  }\n}\n";
    files::writeFileAtomic(paths.configPath, text, 0600);
    log::Logger::get().info("", "Dev config ready: " + paths.configPath);
    // Shown once on the terminal only (never in the log file): the operator needs it to connect.
    std::cout << "Gateway token (stored in " << paths.configPath << "; shown only now): " << token
              << std::endl;
}

} // namespace

void prepareDevProfile(const config::Paths& paths, bool reset) {
    if (reset) resetDevState(paths);
    if (!config::fileExists(paths.configPath)) writeDevConfig(paths);
    const std::string workspace = paths.stateDir + "/workspace";
    if (!std::filesystem::exists(workspace)) {
        files::makeDirs(workspace);
        log::Logger::get().info("", "Dev workspace ready: " + workspace);
    }
}

} // namespace openclaw::server
