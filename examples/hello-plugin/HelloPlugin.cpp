// An example OpenClaw gateway plugin (C++, plugin.hpp): one RPC method that needs operator.write, one that
// needs a scope of its own, an event, its own validated config section, and log lines.
#include "openclaw/plugin.hpp"

#include <nlohmann/json.hpp> // openclaw::json: the SDK's JSON reader (Debian nlohmann-json3-dev)

#include <string>
#include <vector>

namespace {

class Hello : public openclaw::Plugin {
  public:
    explicit Hello(openclaw::Host host) : Plugin(host) {
        // plugins.entries.hello.config, validated by the gateway against configSchema before create().
        greeting_ = nlohmann::json::parse(host.config("plugin")).value("greeting", "Hello");
        host.info("hello", "ready; hello.greet says \"" + greeting_ + "\"");
    }

    static std::vector<openclaw::MethodSpec> methodSpecs() {
        return {{"hello.greet", "operator.write"}, {"hello.secret", "hello.admin"}};
    }
    static std::vector<std::string> eventNames() { return {"hello.greeted"}; }

    // Runs on one of the gateway's workers: quick work only (slow work: Host::postWork, or defer()).
    std::string call(const std::string& method, const std::string& params) override {
        if (method == "hello.secret") return R"({"secret":"only for hello.admin"})";
        // The gateway checked that params is JSON; a client may still send a non-object or a non-string name.
        const nlohmann::json in = nlohmann::json::parse(params);
        const std::string name = in.is_object() && in.value("name", nlohmann::json()).is_string()
                                     ? in["name"].get<std::string>()
                                     : "world";
        const std::string answer = nlohmann::json{{"text", greeting_ + ", " + name}}.dump();
        host().emit("hello.greeted", answer);
        return answer;
    }

  private:
    std::string greeting_;
};

} // namespace

OPENCLAW_PLUGIN(Hello, "hello", "Hello example", "1.0.0", OC_CAP_METHODS)
