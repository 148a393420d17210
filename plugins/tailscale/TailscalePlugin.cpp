// tailscale: exposure through `tailscale serve|funnel` (behaviour: its own issue).
#include "../common/NotYetImplemented.hpp"

namespace {

class TailscalePlugin : public openclaw::Plugin {
  public:
    explicit TailscalePlugin(openclaw::Host host) : Plugin(host) {}
    std::string exposureStart(const std::string&) override {
        openclaw::pending::notYet("tailscale", "serve/funnel");
    }
    std::string exposureStatus() override { return R"({"mode":"off","implemented":false})"; }
};

} // namespace

OPENCLAW_PLUGIN(TailscalePlugin, "tailscale", "Tailscale exposure", "0.1.0", OC_CAP_EXPOSURE)
