// Test fixture: a plugin that needs ABI 1.9 (a minor no host speaks yet), while its manifest claims 1.0;
// the host must refuse it from the binary's answer, naming both versions.
#define OPENCLAW_PLUGIN_ABI_MINOR 9u
#include "openclaw/plugin.hpp"

namespace {

class FuturePlugin : public openclaw::Plugin {
  public:
    explicit FuturePlugin(openclaw::Host host) : Plugin(host) {}
};

} // namespace

OPENCLAW_PLUGIN(FuturePlugin, "test-future", "Needs ABI 1.9", "0.0.1", OC_CAP_HOOKS)
