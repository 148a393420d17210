#include "service/Supervisor.h"

#include "files/AtomicFile.h"
#include "log/Logger.h"
#include "process/Stop.h"
#include "json/Json.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace openclaw::service {

namespace {

std::string readAll(const std::string& path) {
    return files::readWholeFile(path).value_or("");
}

/// The supervisor's own bookkeeping.
struct State {
    std::string since;
    int restarts = 0;
    std::optional<int> lastExit;
    bool running = false;
    std::string note;
};

void writeState(const SupervisorFiles& f, const State& s) {
    json::ObjectPtr o = json::makeObject();
    o->set("since", s.since);
    o->set("restarts", s.restarts);
    o->set("lastExit", s.lastExit ? json::Var(*s.lastExit) : json::Var());
    o->set("running", s.running);
    o->set("note", s.note);
    files::writeFileAtomic(f.state(), json::stringify(o, 2) + "\n", 0600);
}

std::string isoNow() {
    return log::timestamp();
}

class Loop {
  public:
    explicit Loop(SupervisorFiles files) : f_(std::move(files)) {}

    int run() {
        const sigset_t set = blockSignals();
        files::writeFileAtomic(f_.supervisorPid(), std::to_string(::getpid()) + "\n", 0644);
        const ServiceSpec spec = readSupervisorSpec(f_);
        logLine("supervisor started (pid " + std::to_string(::getpid()) + ") for " + spec.argv.front());
        stopTimeoutMs_ = 10000;
        if (const char* t = std::getenv("OPENCLAW_SUPERVISOR_STOP_TIMEOUT_MS"))
            stopTimeoutMs_ = std::max(100, std::atoi(t));
        int backoffMs = 0;
        while (true) {
            const auto started = std::chrono::steady_clock::now();
            if (!spawn(spec))
                return finish(1, "cannot start the gateway: " + std::string(std::strerror(errno)));
            const int exitCode = waitForChild(set);
            std::remove(f_.gatewayPid().c_str());
            if (exitCode == kStopRequested) return finish(0, "stopped on request");
            if (exitCode == kRestartRequested) {
                backoffMs = 0;
                continue;
            }
            state_.lastExit = exitCode;
            state_.running = false;
            if (exitCode == 78)
                return finish(0,
                              "gateway exited with 78 (config error): not restarting; fix the config, then "
                              "run `openclaw gateway start`");
            backoffMs = nextBackoff(backoffMs, std::chrono::steady_clock::now() - started, exitCode);
            if (stopRequestedWithin(set, backoffMs)) return finish(0, "stopped on request");
        }
    }

  private:
    static constexpr int kStopRequested = -1;    ///< SIGTERM or SIGINT: the child is stopped
    static constexpr int kRestartRequested = -2; ///< SIGHUP: the child is stopped, start it again now

    static sigset_t blockSignals() {
        sigset_t set;
        sigemptyset(&set);
        for (int s : {SIGTERM, SIGINT, SIGHUP, SIGCHLD})
            sigaddset(&set, s);
        ::sigprocmask(SIG_BLOCK, &set, nullptr);
        return set;
    }

    /// The child's exit code once it ends, or what a signal asked for (the child is stopped then).
    int waitForChild(const sigset_t& set) {
        while (true) {
            siginfo_t info{};
            const int sig = ::sigwaitinfo(&set, &info);
            if (sig == SIGCHLD) {
                int status = 0;
                if (::waitpid(child_, &status, WNOHANG) == child_)
                    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            } else if (sig == SIGTERM || sig == SIGINT) {
                state_.lastExit = stopChild();
                return kStopRequested;
            } else if (sig == SIGHUP) {
                logLine("restart requested");
                state_.lastExit = stopChild();
                return kRestartRequested; // not a crash
            }
        }
    }

    /// Doubles the wait after each quick crash (1 s up to 30 s); after a run of more than a minute, 1 s
    /// again.
    int nextBackoff(int backoffMs, std::chrono::steady_clock::duration ran, int exitCode) {
        backoffMs = ran > std::chrono::seconds(60) ? 1000 : std::min(30000, backoffMs ? backoffMs * 2 : 1000);
        ++state_.restarts;
        state_.note =
            "restarting after exit " + std::to_string(exitCode) + " in " + std::to_string(backoffMs) + "ms";
        writeState(f_, state_);
        logLine("gateway exited with " + std::to_string(exitCode) + "; " + state_.note);
        return backoffMs;
    }

    /// Backs off, but stays responsive to stop requests.
    static bool stopRequestedWithin(const sigset_t& set, int backoffMs) {
        timespec ts{backoffMs / 1000, (backoffMs % 1000) * 1000000L};
        siginfo_t info{};
        const int sig = ::sigtimedwait(&set, &info, &ts);
        return sig == SIGTERM || sig == SIGINT;
    }

    bool spawn(const ServiceSpec& spec) {
        std::map<std::string, std::string> env;
        for (char** e = environ; e && *e; ++e) {
            std::string kv = *e;
            size_t eq = kv.find('=');
            if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
        }
        for (const auto& [k, v] : spec.env)
            env[k] = v;
        for (const auto& [k, v] : parseEnvironmentFile(readAll(spec.environmentFile)))
            env[k] = v;
        env["OPENCLAW_SUPERVISOR_MODE"] = "external";
        // Built before fork: the child of a threaded process may only make async-signal-safe calls.
        std::vector<std::string> envs;
        envs.reserve(env.size());
        for (const auto& [k, v] : env)
            envs.push_back(k + "=" + v);
        std::vector<char*> argv;
        argv.reserve(spec.argv.size() + 1);
        for (const auto& a : spec.argv)
            argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        std::vector<char*> envp;
        envp.reserve(envs.size() + 1);
        for (auto& e : envs)
            envp.push_back(const_cast<char*>(e.c_str()));
        envp.push_back(nullptr);
        pid_t pid = ::fork();
        if (pid < 0) return false;
        if (pid == 0) {
            int logFd = ::open(f_.log().c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
            int nullFd = ::open("/dev/null", O_RDONLY);
            ::dup2(nullFd, 0);
            ::dup2(logFd, 1);
            ::dup2(logFd, 2);
            sigset_t none;
            sigemptyset(&none);
            ::sigprocmask(SIG_SETMASK, &none, nullptr);
            ::execve(argv[0], argv.data(), envp.data());
            ::_exit(127);
        }
        child_ = pid;
        files::writeFileAtomic(f_.gatewayPid(), std::to_string(pid) + "\n", 0644);
        state_.since = isoNow();
        state_.running = true;
        state_.note = "";
        writeState(f_, state_);
        logLine("gateway started (pid " + std::to_string(pid) + ")");
        return true;
    }

    /// SIGTERM, then SIGKILL after the stop timeout. Returns the exit status.
    int stopChild() {
        if (child_ <= 0) return 0;
        process::Stopped how = process::Stopped::OnTerm;
        const int code = process::stopChild(child_, std::chrono::milliseconds(stopTimeoutMs_), &how);
        if (how == process::Stopped::Killed)
            logLine("gateway did not stop within " + std::to_string(stopTimeoutMs_) + "ms; sending SIGKILL");
        child_ = 0;
        return code;
    }

    int finish(int code, const std::string& why) {
        state_.running = false;
        state_.note = why;
        writeState(f_, state_);
        logLine(why);
        std::remove(f_.gatewayPid().c_str());
        std::remove(f_.supervisorPid().c_str());
        return code;
    }

    void logLine(const std::string& msg) {
        std::ofstream out(f_.log(), std::ios::app);
        out << isoNow() << " [supervisor] " << msg << "\n";
    }

    SupervisorFiles f_;
    State state_;
    pid_t child_ = 0;
    int stopTimeoutMs_ = 10000;
};

} // namespace

void writeSupervisorSpec(const SupervisorFiles& files, const ServiceSpec& spec) {
    json::ObjectPtr o = json::makeObject();
    o->set("name", spec.name);
    json::ArrayPtr argv = json::makeArray();
    for (const auto& a : spec.argv)
        argv->add(a);
    o->set("argv", argv);
    json::ObjectPtr env = json::makeObject();
    for (const auto& [k, v] : spec.env)
        env->set(k, v);
    o->set("env", env);
    o->set("environmentFile", spec.environmentFile);
    o->set("stateDir", spec.stateDir);
    o->set("configPath", spec.configPath);
    o->set("port", spec.port);
    files::writeFileAtomic(files.spec(), json::stringify(o, 2) + "\n", 0600);
}

ServiceSpec readSupervisorSpec(const SupervisorFiles& files) {
    json::ObjectPtr o;
    try {
        o = json::asObject(json::parse(readAll(files.spec())));
    } catch (const std::exception& e) {
        throw std::runtime_error(files.spec() + ": " + e.what());
    }
    if (!o) throw std::runtime_error(files.spec() + ": not a service spec");
    ServiceSpec s;
    s.name = json::getString(o, "name").value_or("openclaw-gateway");
    if (json::ArrayPtr a = json::getArray(o, "argv"))
        for (size_t i = 0; i < a->size(); ++i)
            s.argv.push_back(a->get(static_cast<unsigned>(i)).convert<std::string>());
    if (json::ObjectPtr e = json::getObject(o, "env"))
        for (const auto& k : e->getNames())
            s.env[k] = e->getValue<std::string>(k);
    s.environmentFile = json::getString(o, "environmentFile").value_or("");
    s.stateDir = json::getString(o, "stateDir").value_or("");
    s.configPath = json::getString(o, "configPath").value_or("");
    s.port = static_cast<int>(json::getInt(o, "port").value_or(18789));
    if (s.argv.empty()) throw std::runtime_error(files.spec() + ": no command to run");
    return s;
}

int livePid(const std::string& pidFile) {
    int pid = std::atoi(readAll(pidFile).c_str());
    return process::running(pid) ? pid : 0;
}

int runSupervisor(const std::string& serviceDir) {
    try {
        return Loop(SupervisorFiles(serviceDir)).run();
    } catch (const std::exception& e) {
        std::ofstream out(SupervisorFiles(serviceDir).log(), std::ios::app);
        out << isoNow() << " [supervisor] fatal: " << e.what() << "\n";
        return 1;
    }
}

} // namespace openclaw::service
