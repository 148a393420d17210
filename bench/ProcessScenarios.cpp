#include "ProcessScenarios.h"

#include "Stats.h"

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <iostream>
#include <map>
#include <netinet/in.h>
#include <sstream>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace openclaw::bench {

namespace {

pid_t spawn(const std::vector<std::string>& argv, bool quiet) {
    pid_t pid = ::fork();
    if (pid != 0) return pid;
    ::setpgid(0, 0); // its own group, so the whole tree can be stopped
    if (quiet) {
        int devnull = ::open("/dev/null", O_RDWR);
        ::dup2(devnull, 0);
        ::dup2(devnull, 1);
        ::dup2(devnull, 2);
    }
    std::vector<char*> args;
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    std::_Exit(127);
}

/// One GET /readyz on a fresh connection: true when it answers 200.
bool readyz(const Target& t) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(t.port));
    ::inet_pton(AF_INET, t.host.c_str(), &addr.sin_addr);
    bool ok = false;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
        timeval tv{1, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        const char req[] = "GET /readyz HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n";
        if (::send(fd, req, sizeof req - 1, MSG_NOSIGNAL) > 0) {
            char buf[64] = {0};
            ssize_t n = ::recv(fd, buf, sizeof buf - 1, 0);
            ok = n >= 12 && std::strncmp(buf + 9, "200", 3) == 0;
        }
    }
    ::close(fd);
    return ok;
}

double msSince(Clock::time_point t) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

void stopGroup(pid_t pid) {
    ::kill(-pid, SIGTERM);
    for (int i = 0; i < 1000; ++i) {
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == pid) {
            ::kill(-pid, SIGKILL); // stragglers in the group
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ::kill(-pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
}

} // namespace

long treeRssKib(int pid, int* count) {
    std::map<int, int> parent;
    if (DIR* d = ::opendir("/proc")) {
        while (dirent* e = ::readdir(d)) {
            int p = std::atoi(e->d_name);
            if (p <= 0) continue;
            std::ifstream in("/proc/" + std::to_string(p) + "/stat");
            std::string line;
            std::getline(in, line);
            size_t close = line.rfind(')');
            if (close == std::string::npos) continue;
            std::istringstream rest(line.substr(close + 2));
            std::string state;
            int ppid = 0;
            rest >> state >> ppid;
            parent[p] = ppid;
        }
        ::closedir(d);
    }
    long total = 0;
    int n = 0;
    for (const auto& [p, pp] : parent) {
        int q = p;
        while (q > 1 && q != pid)
            q = parent.count(q) ? parent[q] : 0;
        if (q != pid) continue;
        long r = rssKib(p);
        if (r > 0) total += r;
        ++n;
    }
    if (count) *count = n;
    return n ? total : -1;
}

int startupScenario(const Target& target, const std::string& label, const std::vector<std::string>& argv,
                    double settleSeconds) {
    auto t0 = Clock::now();
    pid_t pid = spawn(argv, true);
    double readyMs = -1, helloMs = -1;
    std::string error;
    while (msSince(t0) < 120000) {
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == pid) {
            error = "the gateway exited before it was ready";
            break;
        }
        if (readyz(target)) {
            readyMs = msSince(t0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
    if (readyMs >= 0) {
        BenchLoop loop;
        BenchConn conn(loop, target, 0);
        bool done = false;
        conn.onReady = [&](BenchConn&) {
            helloMs = msSince(t0);
            done = true;
        };
        conn.onClosed = [&](BenchConn& c) {
            done = true;
            if (helloMs < 0) error = c.error();
        };
        if (conn.start()) loop.runUntil([&] { return done; }, Clock::now() + std::chrono::seconds(30));
        conn.onClosed = nullptr;
        conn.close();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<long>(settleSeconds * 1000)));
    int processes = 0;
    long rss = treeRssKib(pid, &processes);
    stopGroup(pid);
    std::ostringstream o;
    o << "{\"scenario\":\"startup\"";
    if (!label.empty()) o << ",\"label\":\"" << label << "\"";
    o << ",\"ready_ms\":" << readyMs << ",\"hello_ms\":" << helloMs << ",\"idle_rss_kib\":" << rss
      << ",\"processes\":" << processes;
    if (!error.empty()) o << ",\"error\":\"" << error << "\"";
    std::cout << o.str() << "}" << std::endl;
    return readyMs >= 0 && helloMs >= 0 ? 0 : 1;
}

int execScenario(const std::string& label, const std::vector<std::string>& argv, int runs) {
    Samples wall, rss;
    int failures = 0;
    for (int i = 0; i < runs; ++i) {
        auto t0 = Clock::now();
        pid_t pid = spawn(argv, true);
        int status = 0;
        rusage ru{};
        ::wait4(pid, &status, 0, &ru);
        wall.add(msSince(t0));
        rss.add(static_cast<double>(ru.ru_maxrss));
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) ++failures;
    }
    std::ostringstream o;
    o << "{\"scenario\":\"exec\"";
    if (!label.empty()) o << ",\"label\":\"" << label << "\"";
    o << ",\"runs\":" << runs << ",\"failures\":" << failures << ",\"wall_p50_ms\":" << wall.percentile(0.5)
      << ",\"wall_max_ms\":" << wall.max() << ",\"peak_rss_p50_kib\":" << rss.percentile(0.5) << "}";
    std::cout << o.str() << std::endl;
    return failures ? 1 : 0;
}

} // namespace openclaw::bench
