// ssh-tunnel: local forwards with OpenSSH for `gateway probe --ssh` (behaviour: its own issue).
#include "../common/NotYetImplemented.hpp"

namespace {

class SshTunnelPlugin : public openclaw::Plugin {
  public:
    explicit SshTunnelPlugin(openclaw::Host host) : Plugin(host) {}
    std::string tunnelOpen(const std::string&) override {
        openclaw::pending::notYet("ssh-tunnel", "opening tunnels");
    }
};

} // namespace

OPENCLAW_PLUGIN(SshTunnelPlugin, "ssh-tunnel", "SSH tunnel", "0.1.0", OC_CAP_TUNNEL)
