// Test fixture: a well-behaved plugin with methods, an event and a config schema.
#include "openclaw/plugin.hpp"

#include "FixtureParams.hpp"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

namespace {

using fixture::intParam;
using fixture::stringParam;

class GoodPlugin : public openclaw::Plugin {
  public:
    explicit GoodPlugin(openclaw::Host host) : Plugin(host) {
        config_ = host.config("plugin");
        if (config_.find("\"failInit\":true") != std::string::npos)
            throw std::runtime_error("failInit was set");
        host.info("test-good", "created with config " + config_);
    }
    static std::vector<openclaw::MethodSpec> methodSpecs() {
        return {{"test.echo", "operator.read"},
                {"test.config", ""},
                {"test.throw", ""},
                {"test.refuse", ""},
                {"test.emit", ""},
                {"test.runtime", ""},
                {"test.sleep", ""},
                {"test.timer", ""},
                {"test.cancel", ""},
                {"test.crash", ""}};
    }
    static std::vector<std::string> eventNames() { return {"test.event", "test.tick"}; }
    ~GoodPlugin() override {
        std::lock_guard<std::mutex> lock(mu_);
        for (auto& [id, t] : timers_)
            host().cancelTimer(id);
    }
    std::string call(const std::string& method, const std::string& params) override {
        if (method == "test.echo") return params;
        if (method == "test.config") return config_;
        if (method == "test.throw") throw std::runtime_error("boom from the plugin");
        if (method == "test.refuse")
            throw openclaw::RpcError("FORBIDDEN", "refused by the plugin", "{\"code\":\"TEST\"}");
        if (method == "test.runtime") return host().config("runtime");
        if (method == "test.timer") return startTimer(params);
        if (method == "test.crash") std::abort(); // a plugin bug no exception handler can catch
        if (method == "test.cancel") return cancelTimer(params);
        if (method == "test.sleep") {
            // {"ms":N}: a slow handler (in-flight limits, handlers kept off the I/O threads)
            long ms = intParam(params, "ms", 100);
            std::this_thread::sleep_for(std::chrono::milliseconds(ms));
            return "{\"slept\":" + std::to_string(ms) + "}";
        }
        if (method == "test.emit") {
            host().emit("test.event", params);
            return "{\"emitted\":true}";
        }
        return Plugin::call(method, params);
    }

  private:
    /// One host timer: each firing emits test.tick {"tag":T,"n":count}.
    struct Timer {
        GoodPlugin* self;
        long tag;
        bool throws =
            false; ///< {"throw":1}: each firing throws instead (the host must log it, named, rarely)
        std::atomic<int> fired{0};
    };
    static void onTimer(void* user) {
        auto* t = static_cast<Timer*>(user);
        int n = ++t->fired;
        if (t->throws) throw std::runtime_error("timer boom");
        t->self->host().emit("test.tick",
                             "{\"tag\":" + std::to_string(t->tag) + ",\"n\":" + std::to_string(n) + "}");
    }
    /// {"ms":N,"repeat":0|1,"tag":T} -> {"timer":id}
    std::string startTimer(const std::string& params) {
        auto t = std::make_unique<Timer>();
        t->self = this;
        t->tag = intParam(params, "tag", 0);
        t->throws = intParam(params, "throw", 0) != 0;
        std::lock_guard<std::mutex> lock(mu_);
        uint64_t id = host().addTimer(static_cast<uint32_t>(intParam(params, "ms", 50)),
                                      intParam(params, "repeat", 0) != 0, &GoodPlugin::onTimer, t.get());
        if (id == 0) throw std::runtime_error("add_timer refused");
        timers_[id] = std::move(t);
        return "{\"timer\":" + std::to_string(id) + "}";
    }
    /// {"timer":id} -> {"fired":count}, the count once cancel_timer has returned.
    std::string cancelTimer(const std::string& params) {
        uint64_t id = static_cast<uint64_t>(intParam(params, "timer", 0));
        std::lock_guard<std::mutex> lock(mu_);
        auto it = timers_.find(id);
        if (it == timers_.end()) throw openclaw::RpcError("INVALID_REQUEST", "no such timer");
        host().cancelTimer(id);
        int fired = it->second->fired.load();
        timers_.erase(it);
        return "{\"fired\":" + std::to_string(fired) + "}";
    }

    std::string config_;
    std::mutex mu_;
    std::map<uint64_t, std::unique_ptr<Timer>> timers_;
};

} // namespace

OPENCLAW_PLUGIN(GoodPlugin, "test-good", "Test good", "1.2.3", OC_CAP_METHODS)
