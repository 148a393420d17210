// Test fixture: a plugin that needs ABI 1.1 and uses each host service added then: child processes (run
// to completion and long-running), descriptor watching, posted work, and state_changed.
#define OPENCLAW_PLUGIN_ABI_MINOR 1u
#include "openclaw/plugin.hpp"

#include "FixtureParams.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace {

using fixture::intParam;
using fixture::stringParam;

std::string resultJson(const openclaw::ProcessResult& r) {
    return "{\"exit\":" + std::to_string(r.exitCode) + ",\"signal\":" + std::to_string(r.termSignal) +
           ",\"timedOut\":" + (r.timedOut ? "true" : "false") + ",\"out\":" + openclaw::jsonQuote(r.out) +
           ",\"err\":" + openclaw::jsonQuote(r.err) + "}";
}

/// A flag another thread sets, waited for with a bound (the fixture must never hang a test).
struct Signal {
    std::mutex mu;
    std::condition_variable cv;
    bool set = false;
    std::string note;
    void raise(std::string n) {
        std::lock_guard<std::mutex> lock(mu);
        set = true;
        note = std::move(n);
        cv.notify_all();
    }
    bool wait() {
        std::unique_lock<std::mutex> lock(mu);
        return cv.wait_for(lock, std::chrono::seconds(10), [&] { return set; });
    }
};

class ServicesPlugin : public openclaw::Plugin {
  public:
    explicit ServicesPlugin(openclaw::Host host) : Plugin(host) {}

    static std::vector<openclaw::MethodSpec> methodSpecs() {
        return {{"svc.run", ""},   {"svc.timeout", ""}, {"svc.signals", ""}, {"svc.start", ""},
                {"svc.stop", ""},  {"svc.orphan", ""},  {"svc.watch", ""},   {"svc.work", ""},
                {"svc.state", ""}, {"svc.missing", ""}, {"svc.later", ""},   {"svc.never", ""}};
    }

    std::string call(const std::string& method, const std::string& params) override {
        if (method == "svc.run")
            return resultJson(host().runProcess({"sh", "-c", "echo out; echo err >&2; exit 3"}, 10000));
        if (method == "svc.timeout") return resultJson(host().runProcess({"sleep", "30"}, 200));
        if (method == "svc.signals") {
            // The child's own blocked-signal mask, then its pid and process group (no shell in between: a
            // shell blocks signals around its own forks). The gateway blocks SIGINT, SIGTERM and SIGUSR1 in
            // every thread; a child must start with none blocked, in a group of its own.
            openclaw::ProcessResult mask = host().runProcess({"grep", "SigBlk", "/proc/self/status"}, 10000);
            openclaw::ProcessResult ids =
                host().runProcess({"cut", "-d", " ", "-f1,5", "/proc/self/stat"}, 10000);
            mask.out += ids.out;
            mask.exitCode = mask.exitCode != 0 ? mask.exitCode : ids.exitCode;
            return resultJson(mask);
        }
        if (method == "svc.missing") return resultJson(host().runProcess({"no-such-program-here"}, 1000));
        if (method == "svc.start" || method == "svc.orphan") return start(method == "svc.start");
        if (method == "svc.stop") return stop(static_cast<uint64_t>(intParam(params, "id", 0)));
        if (method == "svc.watch") return watchPipe();
        if (method == "svc.work") return work();
        if (method == "svc.later") {
            // Answers from another thread after {"ms":N}: the worker that called us is free meanwhile. The
            // thread holds a copy of the host handle, not the plugin (which may be gone when it wakes).
            const uint64_t call = host().defer();
            const long ms = intParam(params, "ms", 50);
            std::thread([h = host(), call, ms] {
                std::this_thread::sleep_for(std::chrono::milliseconds(ms));
                h.complete(call, "{\"late\":true,\"ms\":" + std::to_string(ms) + "}");
            }).detach();
            throw openclaw::Pending{};
        }
        if (method == "svc.never") {
            host().defer(); // and never complete: the host's deadline answers the caller
            throw openclaw::Pending{};
        }
        host().stateChanged();
        return "{}";
    }

  private:
    struct Exit {
        Signal done;
        int signal = 0;
    };

    static void onExit(void* user, uint64_t, const oc_process_result* r, const char*, size_t) {
        auto* e = static_cast<Exit*>(user);
        e->signal = r->term_signal;
        e->done.raise("exited");
    }

    std::string start(bool tracked) {
        auto e = std::make_unique<Exit>();
        int pid = 0;
        const uint64_t id = host().startProcess({"sleep", "30"}, 0,
                                                tracked ? &ServicesPlugin::onExit : nullptr, e.get(), &pid);
        std::lock_guard<std::mutex> lock(mu_);
        exits_[id] = std::move(e);
        return "{\"id\":" + std::to_string(id) + ",\"pid\":" + std::to_string(pid) + "}";
    }

    std::string stop(uint64_t id) {
        Exit* e = nullptr;
        {
            std::lock_guard<std::mutex> lock(mu_);
            auto it = exits_.find(id);
            if (it == exits_.end()) throw openclaw::RpcError("INVALID_REQUEST", "no such process");
            e = it->second.get();
        }
        host().stopProcess(id);
        // stop_process returns once the exit callback has run: no wait should be needed.
        const bool exited = e->done.set;
        return "{\"exitedBeforeStopReturned\":" + std::string(exited ? "true" : "false") +
               ",\"signal\":" + std::to_string(e->signal) + "}";
    }

    static void onReadable(void* user, int fd) {
        char c = 0;
        [[maybe_unused]] const ssize_t n = ::read(fd, &c, 1);
        static_cast<Signal*>(user)->raise(std::string(1, c));
    }

    std::string watchPipe() {
        int fds[2];
        if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
        Signal readable;
        const uint64_t id = host().watchFd(fds[0], &ServicesPlugin::onReadable, &readable);
        [[maybe_unused]] const ssize_t n = ::write(fds[1], "x", 1);
        const bool seen = readable.wait();
        host().unwatchFd(id);
        ::close(fds[0]);
        ::close(fds[1]);
        return "{\"readable\":" + std::string(seen ? "true" : "false") +
               ",\"byte\":" + openclaw::jsonQuote(readable.note) + "}";
    }

    static void onWork(void* user) {
        auto* s = static_cast<Signal*>(user);
        std::ostringstream id;
        id << std::this_thread::get_id();
        s->raise(id.str());
    }

    std::string work() {
        Signal ran;
        host().postWork(&ServicesPlugin::onWork, &ran);
        const bool done = ran.wait();
        std::ostringstream caller;
        caller << std::this_thread::get_id();
        return "{\"ran\":" + std::string(done ? "true" : "false") +
               ",\"otherThread\":" + (ran.note != caller.str() ? "true" : "false") + "}";
    }

    std::mutex mu_;
    std::map<uint64_t, std::unique_ptr<Exit>> exits_;
};

} // namespace

OPENCLAW_PLUGIN(ServicesPlugin, "test-services", "Host services 1.1", "0.0.1", OC_CAP_METHODS)
