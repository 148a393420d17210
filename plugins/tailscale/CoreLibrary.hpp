// What needs Tailscale lives in tailscale-core.so beside the plugin: the serve/funnel route, the tailnet
// address watch, the identity overlay and the tailscale CLI driving them (TailscaleCore.cpp). The plugin's
// face (TailscalePlugin.cpp) answers what every gateway asks (whether the identity overlay can decide
// anything) and loads the core at the first call that needs Tailscale: an exposure, a tailnet bind, an
// identity check, the CLI's tailnet facts. A gateway with gateway.tailscale.mode off and allowTailscale off
// never maps it. Both sides are built from this tree by one compiler: the table is an internal split of one
// plugin, not an ABI.
#pragma once

#include "openclaw/plugin.hpp"

#include <memory>
#include <string>

namespace openclaw::tailscale {

/// The plugin once Tailscale is needed; the face forwards these calls as they came.
class Core {
  public:
    virtual ~Core() = default;
    /// The identity overlay's verdict JSON, or throws openclaw::Pending while `tailscale whois` runs.
    virtual std::string verifyAuth(const std::string& requestJson) = 0;
    virtual std::string exposureStart(const std::string& requestJson) = 0;
    virtual void exposureStop() = 0;
    virtual std::string exposureStatus() = 0;
    virtual std::string exposureResolveBind() = 0;
    /// The new plugin config (and the gateway's, read again); throws when it needs a new instance.
    virtual void reconfigure(const std::string& configJson) = 0;
};

/// What tailscale-core.so exports (through openclaw_tailscale_core()).
struct CoreTable {
    std::unique_ptr<Core> (*newCore)(Host host, const std::string& configJson);
};

/// The name of the one symbol tailscale-core.so exports.
inline constexpr const char* kCoreSymbol = "openclaw_tailscale_core";

} // namespace openclaw::tailscale
