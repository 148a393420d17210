#include "Process.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace openclaw::test {

TempDir::TempDir() {
    char tmpl[] = "/tmp/openclaw-test-XXXXXX";
    char* p = ::mkdtemp(tmpl);
    if (!p) throw std::runtime_error("mkdtemp failed");
    path_ = p;
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

std::string TempDir::write(const std::string& relative, const std::string& content) const {
    std::string full = path_ + "/" + relative;
    std::filesystem::create_directories(std::filesystem::path(full).parent_path());
    std::ofstream(full, std::ios::binary) << content;
    return full;
}

int freePort() {
    // Held until the process exits: CTest runs each test in its own process.
    static std::mutex mu;
    static std::vector<int> held;
    for (int i = 0; i < 50; ++i) {
        int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
        int one = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof addr;
        if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
            ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
            ::close(fd);
            throw std::runtime_error(std::string("bind 127.0.0.1:0: ") + std::strerror(errno));
        }
        int port = ntohs(addr.sin_port);
        std::lock_guard<std::mutex> lock(mu);
        held.push_back(fd); // 18789 stays held too, so it is never offered again
        if (port != 18789) return port;
    }
    throw std::runtime_error("no free port");
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv,
                           const std::map<std::string, std::string>& env) {
    outPath_ = dir_.path() + "/stdout";
    errPath_ = dir_.path() + "/stderr";
    std::map<std::string, std::string> merged;
    for (char** e = environ; e && *e; ++e) {
        std::string kv = *e;
        size_t eq = kv.find('=');
        if (eq != std::string::npos) merged[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    // Outside a namespace of its own (PrivateNamespaceMain.cpp) the system bus is the machine's: a gateway
    // would advertise its beacon through the machine's avahi-daemon, on the machine's network.
    if (merged.count("OPENCLAW_TEST_PRIVATE_NAMESPACE") == 0)
        merged["DBUS_SYSTEM_BUS_ADDRESS"] = "unix:path=/nonexistent/openclaw-test-no-system-bus";
    for (const auto& [k, v] : env) {
        if (v.empty())
            merged.erase(k);
        else
            merged[k] = v;
    }
    std::vector<std::string> envStrings;
    envStrings.reserve(merged.size());
    for (const auto& [k, v] : merged)
        envStrings.push_back(k + "=" + v);
    // Everything the child needs is built before fork: between fork and exec it may only make async-signal-
    // safe calls (another thread of the test may hold the allocator's lock at the fork, and the child would
    // wait for it forever).
    std::vector<char*> args;
    args.reserve(argv.size() + 1);
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    std::vector<char*> envp;
    envp.reserve(envStrings.size() + 1);
    for (auto& e : envStrings)
        envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    sigset_t none;
    sigemptyset(&none);
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        int out = ::open(outPath_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int err = ::open(errPath_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int in = ::open("/dev/null", O_RDONLY);
        ::dup2(in, 0);
        ::dup2(out, 1);
        ::dup2(err, 2);
        ::setpgid(0, 0);
        // Signals blocked in the test runner must not stay blocked in the child.
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        ::execve(args[0], args.data(), envp.data());
        ::_exit(127);
    }
}

ChildProcess::~ChildProcess() {
    if (!reaped_ && pid_ > 0) {
        // Every test stops what it starts (stop() asserts how it ended); one left running is a defect.
        if (running())
            ADD_FAILURE() << "pid " << pid_ << " was still running when its test ended; killed with SIGKILL";
        ::kill(-pid_, SIGKILL);
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status_, 0);
    }
}

void ChildProcess::signal(int sig) const {
    ::kill(pid_, sig);
}

int ChildProcess::wait(int timeoutMs) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (!reaped_) {
        int st = 0;
        pid_t r = ::waitpid(pid_, &st, WNOHANG);
        if (r == pid_) {
            reaped_ = true;
            status_ = st;
            ::kill(-pid_, SIGKILL); // leftovers of the process group
            break;
        }
        if (std::chrono::steady_clock::now() > deadline) return -1;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (WIFEXITED(status_)) return WEXITSTATUS(status_);
    if (WIFSIGNALED(status_)) return 128 + WTERMSIG(status_);
    return -1;
}

int ChildProcess::stop(int sig, int timeoutMs) {
    if (!reaped_) signal(sig);
    int code = wait(timeoutMs);
    if (code == -1 && !reaped_) {
        ADD_FAILURE() << "pid " << pid_ << " still running " << timeoutMs << " ms after signal " << sig
                      << "; killed with SIGKILL\nstdout:\n"
                      << out() << "\nstderr:\n"
                      << err();
        ::kill(-pid_, SIGKILL);
        ::kill(pid_, SIGKILL);
        code = wait(10000);
    }
    return code;
}

bool ChildProcess::running() {
    if (reaped_) return false;
    return wait(0) == -1;
}

RunResult run(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
              int timeoutMs) {
    ChildProcess p(argv, env);
    RunResult r;
    r.code = p.wait(timeoutMs);
    if (r.code == -1 && p.running()) {
        ADD_FAILURE() << argv[0] << " " << (argv.size() > 1 ? argv[1] : "") << " did not finish in "
                      << timeoutMs << " ms; killed";
        p.stop(SIGKILL, 10000);
        r.code = -1;
    }
    r.out = p.out();
    r.err = p.err();
    return r;
}

std::string openclawBin() {
    return OPENCLAW_TEST_BIN;
}

std::pair<int, std::string> httpGet(int port, const std::string& path,
                                    const std::map<std::string, std::string>& headers) {
    try {
        Poco::Net::HTTPClientSession cs("127.0.0.1", static_cast<Poco::UInt16>(port));
        cs.setTimeout(Poco::Timespan(2, 0));
        Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_GET, path, Poco::Net::HTTPMessage::HTTP_1_1);
        for (const auto& [name, value] : headers)
            req.set(name, value);
        cs.sendRequest(req);
        Poco::Net::HTTPResponse resp;
        std::istream& in = cs.receiveResponse(resp);
        std::ostringstream body;
        body << in.rdbuf();
        return {static_cast<int>(resp.getStatus()), body.str()};
    } catch (...) {
        return {0, ""};
    }
}

GatewayUnderTest::GatewayUnderTest(const std::string& configJson, const std::vector<std::string>& extraArgs,
                                   std::map<std::string, std::string> env, bool waitForReady)
    : port_(freePort()) {
    if (!configJson.empty()) home_.write(".openclaw/openclaw.json", configJson);
    env_ = env;
    env_["HOME"] = home_.path();
    for (const char* k :
         {"OPENCLAW_GATEWAY_TOKEN", "OPENCLAW_GATEWAY_PASSWORD", "OPENCLAW_STATE_DIR", "OPENCLAW_CONFIG_PATH",
          "OPENCLAW_HOME", "OPENCLAW_GATEWAY_PORT", "OPENCLAW_PROFILE", "OPENCLAW_NATIVE_CONFIG"})
        if (!env_.count(k)) env_[k] = ""; // unset: the test's own environment must not leak in
    std::vector<std::string> argv = {openclawBin(), "gateway", "run", "--port", std::to_string(port_)};
    argv.insert(argv.end(), extraArgs.begin(), extraArgs.end());
    proc_ = std::make_unique<ChildProcess>(argv, env_);
    if (waitForReady && !waitReady())
        throw std::runtime_error("gateway did not become ready:\n" + proc_->out() + proc_->err());
}

GatewayUnderTest::~GatewayUnderTest() {
    if (!proc_ || !proc_->running()) return;
    int code = proc_->stop();
    EXPECT_EQ(code, 0) << "the gateway on port " << port_
                       << " did not stop cleanly on SIGTERM (a sanitizer finding exits non-zero)\nstdout:\n"
                       << proc_->out() << "\nstderr:\n"
                       << proc_->err();
}

bool GatewayUnderTest::waitReady(int timeoutMs) {
    return waitReadyz(*proc_, port_, timeoutMs);
}

bool waitReadyz(ChildProcess& proc, int port, int timeoutMs) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (std::chrono::steady_clock::now() < deadline) {
        if (httpGet(port, "/readyz").first == 200) return true;
        if (!proc.running()) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

void SharedGateway::start(const std::string& configJson, const std::vector<std::string>& extraArgs,
                          std::map<std::string, std::string> env) {
    try {
        gw_ = std::make_unique<GatewayUnderTest>(configJson, extraArgs, std::move(env));
    } catch (const std::exception& e) {
        error_ = e.what();
    }
}

bool SharedGateway::require() const {
    if (gw_) return true;
    ADD_FAILURE() << "the suite's gateway did not start: " << error_;
    return false;
}

} // namespace openclaw::test
