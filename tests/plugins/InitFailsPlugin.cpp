// Test fixture: its constructor throws; the host must isolate it and carry on.
#include "openclaw/plugin.hpp"

#include <stdexcept>

namespace {
class InitFails : public openclaw::Plugin {
  public:
    explicit InitFails(openclaw::Host host) : Plugin(host) {
        throw std::runtime_error("cannot start: no widget");
    }
};
} // namespace

OPENCLAW_PLUGIN(InitFails, "test-initfails", "Init fails", "0.0.1", OC_CAP_HOOKS)
