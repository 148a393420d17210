#include "server/GatewayRunner.h"

#include "config/ConfigWriter.h"

#include "config/AtomicFile.h"
#include "log/Logger.h"
#include "plugins/PluginHost.h"
#include "server/GatewayServer.h"
#include "server/PortOwners.h"
#include "server/StartupSignals.h"
#include "tls/TlsModule.h"

#include <Poco/Net/IPAddress.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sys/stat.h>

namespace openclaw::server {

namespace {

bool exists(const std::string& p) {
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0;
}

bool ipv6LoopbackAvailable() {
    std::ifstream in("/proc/net/if_inet6");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("00000000000000000000000000000001", 0) == 0) return true;
    return false;
}

bool inContainer() {
    return exists("/.dockerenv") || exists("/run/.containerenv");
}

void removeTree(const std::string& path) {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
}

/// --dev: create the dev config and workspace when missing (--reset first wipes them).
bool prepareDev(const config::Paths& paths, bool reset) {
    auto& log = log::Logger::get();
    if (reset) {
        for (const char* sub : {"credentials", "sessions", "workspace", "agents"})
            removeTree(paths.stateDir + "/" + sub);
        std::error_code ec;
        std::filesystem::remove(paths.configPath, ec);
        log.info("", "Dev state reset: " + paths.stateDir + " (config, credentials, sessions, workspace)");
    }
    if (!config::fileExists(paths.configPath)) {
        std::string token = config::generateGatewayToken();
        std::string text =
            "{\n  // Created by `openclaw --dev gateway run`.\n  \"gateway\": {\n    \"mode\": \"local\",\n"
            "    \"bind\": \"loopback\",\n    \"auth\": {\n      \"mode\": \"token\",\n      \"token\": \"" +
            token + "\"\n    }\n  }\n}\n";
        config::writeFileAtomic(paths.configPath, text, 0600);
        log.info("", "Dev config ready: " + paths.configPath);
        // Shown once on the terminal only (never in the log file): the operator needs it to connect.
        std::cout << "Gateway token (stored in " << paths.configPath << "; shown only now): " << token
                  << std::endl;
    }
    std::string workspace = paths.stateDir + "/workspace";
    if (!exists(workspace)) {
        config::makeDirs(workspace);
        log.info("", "Dev workspace ready: " + workspace);
    }
    return true;
}

std::string joinHosts(const std::vector<std::string>& hosts, int port, const std::string& scheme) {
    std::string out;
    for (const auto& h : hosts)
        out += (out.empty() ? "" : ", ") + scheme + (h.find(':') != std::string::npos ? "[" + h + "]" : h) +
               ":" + std::to_string(port);
    return out;
}

} // namespace

bool allLoopback(const std::vector<std::string>& hosts) {
    for (const auto& h : hosts) {
        Poco::Net::IPAddress a;
        if (!Poco::Net::IPAddress::tryParse(h, a) || !a.isLoopback()) return false;
    }
    return !hosts.empty();
}

std::vector<std::string> bindHosts(const config::GatewayConfig& cfg, const std::string& tailnetAddress) {
    std::vector<std::string> loopback = {"127.0.0.1"};
    if (ipv6LoopbackAvailable()) loopback.push_back("::1");
    if (cfg.bind == "loopback") return loopback;
    if (cfg.bind == "lan") return {"0.0.0.0"};
    if (cfg.bind == "auto") return inContainer() ? std::vector<std::string>{"0.0.0.0"} : loopback;
    if (cfg.bind == "custom") {
        if (cfg.customBindHost == "127.0.0.1" || cfg.customBindHost == "0.0.0.0") return {cfg.customBindHost};
        return {cfg.customBindHost, "127.0.0.1"};
    }
    if (cfg.bind == "tailnet") {
        if (tailnetAddress.empty()) return loopback;
        return {tailnetAddress, "127.0.0.1"};
    }
    throw std::runtime_error("unknown bind mode " + cfg.bind);
}

std::string checkGuards(const config::GatewayConfig& cfg, const std::vector<std::string>& hosts,
                        bool allowUnconfigured) {
    if (!allowUnconfigured && cfg.mode != "local") {
        if (!cfg.fileExists || cfg.mode.empty())
            return "Missing config. Run `openclaw setup` or set gateway.mode=local (or pass "
                   "--allow-unconfigured).";
        return "Gateway start blocked: set gateway.mode=local (current: " + cfg.mode +
               ") or pass --allow-unconfigured";
    }
    const std::string& mode = cfg.auth.mode;
    bool hasSecret = (mode == "token" && cfg.auth.token) || (mode == "password" && cfg.auth.password) ||
                     mode == "trusted-proxy";
    if (!allLoopback(hosts) && !hasSecret) {
        std::string msg = "Refusing to bind gateway to " + cfg.bind + " without auth.\n";
        if (inContainer())
            msg += "Container environment detected — the gateway defaults to bind=auto (0.0.0.0) for "
                   "port-forwarding compatibility.\n";
        return msg +
               "Set OPENCLAW_GATEWAY_TOKEN or OPENCLAW_GATEWAY_PASSWORD, or pass --token/--password to start "
               "with auth.";
    }
    if (cfg.tailscale.mode == "funnel" && mode != "password")
        return "tailscale funnel requires gateway auth mode=password (set gateway.auth.password or "
               "OPENCLAW_GATEWAY_PASSWORD)";
    if (cfg.tailscale.mode != "off" && cfg.bind != "loopback")
        return "tailscale serve/funnel requires gateway bind=loopback (127.0.0.1)";
    if (mode == "token" && !cfg.auth.token)
        return "Gateway auth mode=token but no token is configured. Set gateway.auth.token or "
               "OPENCLAW_GATEWAY_TOKEN, or pass --token.";
    if (mode == "password" && !cfg.auth.password)
        return "Gateway auth mode=password but no password is configured. Set gateway.auth.password or "
               "OPENCLAW_GATEWAY_PASSWORD, or pass --password-file.";
    return "";
}

int runGateway(const config::Environment& envIn, const config::ProfileOptions& profile, RunOptions opts) {
    auto& log = log::Logger::get();
    log::ConsoleOptions console;
    console.verbose = opts.verbose;
    if (opts.claudeCliLogs) console.onlySubsystem = "claude-cli";
    log.setConsole(console);
    // Debug lines (per-frame ws logs in auto mode) reach the file only when asked for: writing them
    // for every request would cost more than serving it.
    log.setFileLevel(opts.verbose ? log::Level::Debug : log::Level::Info);
    config::Environment env = envIn;

    if (opts.reset && !profile.dev) {
        std::cerr << "--reset requires --dev (it only resets the dev profile).\n";
        return 1;
    }
    if (opts.passwordOnArgv)
        log.warn("", "Warning: --password can be exposed via process listings. Prefer --password-file or "
                     "OPENCLAW_GATEWAY_PASSWORD.");
    if (opts.passwordFile) {
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
    }
    // As the reference: --token/--password also set the variables for this process (and plugins).
    if (opts.overrides.token) {
        ::setenv("OPENCLAW_GATEWAY_TOKEN", opts.overrides.token->c_str(), 1);
        env.set("OPENCLAW_GATEWAY_TOKEN", *opts.overrides.token);
    }
    if (opts.overrides.password) {
        ::setenv("OPENCLAW_GATEWAY_PASSWORD", opts.overrides.password->c_str(), 1);
        env.set("OPENCLAW_GATEWAY_PASSWORD", *opts.overrides.password);
    }

    // Block the signals in every thread; the main thread takes them with sigwait.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    try {
        if (profile.dev) prepareDev(config::resolvePaths(env, profile, &config::fileExists), opts.reset);
    } catch (const std::exception& e) {
        std::cerr << "Cannot prepare the dev profile: " << e.what() << "\n";
        return kExitConfig;
    }

    auto load = [&]() -> config::GatewayConfigPtr {
        return std::make_shared<const config::GatewayConfig>(
            config::loadConfig(env, profile, opts.overrides));
    };
    config::GatewayConfigPtr cfg;
    try {
        log.info("gateway", "loading configuration…");
        cfg = load();
    } catch (const config::ConfigError& e) {
        std::cerr << "Invalid config: " << e.what() << "\n";
        return kExitConfig;
    } catch (const std::exception& e) {
        std::cerr << "Invalid config: " << e.what() << "\n";
        return kExitConfig;
    }
    if (!log.openFile(cfg->paths.logFile()))
        log.warn("gateway",
                 "cannot open the log file " + cfg->paths.logFile() + "; logging to the console only");
    for (const auto& w : cfg->warnings)
        log.warn("config", w);
    log.info("gateway", "resolving authentication…");
    if (cfg->auth.mode == "none")
        log.warn("gateway",
                 "auth mode=none explicitly configured; all gateway connections are unauthenticated.");

    std::vector<std::string> bundled = opts.bundledPluginDirs;
    if (bundled.empty()) bundled.push_back(plugins::PluginHost::defaultBundledDir());

    std::unique_ptr<plugins::PluginHost> host;
    std::unique_ptr<GatewayServer> server;
    bool exposureStarted = false;

    // Brings everything up for `cfg`; returns an exit code (0 = running). A stop request seen by
    // `stops` ends it between phases (and ends a wait for a plugin's init).
    constexpr int kInterrupted = -1;
    auto bringUp = [&](const StartupSignals& stops) -> int {
        host = std::make_unique<plugins::PluginHost>(cfg, bundled);
        host->discover();
        std::string tailnetAddress;
        plugins::LoadedPlugin* exposure = nullptr;
        auto needExposure = [&]() { return cfg->tailscale.mode != "off" || cfg->bind == "tailnet"; };
        // Guards that need no plugin come first, so a refused start loads no code.
        std::vector<std::string> hosts = bindHosts(*cfg, "");
        if (std::string refusal =
                checkGuards(*cfg, cfg->bind == "tailnet" ? std::vector<std::string>{"127.0.0.1"} : hosts,
                            opts.allowUnconfigured);
            !refusal.empty()) {
            // The reference prints the missing-config refusal bare; the others as log lines.
            if (refusal.rfind("Missing config.", 0) == 0)
                std::cerr << refusal << "\n";
            else
                log.error("", refusal);
            return kExitConfig;
        }
        const plugins::PluginRecord* ts = host->find("tailscale");
        if (needExposure() && (!ts || !ts->enabled)) {
            log.error("", "--tailscale/" +
                              std::string(cfg->bind == "tailnet" ? "bind=tailnet" : "tailscale.mode") +
                              " needs the tailscale plugin, which is " +
                              (ts ? "disabled (" + ts->enabledReason + ")" : "not installed") +
                              ". Enable it with plugins.entries.tailscale.enabled: true.");
            return kExitConfig;
        }
        ServerSettings settings;
        settings.port = cfg->port;
        // Operators keep the reference's 30 s; tests and benchmarks shorten it.
        if (auto tick = env.get("OPENCLAW_TICK_INTERVAL_MS"))
            settings.tickIntervalMs = std::max(100, std::atoi(tick->c_str()));
        if (auto ping = env.get("OPENCLAW_PING_INTERVAL_MS"))
            settings.pingIntervalMs = std::max(100, std::atoi(ping->c_str()));
        settings.wsLog = opts.wsLog;
        if (opts.rawStream || !opts.rawStreamPath.empty())
            settings.rawStreamPath = opts.rawStreamPath.empty()
                                         ? cfg->paths.stateDir + "/logs/raw-stream.jsonl"
                                         : opts.rawStreamPath;
        // The server exists before the plugins so that their create() already has host services.
        server = std::make_unique<GatewayServer>(cfg, *host, settings);
        host->load(server.get(), &stops.flag());
        if (stops.received()) return kInterrupted;
        server->attachPlugins();
        // Every mode but none needs a plugin that serves it; a start that would refuse every client is
        // refused itself.
        if (cfg->auth.mode != "none" && !host->authPlugin(cfg->auth.mode)) {
            const std::string id = "auth-" + cfg->auth.mode;
            log.error("",
                      "auth mode " + cfg->auth.mode + " is not served by any enabled plugin (" +
                          (host->find(id) ? "enable " + id + " with plugins.entries." + id + ".enabled: true"
                                          : "no installed plugin provides it") +
                          "; see `openclaw plugins list`).");
            return kExitConfig;
        }
        if (needExposure()) exposure = host->withCapability(OC_CAP_EXPOSURE);
        if (cfg->bind == "tailnet") {
            if (exposure) {
                // resolve_bind through the ABI; an empty answer means no tailnet address yet.
                oc_sink sink{&tailnetAddress, [](void* c, const char* d, size_t n) {
                                 static_cast<std::string*>(c)->append(d, n);
                             }};
                if (exposure->descriptor().exposure->resolve_bind(exposure->instance(), &sink) != OC_OK)
                    tailnetAddress.clear();
                try {
                    if (!tailnetAddress.empty())
                        tailnetAddress =
                            json::getString(json::asObject(json::parse(tailnetAddress)), "address")
                                .value_or("");
                } catch (...) {
                    tailnetAddress.clear();
                }
            }
            if (tailnetAddress.empty())
                log.warn("gateway", "bind=tailnet: no tailnet address available; listening on loopback only");
            hosts = bindHosts(*cfg, tailnetAddress);
        }
        if (opts.force) {
            for (const PortOwner& o : findPortOwners(cfg->port)) {
                if (o.pid == ::getpid()) continue;
                stopProcess(o.pid);
                log.info("gateway", "--force: stopped pid " + std::to_string(o.pid) + " (" + o.command +
                                        ") listening on " + o.address);
            }
        }
        if (stops.received()) return kInterrupted;
        log.info("gateway", "starting...");
        server->setHosts(hosts);
        if (cfg->tls.enabled) {
            try {
                tls::TlsMaterial material = tls::ensureCertificate(cfg->tls, cfg->paths.stateDir);
                if (material.generated)
                    log.info("gateway", "generated a self-signed TLS certificate: " + material.certPath);
                log.info("gateway", "TLS enabled; certificate sha256 " + material.sha256 + " (" +
                                        material.certPath + ")");
                server->setTls(material);
            } catch (const std::exception& e) {
                log.error("gateway", e.what());
                return kExitConfig;
            }
        }
        if (stops.received()) return kInterrupted;
        try {
            server->start();
        } catch (const std::exception& e) {
            log.error("gateway", e.what());
            return 1;
        }
        if (cfg->tailscale.mode != "off" && exposure) {
            plugins::LoadedPlugin* ex = host->withCapability(OC_CAP_EXPOSURE);
            json::ObjectPtr req = json::makeObject();
            req->set("port", cfg->port);
            req->set("mode", cfg->tailscale.mode);
            req->set("resetOnExit", cfg->tailscale.resetOnExit);
            auto r = ex ? ex->exposureStart(json::stringify(req)) : plugins::LoadedPlugin::CallResult{};
            if (r.status == OC_OK)
                exposureStarted = true;
            else
                log.warn("tailscale", "tailscale " + cfg->tailscale.mode + " failed: " + r.error +
                                          " (the gateway keeps running on loopback)");
        }
        std::string names;
        for (auto* p : host->loaded())
            names += (names.empty() ? "" : ", ") + p->record().manifest.id;
        log.info("gateway", "listening on " +
                                joinHosts(hosts, cfg->port, cfg->tls.enabled ? "wss://" : "ws://") +
                                " (auth=" + cfg->auth.mode + "; " + std::to_string(host->loaded().size()) +
                                " plugins: " + names + ")");
        log.info("gateway", "log file: " + log.filePath());
        log.info("gateway", "ready");
        return 0;
    };

    auto tearDown = [&](const std::string& reason) {
        if (exposureStarted && cfg->tailscale.resetOnExit) {
            if (plugins::LoadedPlugin* ex = host->withCapability(OC_CAP_EXPOSURE)) {
                auto r = ex->exposureStop();
                if (r.status != OC_OK) log.warn("tailscale", "reset on exit failed: " + r.error);
            }
        }
        exposureStarted = false;
        if (server) server->stop(reason, 1012);
        // Plugins go before the server: their destroy() may still call host services.
        if (host) host->unload();
        server.reset();
        host.reset();
    };

    // Brings everything up; on failure tears down what came up and returns the exit code. SIGINT or
    // SIGTERM during it stops the gateway as promptly as once it is ready (kStoppedDuringStartup).
    constexpr int kStoppedDuringStartup = -2;
    auto tryBringUp = [&](const std::string& failure) -> int {
        int code = 1;
        StartupSignals stops;
        try {
            code = bringUp(stops);
        } catch (const std::exception& e) {
            log.error("gateway", e.what());
        }
        const int stopSignal = stops.finish();
        if (stopSignal != 0) {
            const std::string name = stopSignal == SIGINT ? "SIGINT" : "SIGTERM";
            // A signal that came as the last phase finished is an ordinary stop of a ready gateway.
            log.info("gateway",
                     "received " + name + (code == 0 ? "" : " during start-up") + "; shutting down");
            tearDown(name);
            log.info("gateway", "stopped");
            return kStoppedDuringStartup;
        }
        if (code != 0) tearDown(failure);
        return code;
    };

    if (int rc = tryBringUp("startup failed"); rc != 0) return rc == kStoppedDuringStartup ? 0 : rc;

    while (true) {
        int sig = 0;
        if (sigwait(&signals, &sig) != 0) continue;
        if (sig == SIGUSR1) {
            if (!cfg->restartCommandEnabled) {
                log.warn("gateway",
                         "SIGUSR1 received but restart is disabled (commands.restart=false); ignoring");
                continue;
            }
            log.info("gateway",
                     "SIGUSR1: restarting in-process (re-reading config, reloading plugins, rebinding)");
            config::GatewayConfigPtr next;
            try {
                next = load();
            } catch (const std::exception& e) {
                log.error("gateway", std::string("restart aborted, config is invalid: ") + e.what() +
                                         " (still running with the previous config)");
                continue;
            }
            tearDown("restart");
            cfg = next;
            for (const auto& w : cfg->warnings)
                log.warn("config", w);
            if (int rc = tryBringUp("restart failed"); rc != 0) return rc == kStoppedDuringStartup ? 0 : rc;
            continue;
        }
        log.info("gateway",
                 std::string("received ") + (sig == SIGINT ? "SIGINT" : "SIGTERM") + "; shutting down");
        tearDown(sig == SIGINT ? "SIGINT" : "SIGTERM");
        log.info("gateway", "stopped");
        return 0;
    }
}

} // namespace openclaw::server
