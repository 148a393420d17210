#include "process/Stop.h"

#include <csignal>
#include <fstream>
#include <string>
#include <sys/wait.h>
#include <thread>

namespace openclaw::process {

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kPoll{20};

int shellStatus(int status) {
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

} // namespace

bool running(int pid) {
    if (pid <= 0 || ::kill(pid, 0) != 0) return false;
    std::ifstream st("/proc/" + std::to_string(pid) + "/stat");
    std::string s;
    std::getline(st, s);
    // The state follows the command name in parentheses, which may itself hold ") ".
    const size_t rp = s.rfind(')');
    return !(rp != std::string::npos && rp + 2 < s.size() && s[rp + 2] == 'Z');
}

Stopped stop(int pid, std::chrono::milliseconds grace) {
    if (!running(pid) || ::kill(pid, SIGTERM) != 0) return Stopped::NotRunning;
    const auto deadline = Clock::now() + grace;
    while (Clock::now() < deadline) {
        if (!running(pid)) return Stopped::OnTerm;
        std::this_thread::sleep_for(kPoll);
    }
    ::kill(pid, SIGKILL);
    // SIGKILL cannot be refused, but the kernel takes a moment to end the process.
    for (int i = 0; i < 50 && running(pid); ++i)
        std::this_thread::sleep_for(kPoll);
    return Stopped::Killed;
}

int stopChild(int pid, std::chrono::milliseconds grace, Stopped* how) {
    if (how) *how = Stopped::OnTerm;
    int status = 0;
    if (::kill(pid, SIGTERM) != 0) {
        if (how) *how = Stopped::NotRunning;
        return ::waitpid(pid, &status, WNOHANG) == pid ? shellStatus(status) : 0;
    }
    const auto deadline = Clock::now() + grace;
    while (Clock::now() < deadline) {
        if (::waitpid(pid, &status, WNOHANG) == pid) return shellStatus(status);
        std::this_thread::sleep_for(kPoll);
    }
    if (how) *how = Stopped::Killed;
    ::kill(pid, SIGKILL);
    return ::waitpid(pid, &status, 0) == pid ? shellStatus(status) : 128 + SIGKILL;
}

} // namespace openclaw::process
