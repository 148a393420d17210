#include "server/GatewayRunner.h"

#include "log/Logger.h"
#include "server/DevProfile.h"
#include "server/StartupSignals.h"

#include <csignal>
#include <fstream>
#include <functional>
#include <iostream>

namespace openclaw::server {

namespace {

/// A start that a SIGINT or SIGTERM ended: the gateway stopped as asked (exit 0).
constexpr int kStoppedDuringStartup = -2;

void configureLogging(const RunOptions& opts) {
    auto& log = log::Logger::get();
    log::ConsoleOptions console;
    console.verbose = opts.verbose;
    if (opts.claudeCliLogs) console.onlySubsystem = "claude-cli";
    log.setConsole(console);
    // Debug lines (per-frame ws logs in auto mode) reach the file only when asked for: writing them
    // for every request would cost more than serving it.
    log.setFileLevel(opts.verbose ? log::Level::Debug : log::Level::Info);
}

/// --password-file into the overrides; 0 or kExitConfig with the reason printed.
int readPasswordFile(RunOptions& opts) {
    if (!opts.passwordFile) return 0;
    std::ifstream in(*opts.passwordFile);
    if (!in) {
        std::cerr << "Cannot read --password-file " << *opts.passwordFile
                  << " (check the path and permissions).\n";
        return kExitConfig;
    }
    std::string pw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    while (!pw.empty() && (pw.back() == '\n' || pw.back() == '\r'))
        pw.pop_back();
    if (pw.empty()) {
        std::cerr << "--password-file " << *opts.passwordFile << " is empty.\n";
        return kExitConfig;
    }
    opts.overrides.password = pw;
    return 0;
}

/// As the reference: --token/--password also set the variables for this process (and plugins).
void exportSecrets(const config::Overrides& overrides, config::Environment& env) {
    if (overrides.token) {
        ::setenv("OPENCLAW_GATEWAY_TOKEN", overrides.token->c_str(), 1);
        env.set("OPENCLAW_GATEWAY_TOKEN", *overrides.token);
    }
    if (overrides.password) {
        ::setenv("OPENCLAW_GATEWAY_PASSWORD", overrides.password->c_str(), 1);
        env.set("OPENCLAW_GATEWAY_PASSWORD", *overrides.password);
    }
}

/// Blocks SIGINT, SIGTERM and SIGUSR1 in every thread (threads started later inherit the mask); the
/// main thread takes them with sigwait.
sigset_t blockGatewaySignals() {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    return signals;
}

LifecycleOptions lifecycleOptions(const RunOptions& opts, const config::Environment& env,
                                  const config::Paths& paths) {
    LifecycleOptions o;
    o.allowUnconfigured = opts.allowUnconfigured;
    o.force = opts.force;
    o.wsLog = opts.wsLog;
    o.bundledPluginDirs = opts.bundledPluginDirs;
    if (opts.rawStream || !opts.rawStreamPath.empty())
        o.rawStreamPath =
            opts.rawStreamPath.empty() ? paths.stateDir + "/logs/raw-stream.jsonl" : opts.rawStreamPath;
    // Operators keep the reference's 30 s; tests and benchmarks shorten it.
    if (auto tick = env.get("OPENCLAW_TICK_INTERVAL_MS"))
        o.tickIntervalMs = std::max(100, std::atoi(tick->c_str()));
    if (auto ping = env.get("OPENCLAW_PING_INTERVAL_MS"))
        o.pingIntervalMs = std::max(100, std::atoi(ping->c_str()));
    return o;
}

const char* signalName(int sig) {
    return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "SIGUSR1";
}

/// Runs a start (or a reload's restart) while watching SIGINT/SIGTERM, so a stop request during a slow
/// phase stops the gateway as promptly as once it is ready. On failure stops what came up.
int watchedStart(GatewayLifecycle& lc, const std::function<int(const std::atomic<int>*)>& phases,
                 const std::string& failure) {
    auto& log = log::Logger::get();
    int code = 1;
    StartupSignals stops;
    try {
        code = phases(&stops.flag());
    } catch (const std::exception& e) {
        log.error("gateway", e.what());
        code = 1;
    }
    if (const int stopSignal = stops.finish(); stopSignal != 0) {
        // A signal that came as the last phase finished is an ordinary stop of a ready gateway.
        log.info("gateway", std::string("received ") + signalName(stopSignal) +
                                (code == 0 ? "" : " during start-up") + "; shutting down");
        lc.stop(signalName(stopSignal));
        log.info("gateway", "stopped");
        return kStoppedDuringStartup;
    }
    if (code != 0) lc.stop(failure);
    return code;
}

/// Until SIGINT or SIGTERM: SIGUSR1 reloads. Returns the exit code.
int signalLoop(GatewayLifecycle& lc, const sigset_t& signals) {
    auto& log = log::Logger::get();
    while (true) {
        int sig = 0;
        if (sigwait(&signals, &sig) != 0) continue;
        if (sig == SIGUSR1) {
            const int rc = watchedStart(
                lc, [&](const std::atomic<int>* stop) { return lc.reload(stop); }, "restart failed");
            if (rc != 0) return rc == kStoppedDuringStartup ? 0 : rc;
            continue;
        }
        log.info("gateway", std::string("received ") + signalName(sig) + "; shutting down");
        lc.stop(signalName(sig));
        log.info("gateway", "stopped");
        return 0;
    }
}

} // namespace

int runGateway(const config::Environment& envIn, const config::ProfileOptions& profile, RunOptions opts) {
    auto& log = log::Logger::get();
    configureLogging(opts);
    config::Environment env = envIn;
    if (opts.reset && !profile.dev) {
        std::cerr << "--reset requires --dev (it only resets the dev profile).\n";
        return 1;
    }
    if (opts.passwordOnArgv)
        log.warn("", "Warning: --password can be exposed via process listings. Prefer --password-file or "
                     "OPENCLAW_GATEWAY_PASSWORD.");
    if (int rc = readPasswordFile(opts); rc != 0) return rc;
    exportSecrets(opts.overrides, env);
    const sigset_t signals = blockGatewaySignals();
    const config::Paths paths = config::resolvePaths(env, profile, &config::fileExists);
    try {
        if (profile.dev) prepareDevProfile(paths, opts.reset);
    } catch (const std::exception& e) {
        std::cerr << "Cannot prepare the dev profile: " << e.what() << "\n";
        return kExitConfig;
    }

    GatewayLifecycle lc(env, profile, opts.overrides, lifecycleOptions(opts, env, paths));
    config::GatewayConfigPtr cfg;
    try {
        log.info("gateway", "loading configuration…");
        cfg = lc.loadConfig();
    } catch (const std::exception& e) {
        std::cerr << "Invalid config: " << e.what() << "\n";
        return kExitConfig;
    }
    if (!log.openFile(cfg->paths.logFile()))
        log.warn("gateway",
                 "cannot open the log file " + cfg->paths.logFile() + "; logging to the console only");
    lc.useConfig(cfg);

    const int rc = watchedStart(
        lc, [&](const std::atomic<int>* stop) { return lc.start(stop); }, "startup failed");
    if (rc != 0) return rc == kStoppedDuringStartup ? 0 : rc;
    return signalLoop(lc, signals);
}

} // namespace openclaw::server
