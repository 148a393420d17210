// An example OpenClaw gateway plugin (C++, plugin.hpp): one RPC method that needs operator.write, one that
// needs a scope of its own, an event, its own validated config section, and log lines.
#include "openclaw/plugin.hpp"

#include <string>
#include <vector>

namespace {

/// {"key":"text"} from a flat JSON object (the gateway has validated it against the manifest's schema).
std::string stringField(const std::string& json, const std::string& key, const std::string& fallback) {
    const std::string open = "\"" + key + "\":\"";
    const size_t at = json.find(open);
    if (at == std::string::npos) return fallback;
    const size_t from = at + open.size();
    const size_t to = json.find('"', from);
    return to == std::string::npos ? fallback : json.substr(from, to - from);
}

class Hello : public openclaw::Plugin {
  public:
    explicit Hello(openclaw::Host host) : Plugin(host) {
        // plugins.entries.hello.config, validated by the gateway against configSchema before create().
        greeting_ = stringField(host.config("plugin"), "greeting", "Hello");
        host.info("hello", "ready; hello.greet says \"" + greeting_ + "\"");
    }

    static std::vector<openclaw::MethodSpec> methodSpecs() {
        return {{"hello.greet", "operator.write"}, {"hello.secret", "hello.admin"}};
    }
    static std::vector<std::string> eventNames() { return {"hello.greeted"}; }

    // Runs on one of the gateway's workers: quick work only (slow work: Host::postWork, or defer()).
    std::string call(const std::string& method, const std::string& params) override {
        if (method == "hello.secret") return R"({"secret":"only for hello.admin"})";
        const std::string text = greeting_ + ", " + stringField(params, "name", "world");
        host().emit("hello.greeted", "{\"text\":" + openclaw::jsonQuote(text) + "}");
        return "{\"text\":" + openclaw::jsonQuote(text) + "}";
    }

  private:
    std::string greeting_;
};

} // namespace

OPENCLAW_PLUGIN(Hello, "hello", "Hello example", "1.0.0", OC_CAP_METHODS)
