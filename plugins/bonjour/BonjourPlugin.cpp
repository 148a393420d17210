// bonjour: DNS-SD beacons for _openclaw-gw._tcp through dns_sd.h (behaviour: its own issue).
#include "../common/NotYetImplemented.hpp"

namespace {

class BonjourPlugin : public openclaw::Plugin {
  public:
    explicit BonjourPlugin(openclaw::Host host) : Plugin(host) {}
    void advertise(const std::string&) override { openclaw::pending::notYet("bonjour", "advertising"); }
    std::string browse(const std::string&) override { openclaw::pending::notYet("bonjour", "browsing"); }
};

} // namespace

OPENCLAW_PLUGIN(BonjourPlugin, "bonjour", "Bonjour discovery", "0.1.0", OC_CAP_DISCOVERY)
