// The `openclaw` executable: global flags, then a command. Decisions live in core/ and plugins.
#include "Args.h"
#include "Context.h"

#include "version.h"

#include <cstdlib>
#include <iostream>

using namespace openclaw::cli;

namespace {

const char* kUsage =
    "Usage: openclaw [--profile <name>] [--dev] [--no-color] <command> ...\n"
    "\n"
    "The native (C++) OpenClaw Gateway and its CLI: wire protocol v4, as openclaw " OPENCLAW_VERSION ".\n"
    "\n"
    "Commands:\n"
    "  gateway [run]           run the gateway in the foreground (see `openclaw gateway --help`)\n"
    "  gateway health|call|status|probe ...   ask a running gateway (probe --ssh: through an SSH tunnel)\n"
    "  gateway discover        find gateways by their Bonjour beacons (LAN and wide-area DNS-SD)\n"
    "  gateway install|start|stop|restart|uninstall   the gateway as a background service\n"
    "  plugins list|info       discovered plugins, their ABI, status and errors\n"
    "  plugins enable|disable <id>...   switch plugins on or off (plugins.entries.<id>.enabled)\n"
    "  config file|get|set|unset|validate   read and edit the config by dot path\n"
    "  devices list|approve|reject|remove|rename|rotate|revoke|clear   device pairing and device tokens\n"
    "  nodes list|status|pending|approve|reject|remove|rename|describe|invoke   nodes and their commands\n"
    "  setup                   create a minimal working config (gateway.mode=local, a token)\n"
    "\n"
    "This build contains: the gateway (token, password and none auth; TLS), the query and service\n"
    "commands, and the plugin host with its bundled plugins: auth-token, auth-password, tailscale\n"
    "(serve/funnel, tailnet bind, identity auth), bonjour (beacons, `gateway discover`) and ssh-tunnel\n"
    "(`probe --ssh`, remote gateways over SSH); `openclaw plugins list` shows each plugin's state.\n"
    "\n"
    "Global options:\n"
    "  --profile <name>        isolate state under ~/.openclaw-<name>\n"
    "  --dev                   isolate state under ~/.openclaw-dev (default port 19001)\n"
    "  --no-color              no ANSI colours (also NO_COLOR=1)\n"
    "  -V, --version           print the version\n"
    "  -h, --help              show this help\n";

} // namespace

int main(int argc, char** argv) {
    // Before any thread: the bonjour plugin uses Avahi's dns_sd.h compatibility layer, which otherwise prints
    // a warning about itself on every use.
    ::setenv("AVAHI_COMPAT_NOWARN", "1", 0);
    Context ctx;
    ctx.argv.assign(argv, argv + argc);
    size_t i = 1;
    try {
        // Global flags come before the command.
        for (; i < ctx.argv.size(); ++i) {
            const std::string& a = ctx.argv[i];
            if (a == "--dev") {
                ctx.profile.dev = true;
            } else if (a == "--profile") {
                if (i + 1 >= ctx.argv.size())
                    throw UsageError("option \"--profile <name>\" argument missing");
                ctx.profile.profile = ctx.argv[++i];
            } else if (a.rfind("--profile=", 0) == 0) {
                ctx.profile.profile = a.substr(10);
            } else if (a == "--no-color") {
                ctx.noColor = true;
            } else if (a == "--version" || a == "-V") {
                std::cout << "openclaw " << OPENCLAW_VERSION << " (native " << OPENCLAW_NATIVE_VERSION
                          << ")\n";
                return 0;
            } else if (a == "--help" || a == "-h") {
                std::cout << kUsage;
                return 0;
            } else {
                break;
            }
        }
        if (i >= ctx.argv.size()) {
            std::cerr << kUsage;
            return 1;
        }
        const std::string cmd = ctx.argv[i];
        if (cmd == "gateway") return runGateway(ctx, i + 1);
        if (cmd == "devices") return runDevices(ctx, i + 1);
        if (cmd == "nodes") return runNodes(ctx, i + 1);
        if (cmd == "plugins") return runPlugins(ctx, i + 1);
        if (cmd == "config") return runConfig(ctx, i + 1);
        if (cmd == "setup") return runSetup(ctx, i + 1);
        std::cerr << "OpenClaw does not recognize command \"" << cmd << "\".\n" << kUsage;
        return 1;
    } catch (const ExitCode& e) {
        return e.code;
    } catch (const UsageError& e) {
        std::cerr << e.what() << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "openclaw: " << e.what() << "\n";
        return 1;
    }
}
