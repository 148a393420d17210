// Test fixture: a plugin that declares a method the gateway already has (`health`). The gateway refuses it,
// loudly: a log line and health.plugins.errors name the method; the built-in `health` keeps answering.
#include "openclaw/plugin.hpp"

namespace {

class ClashPlugin : public openclaw::Plugin {
  public:
    explicit ClashPlugin(openclaw::Host host) : Plugin(host) {}
    static std::vector<openclaw::MethodSpec> methodSpecs() { return {{"health", ""}}; }
    std::string call(const std::string&, const std::string&) override { return R"({"fromPlugin":true})"; }
};

} // namespace

OPENCLAW_PLUGIN(ClashPlugin, "test-clash", "Clash fixture", "0.0.1", OC_CAP_METHODS)
