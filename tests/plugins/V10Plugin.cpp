// Test fixture built against a frozen copy of the ABI 1.0 headers (tests/abi/v1.0): today's host must
// load it and call it unchanged.
#include "openclaw/plugin.hpp"

#ifdef OC_ABI_VERSION_MINOR
#error "this fixture must be built against the frozen 1.0 headers, not today's"
#endif

namespace {

class V10Plugin : public openclaw::Plugin {
  public:
    explicit V10Plugin(openclaw::Host host) : Plugin(host) {}
    static std::vector<openclaw::MethodSpec> methodSpecs() { return {{"v10.echo", ""}, {"v10.config", ""}}; }
    static std::vector<std::string> eventNames() { return {"v10.event"}; }
    std::string call(const std::string& method, const std::string& params) override {
        if (method == "v10.echo") return params;
        return host().config("plugin");
    }
};

} // namespace

OPENCLAW_PLUGIN(V10Plugin, "test-v10", "Built against ABI 1.0", "1.0.0", OC_CAP_METHODS)
