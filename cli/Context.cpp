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
        std::cerr << "Invalid config: " << e.what() << "\n";
        // A place in the file: its value is what to fix. A file that cannot be read says what to do itself.
        if (e.position().line > 0)
            std::cerr << "Fix the value at that place (or move the file away to start from defaults).\n";
        throw ExitCode{exitCodeOnError};
    } catch (const std::invalid_argument& e) {
        std::cerr << e.what() << "\n";
        throw ExitCode{exitCodeOnError};
    }
}

} // namespace openclaw::cli
