// Test fixture standing in for an exposure plugin and a discovery plugin at once (not the tailscale or
// bonjour plugins): it records each call the host makes in "reportPath", so a test can check the order and
// what the host put in the beacon; orch.rename changes its tailnet name and tells the host (state_changed).
// It records its creation and destruction, and takes a new config in place (reconfigure) unless the new
// config's label is "refuse".
#define OPENCLAW_PLUGIN_ABI_MINOR 1u
#include "openclaw/plugin.hpp"

#include "FixtureParams.hpp"

#include <fstream>
#include <mutex>

namespace {

using fixture::intParam;
using fixture::stringParam;

class Orchestra : public openclaw::Plugin {
  public:
    explicit Orchestra(openclaw::Host host) : Plugin(host) {
        report_ = stringParam(host.config("plugin"), "reportPath");
        record("created " + stringParam(host.config("plugin"), "label"));
    }
    ~Orchestra() override { record("destroyed"); }

    void reconfigure(const std::string& config) override {
        const std::string label = stringParam(config, "label");
        record("reconfigure " + label);
        if (label == "refuse") throw std::runtime_error("label refuse: create me again");
    }

    static std::vector<openclaw::MethodSpec> methodSpecs() { return {{"orch.rename", ""}}; }

    std::string exposureStart(const std::string& request) override {
        record("start " + request);
        return "{}";
    }
    void exposureStop() override { record("stop"); }
    std::string exposureStatus() override {
        std::lock_guard<std::mutex> lock(mu_);
        return "{\"mode\":\"serve\",\"dnsName\":" + openclaw::jsonQuote(name_) + "}";
    }
    void advertise(const std::string& beacon) override { record("advertise " + beacon); }
    void withdraw() override { record("withdraw"); }
    std::string browse(const std::string&) override { return "{\"beacons\":[]}"; }

    std::string call(const std::string&, const std::string& params) override {
        {
            std::lock_guard<std::mutex> lock(mu_);
            name_ = stringParam(params, "name");
        }
        host().stateChanged();
        return "{}";
    }

  private:
    void record(const std::string& line) {
        std::lock_guard<std::mutex> lock(mu_);
        std::ofstream(report_, std::ios::app) << line << "\n";
    }

    std::mutex mu_;
    std::string report_;
    std::string name_ = "gw.tailnet-a.ts.net";
};

} // namespace

OPENCLAW_PLUGIN(Orchestra, "test-orchestra", "Exposure and discovery recorder", "0.0.1",
                OC_CAP_EXPOSURE | OC_CAP_DISCOVERY | OC_CAP_METHODS)
