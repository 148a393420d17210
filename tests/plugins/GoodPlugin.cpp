// Test fixture: a well-behaved plugin with methods, an event and a config schema.
#include "openclaw/plugin.hpp"

#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <thread>

namespace {

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
                {"test.sleep", ""}};
    }
    static std::vector<std::string> eventNames() { return {"test.event"}; }
    std::string call(const std::string& method, const std::string& params) override {
        if (method == "test.echo") return params;
        if (method == "test.config") return config_;
        if (method == "test.throw") throw std::runtime_error("boom from the plugin");
        if (method == "test.refuse")
            throw openclaw::RpcError("FORBIDDEN", "refused by the plugin", "{\"code\":\"TEST\"}");
        if (method == "test.runtime") return host().config("runtime");
        if (method == "test.sleep") {
            // {"ms":N}: a slow handler (in-flight limits, handlers kept off the I/O threads)
            size_t at = params.find("\"ms\":");
            long ms = at == std::string::npos ? 100 : std::strtol(params.c_str() + at + 5, nullptr, 10);
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
    std::string config_;
};

} // namespace

OPENCLAW_PLUGIN(GoodPlugin, "test-good", "Test good", "1.2.3", OC_CAP_METHODS)
