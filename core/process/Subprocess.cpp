#include "process/Subprocess.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <map>
#include <optional>
#include <poll.h>
#include <spawn.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace openclaw::process {

namespace {

using Clock = std::chrono::steady_clock;

/// The gateway's environment with `extra` entries added or replacing same-named ones.
std::vector<std::string> childEnvironment(const std::vector<std::string>& extra) {
    std::map<std::string, std::string> vars;
    for (char** e = environ; e && *e; ++e) {
        const std::string entry = *e;
        vars[entry.substr(0, entry.find('='))] = entry;
    }
    for (const std::string& entry : extra)
        vars[entry.substr(0, entry.find('='))] = entry;
    std::vector<std::string> out;
    out.reserve(vars.size());
    for (auto& kv : vars)
        out.push_back(std::move(kv.second));
    return out;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
    std::vector<char*> out;
    out.reserve(strings.size() + 1);
    for (auto& s : strings)
        out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

/// posix_spawn attributes: its own process group, no blocked signals, every disposition the default.
struct SpawnAttributes {
    posix_spawnattr_t attr{};
    SpawnAttributes() {
        posix_spawnattr_init(&attr);
        sigset_t none;
        sigemptyset(&none);
        sigset_t all;
        sigfillset(&all);
        sigdelset(&all, SIGKILL);
        sigdelset(&all, SIGSTOP);
        posix_spawnattr_setsigmask(&attr, &none);
        posix_spawnattr_setsigdefault(&attr, &all);
        posix_spawnattr_setpgroup(&attr, 0);
        posix_spawnattr_setflags(&attr,
                                 POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
    }
    ~SpawnAttributes() { posix_spawnattr_destroy(&attr); }
};

/// Starts the child with stdin from /dev/null and stdout/stderr on pipes (our ends non-blocking).
// The children running now (each the leader of its own process group), for stopChildrenOnInterrupt's handler:
// a fixed array of atomics, because a signal handler may read nothing else.
constexpr int kTracked = 64;
std::atomic<int> gLive[kTracked];

void track(int pid) {
    for (auto& slot : gLive) {
        int free = 0;
        if (slot.compare_exchange_strong(free, pid)) return;
    }
}

void untrack(int pid) {
    for (auto& slot : gLive) {
        int mine = pid;
        if (slot.compare_exchange_strong(mine, 0)) return;
    }
}

void stopChildrenThenDie(int sig) {
    // Async-signal-safe calls only.
    for (auto& slot : gLive)
        if (const int pid = slot.load(); pid > 0) ::kill(-pid, SIGTERM);
    const timespec grace{0, 300L * 1000 * 1000};
    ::nanosleep(&grace, nullptr);
    for (auto& slot : gLive)
        if (const int pid = slot.load(); pid > 0) ::kill(-pid, SIGKILL);
    // Reaped before we die (bounded: 1 s), so none is still running when the shell gets its prompt back.
    // ECHILD (another thread reaped it first) also means it is gone.
    const timespec tick{0, 10L * 1000 * 1000};
    for (auto& slot : gLive) {
        const int pid = slot.load();
        for (int i = 0; pid > 0 && i < 100 && ::waitpid(pid, nullptr, WNOHANG) == 0; ++i)
            ::nanosleep(&tick, nullptr);
    }
    // Then die of the signal itself (what the parent shell expects of Ctrl-C): it is delivered, with its
    // default action, as soon as this handler returns.
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    ::sigaction(sig, &dfl, nullptr);
    ::raise(sig);
}

bool spawnChild(const Spec& spec, int& pid, int& outFd, int& errFd, std::string& error) {
    if (spec.argv.empty()) {
        error = "no program to run";
        return false;
    }
    int out[2], err[2];
    if (::pipe2(out, O_CLOEXEC) != 0) {
        error = std::string("pipe: ") + std::strerror(errno);
        return false;
    }
    if (::pipe2(err, O_CLOEXEC) != 0) {
        error = std::string("pipe: ") + std::strerror(errno);
        ::close(out[0]);
        ::close(out[1]);
        return false;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err[1], 2);
    SpawnAttributes attributes;
    std::vector<std::string> argv = spec.argv;
    std::vector<std::string> env = childEnvironment(spec.env);
    std::vector<char*> argvp = pointers(argv);
    std::vector<char*> envp = pointers(env);
    pid_t child = -1;
    const int rc = ::posix_spawnp(&child, argvp[0], &actions, &attributes.attr, argvp.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    ::close(err[1]);
    if (rc != 0) {
        ::close(out[0]);
        ::close(err[0]);
        error = spec.argv[0] + ": " + (rc == ENOENT ? std::string("not found on PATH") : std::strerror(rc));
        return false;
    }
    ::fcntl(out[0], F_SETFL, O_NONBLOCK);
    ::fcntl(err[0], F_SETFL, O_NONBLOCK);
    pid = child;
    track(child);
    outFd = out[0];
    errFd = err[0];
    return true;
}

/// Reads what is there; false at EOF (or an error), when the descriptor is closed and set to -1.
bool drain(int& fd, std::string& into, size_t max) {
    char buf[4096];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n > 0) {
            if (into.size() < max) into.append(buf, std::min(static_cast<size_t>(n), max - into.size()));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
        ::close(fd);
        fd = -1;
        return false;
    }
}

void recordStatus(int status, Result& r) {
    if (WIFEXITED(status)) {
        r.exitCode = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        r.exitCode = -1;
        r.termSignal = WTERMSIG(status);
    }
}

/// Watches one child until it has ended: its output, its timeout, a stop request on `stopFd` (-1 = none).
/// Escalates SIGTERM to SIGKILL on its process group after the grace period.
void superviseChild(const Spec& spec, int pid, int& outFd, int& errFd, int stopFd, Result& r) {
    const int pidFd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    std::optional<Clock::time_point> deadline;
    if (spec.timeout.count() > 0) deadline = Clock::now() + spec.timeout;
    std::optional<Clock::time_point> killAt;
    auto terminate = [&] {
        if (killAt) return;
        ::kill(-pid, SIGTERM);
        killAt = Clock::now() + spec.grace;
    };
    for (;;) {
        int status = 0;
        // Without a pidfd (old kernels) the exit is noticed on a short poll.
        if (pidFd < 0 && ::waitpid(pid, &status, WNOHANG) == pid) {
            recordStatus(status, r);
            break;
        }
        const auto now = Clock::now();
        if (deadline && now >= *deadline && !r.timedOut) {
            r.timedOut = true;
            terminate();
        }
        if (killAt && now >= *killAt) ::kill(-pid, SIGKILL);
        std::optional<Clock::time_point> next = killAt ? killAt : deadline;
        int waitMs =
            next ? static_cast<int>(std::max<long long>(
                       0, std::chrono::duration_cast<std::chrono::milliseconds>(*next - now).count() + 1))
                 : -1;
        if (pidFd < 0) waitMs = waitMs < 0 ? 50 : std::min(waitMs, 50);
        pollfd fds[4] = {{outFd, POLLIN, 0}, {errFd, POLLIN, 0}, {pidFd, POLLIN, 0}, {stopFd, POLLIN, 0}};
        if (::poll(fds, 4, waitMs) < 0 && errno != EINTR) break;
        if (outFd >= 0 && fds[0].revents) drain(outFd, r.out, spec.maxOutput);
        if (errFd >= 0 && fds[1].revents) drain(errFd, r.err, spec.maxOutput);
        if (stopFd >= 0 && fds[3].revents) terminate();
        if (pidFd >= 0 && fds[2].revents) {
            ::waitpid(pid, &status, 0);
            recordStatus(status, r);
            break;
        }
    }
    // What the child wrote just before it ended.
    if (outFd >= 0) drain(outFd, r.out, spec.maxOutput);
    if (errFd >= 0) drain(errFd, r.err, spec.maxOutput);
    if (pidFd >= 0) ::close(pidFd);
    untrack(pid);
}

void closeIfOpen(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
}

} // namespace

void stopChildrenOnInterrupt() {
    static std::atomic<bool> installed{false};
    if (installed.exchange(true)) return;
    struct sigaction sa {};
    sa.sa_handler = stopChildrenThenDie;
    sigemptyset(&sa.sa_mask);
    for (int sig : {SIGINT, SIGTERM, SIGHUP})
        ::sigaction(sig, &sa, nullptr);
}

Result run(const Spec& spec) {
    Result r;
    int pid = -1, outFd = -1, errFd = -1;
    if (!spawnChild(spec, pid, outFd, errFd, r.startError)) return r;
    r.started = true;
    superviseChild(spec, pid, outFd, errFd, -1, r);
    closeIfOpen(outFd);
    closeIfOpen(errFd);
    return r;
}

std::unique_ptr<Child> Child::start(const Spec& spec, std::function<void(const Result&)> onExit,
                                    std::string* error) {
    std::unique_ptr<Child> c(new Child());
    c->spec_ = spec;
    c->onExit_ = std::move(onExit);
    std::string why;
    if (!spawnChild(spec, c->pid_, c->outFd_, c->errFd_, why)) {
        if (error) *error = why;
        return nullptr;
    }
    c->stopFd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    c->watcher_ = std::thread([raw = c.get()] { raw->watch(); });
    return c;
}

void Child::watch() {
    Result r;
    r.started = true;
    superviseChild(spec_, pid_, outFd_, errFd_, stopFd_, r);
    closeIfOpen(outFd_);
    closeIfOpen(errFd_);
    // A local: onExit may destroy this Child (and with it onExit_).
    std::function<void(const Result&)> onExit = std::move(onExit_);
    if (onExit) onExit(r);
}

void Child::stop() {
    if (!watcher_.joinable()) return;
    if (std::this_thread::get_id() == watcher_.get_id()) return; // from onExit: it is ending already
    const uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = ::write(stopFd_, &one, sizeof one);
    watcher_.join();
}

Child::~Child() {
    stop();
    if (watcher_.joinable()) watcher_.detach(); // destroyed from its own onExit: the thread ends by itself
    closeIfOpen(stopFd_);
}

} // namespace openclaw::process
