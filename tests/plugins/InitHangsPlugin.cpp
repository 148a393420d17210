// Test fixture: its constructor does not return (a plugin stuck on a network call or a lock); the host
// must give up after plugins.initTimeoutMs and carry on without it. With "wakeAfterMs" it wakes up later
// (after the host has given up on it, even after a restart), calls host services, and records what they
// answered in "reportPath"; the host must answer harmlessly, then destroy the instance it no longer wants.
#define OPENCLAW_PLUGIN_ABI_MINOR 1u
#include "openclaw/plugin.hpp"

#include "FixtureParams.hpp"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

namespace {

using fixture::intParam;
using fixture::stringParam;

void noop(void*) {}

class InitHangs : public openclaw::Plugin {
  public:
    explicit InitHangs(openclaw::Host host) : Plugin(host) {
        const std::string config = host.config("plugin");
        host.info("test-inithangs", "create() entered; hanging");
        const long wakeAfterMs = intParam(config, "wakeAfterMs");
        if (wakeAfterMs <= 0)
            for (;;)
                std::this_thread::sleep_for(std::chrono::hours(1));
        std::this_thread::sleep_for(std::chrono::milliseconds(wakeAfterMs));
        report_ = stringParam(config, "reportPath");
        const oc_host_api* api = host.raw();
        const uint64_t timer = api->add_timer(api->host_ctx, 10, 1, noop, nullptr);
        const int emitted = api->emit_event(api->host_ctx, "test.late", "{}");
        const int posted = api->post_work(api->host_ctx, noop, nullptr);
        const uint64_t watched = api->watch_fd(
            api->host_ctx, 0, [](void*, int) {}, nullptr);
        api->state_changed(api->host_ctx);
        host.info("test-inithangs", "woke up after the host gave up");
        std::ofstream(report_) << "add_timer=" << timer << " emit_event=" << emitted
                               << " post_work=" << posted << " watch_fd=" << watched << "\n";
    }
    ~InitHangs() override { std::ofstream(report_, std::ios::app) << "destroyed\n"; }

  private:
    std::string report_;
};

} // namespace

OPENCLAW_PLUGIN(InitHangs, "test-inithangs", "Init hangs", "0.0.1", OC_CAP_HOOKS)
