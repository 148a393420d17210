// tailscale-core.so: the gateway on the tailnet. Exposure through `tailscale serve|funnel --bg` (ServeRoute),
// the tailnet address for bind=tailnet (watched until it appears), and the Tailscale Serve identity overlay
// for gateway.auth.allowTailscale (IdentityOverlay). Drives the tailscale CLI through the host's
// child-process service; nothing of Tailscale is linked in. Loaded by the plugin's face (CoreLibrary.hpp).
#define OPENCLAW_PLUGIN_ABI_MINOR 1u
#include "CoreLibrary.hpp"

#include "AddressWatch.hpp"
#include "GatewayFacts.hpp"
#include "IdentityOverlay.hpp"
#include "ServeRoute.hpp"
#include "TailscaleCli.hpp"

#include <Poco/JSON/Object.h>

#include <pwd.h>

namespace {

using namespace openclaw;
using namespace openclaw::tailscale;
using Poco::JSON::Object;

/// plugins.entries.tailscale.config (validated by the manifest's schema).
struct Settings {
    std::string binary;
    Timeouts timeouts;
    unsigned tailscaledUid = 0;
    std::string tailscaledUser = "root";
    uint32_t addressPollMs = 5000;
};

Settings readSettings(const std::string& configJson, const Host& host) {
    Settings s;
    Object::Ptr c = parseObject(configJson);
    s.binary = c->optValue<std::string>("binary", "");
    s.timeouts.serve = c->optValue<unsigned>("timeoutMs", s.timeouts.serve);
    s.addressPollMs = c->optValue<unsigned>("addressPollMs", s.addressPollMs);
    s.tailscaledUser = c->optValue<std::string>("tailscaledUser", "root");
    if (const passwd* pw = ::getpwnam(s.tailscaledUser.c_str())) {
        s.tailscaledUid = pw->pw_uid;
    } else if (!s.tailscaledUser.empty() &&
               s.tailscaledUser.find_first_not_of("0123456789") == std::string::npos) {
        s.tailscaledUid = static_cast<unsigned>(std::stoul(s.tailscaledUser));
    } else {
        host.warn("tailscale",
                  "tailscaledUser \"" + s.tailscaledUser +
                      "\" is not a user of this machine; tailscale identity headers are ignored");
        s.tailscaledUid = static_cast<unsigned>(-1);
    }
    return s;
}

class TailscaleCore : public Core {
  public:
    TailscaleCore(Host host, const std::string& configJson)
        : host_(host), settings_(readSettings(configJson, host)),
          cli_(std::make_shared<TailscaleCli>(host, settings_.binary, settings_.timeouts)),
          route_(host, *cli_), overlay_(host, cli_, settings_.tailscaledUid), watch_(host, cli_) {
        overlay_.setEnabled(readGateway(host).allowTailscale);
    }

    std::string verifyAuth(const std::string& requestJson) override { return overlay_.verify(requestJson); }

    std::string exposureStart(const std::string& requestJson) override {
        Object::Ptr req = parseObject(requestJson);
        const std::string mode = req->optValue<std::string>("mode", "serve");
        route_.start(mode == "funnel" ? RouteMode::Funnel : RouteMode::Serve, req->optValue("port", 0),
                     req->optValue("resetOnExit", false));
        return route_.statusJson();
    }
    void exposureStop() override { route_.stop(); }
    std::string exposureStatus() override { return route_.statusJson(); }

    std::string exposureResolveBind() override {
        route_.refreshFacts();
        const std::optional<NodeStatus> f = route_.facts();
        const std::string address = f ? f->ipv4() : "";
        // Not there yet (tailscaled starting, logged out): watch for it, and tell the host when it comes.
        if (address.empty() && readGateway(host_).tailnetBind) watch_.start(settings_.addressPollMs);
        return address.empty() ? "" : "{\"address\":" + jsonQuote(address) + "}";
    }

    void reconfigure(const std::string& configJson) override {
        Settings next = readSettings(configJson, host_);
        if (next.binary != settings_.binary || next.timeouts.serve != settings_.timeouts.serve)
            throw std::runtime_error("the tailscale binary or its timeout changed"); // a new instance then
        settings_ = next;
        overlay_.setTailscaledUid(settings_.tailscaledUid);
        overlay_.setEnabled(readGateway(host_).allowTailscale);
    }

  private:
    Host host_;
    Settings settings_;
    std::shared_ptr<TailscaleCli> cli_;
    ServeRoute route_;
    IdentityOverlay overlay_;
    AddressWatch watch_;
};

std::unique_ptr<Core> newCore(Host host, const std::string& configJson) {
    return std::make_unique<TailscaleCore>(host, configJson);
}

} // namespace

extern "C" __attribute__((visibility("default"))) const openclaw::tailscale::CoreTable*
openclaw_tailscale_core() {
    static const openclaw::tailscale::CoreTable table{&newCore};
    return &table;
}
