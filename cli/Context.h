// What every command gets: global flags, the environment, and helpers to load config and print.
#pragma once

#include "config/ConfigLoader.h"
#include "json/Json.h"

#include <string>
#include <vector>

namespace openclaw::cli {

/// Global flags (before the command).
struct Context {
    std::vector<std::string> argv;  ///< the full command line
    config::ProfileOptions profile; ///< --profile / --dev
    bool noColor = false;           ///< --no-color or NO_COLOR
    config::Environment env = config::Environment::fromProcess();

    /// True when stdout is a terminal and colour is allowed.
    bool colorOut() const;
    /// Loads config with overrides; on error prints it to stderr and throws ExitCode(code).
    config::GatewayConfig loadConfig(const config::Overrides& overrides, int exitCodeOnError = 1) const;
};

/// Thrown to end the program with an exit code after output was written.
struct ExitCode {
    int code;
};

/// Command entry points. Each returns the process exit code.
int runPlugins(Context& ctx, size_t argIndex);
/// `openclaw config …`
int runConfig(Context& ctx, size_t argIndex);
/// `openclaw setup`
int runSetup(Context& ctx, size_t argIndex);
int runGateway(Context& ctx, size_t argIndex);
/// `gateway health|call|status|probe`.
int runQuery(Context& ctx, const std::string& command, size_t argIndex);
/// `gateway status` and `gateway probe`.
int runStatus(Context& ctx, size_t argIndex);
int runProbe(Context& ctx, size_t argIndex);
/// `gateway discover`.
int runDiscover(Context& ctx, size_t argIndex);
/// `devices …` and `nodes …` (device pairing, device tokens, nodes).
int runDevices(Context& ctx, size_t argIndex);
int runNodes(Context& ctx, size_t argIndex);
/// `gateway events`.
int runEvents(Context& ctx, size_t argIndex);
/// `gateway install|start|stop|restart|uninstall|supervise`.
int runService(Context& ctx, const std::string& action, size_t argIndex);

} // namespace openclaw::cli
