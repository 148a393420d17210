// tailscale: the gateway on the tailnet (serve/funnel, bind=tailnet, the Tailscale Serve identity overlay for
// gateway.auth.allowTailscale). This is the plugin's face: it answers whether the identity overlay can decide
// anything and loads tailscale-core.so (CoreLibrary.hpp) at the first call that needs Tailscale, so a gateway
// that does not use Tailscale maps none of it.
#define OPENCLAW_PLUGIN_ABI_MINOR 1u
#include "../common/SiblingModule.hpp"
#include "CoreLibrary.hpp"
#include "GatewayFacts.hpp"

#include <atomic>
#include <memory>
#include <mutex>
#include <stdexcept>

namespace {

using namespace openclaw;
using namespace openclaw::tailscale;

/// tailscale-core.so's table, loaded once; throws when it cannot load.
const CoreTable& coreTable() {
    static const plugin_module::Loaded<CoreTable> loaded = plugin_module::loadSibling<CoreTable>(
        reinterpret_cast<void*>(&coreTable), "tailscale-core.so", kCoreSymbol);
    if (!loaded.table) throw std::runtime_error("tailscale-core.so cannot be loaded: " + loaded.error);
    return *loaded.table;
}

class TailscalePlugin : public Plugin {
  public:
    explicit TailscalePlugin(Host host)
        : Plugin(host), configJson_(host.config("plugin")),
          allowTailscale_(readGateway(host).allowTailscale) {}

    std::string verifyAuth(const std::string& requestJson) override { return core().verifyAuth(requestJson); }
    // With allowTailscale off it would defer every connect: the gateway then leaves it out of the auth chain
    // (and the core stays unloaded).
    bool authCanDecide() override { return allowTailscale_; }

    std::string exposureStart(const std::string& requestJson) override {
        return core().exposureStart(requestJson);
    }
    // Nothing was started without the core, so there is nothing to stop.
    void exposureStop() override {
        if (Core* c = loadedCore()) c->exposureStop();
    }
    std::string exposureStatus() override { return core().exposureStatus(); }
    std::string exposureResolveBind() override { return core().exposureResolveBind(); }

    void reconfigure(const std::string& configJson) override {
        std::lock_guard<std::mutex> lock(mutex_);
        if (core_)
            core_->reconfigure(configJson); // throws when it needs a new instance: nothing changed then
        configJson_ = configJson;
        allowTailscale_ = readGateway(host()).allowTailscale;
    }

  private:
    /// The core, created at the first call that needs it (auth runs on workers, exposure on the host's
    /// lifecycle thread: either may come first).
    Core& core() {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!core_) core_ = coreTable().newCore(host(), configJson_);
        return *core_;
    }
    Core* loadedCore() {
        std::lock_guard<std::mutex> lock(mutex_);
        return core_.get();
    }

    std::mutex mutex_;
    std::string configJson_;
    std::atomic<bool> allowTailscale_;
    std::unique_ptr<Core> core_;
};

} // namespace

OPENCLAW_AUTH_PLUGIN(TailscalePlugin, "tailscale", "Tailscale", "0.2.0", OC_CAP_EXPOSURE, "tailscale")
