// Test fixture: the binary calls itself "someone-else" while its manifest says "test-mismatch".
#include "openclaw/plugin.hpp"

namespace {
class Mismatch : public openclaw::Plugin {
  public:
    explicit Mismatch(openclaw::Host host) : Plugin(host) {}
};
} // namespace

OPENCLAW_PLUGIN(Mismatch, "someone-else", "Mismatch", "0.0.1", OC_CAP_HOOKS)
