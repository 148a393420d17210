// Test fixture: an auth overlay (asked before the configured mode's plugin), deciding from a request header
// as a tailnet identity check would: "x-test-identity: alice" is accepted (after a deferred answer when
// "x-test-async: 1", after "x-test-delay-ms" or 20 ms), "deny" is refused, anything else is not its call
// (defer). Each request it is asked about is written to "reportPath", so a test can check the context the
// host gives. ABI 1.2: its verify never blocks (the gateway calls it on the connection's I/O thread), and
// with "undecided": true in its config it says it cannot decide (the gateway leaves it out of the chain).
#define OPENCLAW_PLUGIN_ABI_MINOR 2u
#include "openclaw/plugin.hpp"

#include "FixtureParams.hpp"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

namespace {

using fixture::intParam;
using fixture::stringParam;

class Overlay : public openclaw::Plugin {
  public:
    explicit Overlay(openclaw::Host host) : Plugin(host) {
        report_ = stringParam(host.config("plugin"), "reportPath");
        undecided_ = host.config("plugin").find("\"undecided\":true") != std::string::npos;
    }

    static uint32_t authFlags() { return OC_AUTH_NEVER_BLOCKS; }
    bool authCanDecide() override { return !undecided_; }

    std::string verifyAuth(const std::string& request) override {
        if (!report_.empty()) std::ofstream(report_, std::ios::app) << request << "\n";
        const std::string identity = stringParam(request, "x-test-identity");
        if (identity == "deny")
            return R"({"ok":false,"code":"INVALID_REQUEST","message":"denied by the overlay",)"
                   R"("details":{"code":"AUTH_OVERLAY_DENIED","authReason":"overlay_denied"}})";
        if (identity != "alice") return R"({"defer":true})";
        if (stringParam(request, "x-test-async") != "1") return R"({"ok":true})";
        const uint64_t call = host().defer();
        const std::string delay = stringParam(request, "x-test-delay-ms");
        const int ms = delay.empty() ? 20 : std::atoi(delay.c_str());
        std::thread([h = host(), call, ms] {
            std::this_thread::sleep_for(std::chrono::milliseconds(ms));
            h.complete(call, R"({"ok":true})");
        }).detach();
        throw openclaw::Pending{};
    }

  private:
    std::string report_;
    bool undecided_ = false;
};

} // namespace

OPENCLAW_AUTH_PLUGIN(Overlay, "test-overlay", "Identity overlay", "0.0.1", OC_CAP_AUTH, "test-identity")
