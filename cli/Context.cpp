#include "Context.h"

#include <iostream>
#include <unistd.h>

namespace openclaw::cli {

bool Context::colorOut() const {
    return !noColor && !env.get("NO_COLOR") && ::isatty(1);
}

config::GatewayConfig Context::loadConfig(const config::Overrides& overrides, int exitCodeOnError) const {
    try {
        return config::loadConfig(env, profile, overrides);
    } catch (const config::ConfigError& e) {
        std::cerr << "Invalid config: " << e.what() << "\n"
                  << "Fix the value at that place (or move the file away to start from defaults).\n";
        throw ExitCode{exitCodeOnError};
    } catch (const std::invalid_argument& e) {
        std::cerr << e.what() << "\n";
        throw ExitCode{exitCodeOnError};
    }
}

} // namespace openclaw::cli
