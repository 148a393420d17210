// Test fixture for the ABI 1.2 admission step. By the connect's client.displayName: "needs-pairing" is
// refused with PAIRING_REQUIRED after valid credentials; "device" is admitted with a device id, a device
// token and its scopes narrowed to operator.read; a connect whose credentials were refused but that carries
// auth.deviceToken "dev-tok" is admitted as "device-token"; anything else passes. admission.last answers the
// last request it was asked (the test checks the challenge nonce and ts).
#define OPENCLAW_PLUGIN_ABI_MINOR 2u
#include "openclaw/plugin.hpp"

#include <mutex>
#include <string>

namespace {

bool has(const std::string& json, const std::string& text) {
    return json.find(text) != std::string::npos;
}

class AdmissionPlugin : public openclaw::Plugin {
  public:
    explicit AdmissionPlugin(openclaw::Host host) : Plugin(host) {}

    static std::vector<openclaw::MethodSpec> methodSpecs() { return {{"admission.last", "operator.read"}}; }

    std::string admit(const std::string& request) override {
        {
            std::lock_guard<std::mutex> lock(mu_);
            last_ = request;
        }
        const bool credentialsOk = has(request, R"("credentials":{"ok":true)");
        if (!credentialsOk)
            return has(request, R"("deviceToken":"dev-tok")")
                       ? R"({"ok":true,"authMethod":"device-token","deviceId":"dev1","scopes":["operator.read"]})"
                       : R"({"pass":true})";
        if (has(request, R"("displayName":"needs-pairing")"))
            return R"({"ok":false,"code":"NOT_PAIRED","message":"pairing required","details":{"code":"PAIRING_REQUIRED","requestId":"r1"},"closeCode":1008,"closeReason":"pairing required"})";
        if (has(request, R"("displayName":"device")"))
            return R"({"ok":true,"deviceId":"dev-ok","deviceToken":"issued-1","scopes":["operator.read","operator.admin"]})";
        return R"({"pass":true})";
    }

    std::string call(const std::string&, const std::string&) override {
        std::lock_guard<std::mutex> lock(mu_);
        return last_.empty() ? "{}" : last_;
    }

  private:
    std::mutex mu_;
    std::string last_;
};

} // namespace

OPENCLAW_PLUGIN(AdmissionPlugin, "test-admission", "Admission fixture", "0.0.1",
                OC_CAP_ADMISSION | OC_CAP_METHODS)
