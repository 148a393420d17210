// `openclaw gateway [run]` and dispatch of the other `gateway` subcommands.
#include "Args.h"
#include "Context.h"

#include "server/GatewayRunner.h"

#include <iostream>

namespace openclaw::cli {

namespace {

const std::vector<OptionSpec> kRunSpecs = {
    {"port", true, "WebSocket port (default: config/env, usually 18789)", "port"},
    {"bind", true, "listener bind mode: loopback|lan|tailnet|auto|custom", "mode"},
    {"auth", true, "auth mode override: token|password|none", "mode"},
    {"token", true, "gateway token (also sets OPENCLAW_GATEWAY_TOKEN for the process)", "token"},
    {"password", true, "gateway password (prefer --password-file)", "password"},
    {"password-file", true, "read the gateway password from a file", "path"},
    {"tailscale", true, "expose through Tailscale: off|serve|funnel", "mode"},
    {"tailscale-reset-on-exit", false, "reset Tailscale serve/funnel on shutdown"},
    {"allow-unconfigured", false, "start without gateway.mode=local in config"},
    {"dev", false, "create the dev config and workspace if missing"},
    {"reset", false, "reset dev config, credentials, sessions and workspace (requires --dev)"},
    {"force", false, "stop whatever listens on the port first"},
    {"verbose", false, "verbose logs"},
    {"claude-cli-logs", false, "console shows only claude-cli logs"},
    {"ws-log", true, "WebSocket log style: auto|full|compact (default auto)", "style"},
    {"compact", false, "alias of --ws-log compact"},
    {"raw-stream", false, "log raw plugin stream events as JSONL"},
    {"raw-stream-path", true, "path of the raw stream JSONL file", "path"},
    {"help", false, "show this help"},
};

/// `openclaw gateway --help`: the run options, then every subcommand and examples (the reference's layout).
std::string gatewayHelp() {
    std::string out =
        renderHelp("openclaw gateway [options] [command]",
                   "Run, inspect, and query the WebSocket Gateway. Without a command: `run`.", kRunSpecs);
    out +=
        "\nCommands:\n"
        "  run                             Run the WebSocket Gateway (foreground)\n"
        "  health                          Fetch Gateway health\n"
        "  call <method>                   Call a Gateway method\n"
        "  events                          Print the Gateway's events as they come (until Ctrl-C)\n"
        "  status                          Show gateway service status + probe connectivity/capability\n"
        "  probe                           Show gateway reachability, auth capability, and read-probe "
        "summary\n"
        "  install                         Install and start the Gateway service (systemd user unit or "
        "supervisor)\n"
        "  start                           Start the Gateway service\n"
        "  stop                            Stop the Gateway service\n"
        "  restart                         Restart the Gateway service\n"
        "  uninstall                       Uninstall the Gateway service\n"
        "  discover                        Discover gateways via Bonjour (local. and the wide-area domain)\n"
        "\nExamples:\n"
        "  openclaw gateway run\n"
        "    Run the gateway in the foreground.\n"
        "  openclaw gateway status\n"
        "    Show service status plus connectivity/capability.\n"
        "  openclaw gateway call health\n"
        "    Call a gateway RPC method directly.\n"
        "  openclaw gateway probe --url wss://gw.example:18789 --token <token>\n"
        "    Check a remote gateway as well as the local one.\n"
        "\nEach command has its own options: openclaw gateway <command> --help\n";
    return out;
}

int runForeground(Context& ctx, size_t argIndex, bool explicitRun) {
    Args args = Args::parse(ctx.argv, argIndex, kRunSpecs);
    if (args.has("help")) {
        if (!explicitRun) {
            std::cout << gatewayHelp();
            return 0;
        }
        std::cout << renderHelp(
            "openclaw gateway run [options]",
            "Runs the gateway in the foreground. Refuses to start without gateway.mode=local\n"
            "(unless --allow-unconfigured) and refuses a non-loopback bind without auth (exit 78).\n"
            "SIGUSR1 restarts in-process when commands.restart allows it; SIGINT/SIGTERM stop.",
            kRunSpecs);
        return 0;
    }
    if (!args.positionals().empty())
        throw UsageError("unexpected argument \"" + args.positionals().front() +
                         "\" (see `openclaw gateway --help`)");
    server::RunOptions o;
    if (auto p = args.integer("port")) {
        if (*p < 1 || *p > 65535)
            throw UsageError("option --port: " + std::to_string(*p) + " is not a port (1..65535)");
        o.overrides.port = static_cast<int>(*p);
    }
    o.overrides.bind = args.value("bind");
    o.overrides.authMode = args.value("auth");
    o.overrides.token = args.value("token");
    o.overrides.password = args.value("password");
    o.passwordOnArgv = args.has("password");
    o.passwordFile = args.value("password-file");
    o.overrides.tailscaleMode = args.value("tailscale");
    if (args.has("tailscale-reset-on-exit")) o.overrides.tailscaleResetOnExit = true;
    o.allowUnconfigured = args.has("allow-unconfigured");
    if (args.has("dev")) ctx.profile.dev = true;
    o.reset = args.has("reset");
    o.force = args.has("force");
    o.verbose = args.has("verbose");
    o.claudeCliLogs = args.has("claude-cli-logs");
    const std::string wsLog = args.value("ws-log").value_or(args.has("compact") ? "compact" : "auto");
    const auto style = config::parseName<config::WsLogStyle>(wsLog);
    if (!style) throw UsageError("option --ws-log: \"" + wsLog + "\" is not one of auto, full, compact");
    o.wsLog = *style;
    o.rawStream = args.has("raw-stream");
    o.rawStreamPath = args.value("raw-stream-path").value_or("");
    return server::runGateway(ctx.env, ctx.profile, o);
}

} // namespace

int runGateway(Context& ctx, size_t argIndex) {
    std::string sub = argIndex < ctx.argv.size() ? ctx.argv[argIndex] : "";
    if (sub.empty() || sub.rfind('-', 0) == 0) return runForeground(ctx, argIndex, false);
    if (sub == "run") return runForeground(ctx, argIndex + 1, true);
    if (sub == "health" || sub == "call") return runQuery(ctx, sub, argIndex + 1);
    if (sub == "status") return runStatus(ctx, argIndex + 1);
    if (sub == "probe") return runProbe(ctx, argIndex + 1);
    if (sub == "discover") return runDiscover(ctx, argIndex + 1);
    if (sub == "events") return runEvents(ctx, argIndex + 1);
    if (sub == "install" || sub == "start" || sub == "stop" || sub == "restart" || sub == "uninstall" ||
        sub == "supervise")
        return runService(ctx, sub, argIndex + 1);
    throw UsageError(
        "unknown gateway command \"" + sub +
        "\" (run, health, call, events, status, probe, discover, install, start, stop, restart, uninstall)");
}

} // namespace openclaw::cli
