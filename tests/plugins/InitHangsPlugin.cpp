// Test fixture: its constructor never returns (a plugin stuck on a network call or a lock); the host
// must give up after plugins.initTimeoutMs and carry on without it.
#include "openclaw/plugin.hpp"

#include <chrono>
#include <thread>

namespace {
class InitHangs : public openclaw::Plugin {
  public:
    explicit InitHangs(openclaw::Host host) : Plugin(host) {
        host.info("test-inithangs", "create() entered; hanging");
        for (;;)
            std::this_thread::sleep_for(std::chrono::hours(1));
    }
};
} // namespace

OPENCLAW_PLUGIN(InitHangs, "test-inithangs", "Init hangs", "0.0.1", OC_CAP_HOOKS)
