// The bundled devices plugin (ABI 1.2: admission, methods): signed device identity, device pairing and device
// tokens as the reference gateway does them (reference/nodes-and-devices.md §1–§2). The work is in Devices;
// this file is the plugin's face: what it reads of the config, what it declares, and the calls' way in.
// Built on the public SDK only, with POCO's JSON (and simdjson for the answer asked of every connect).
#include "Devices.hpp"
#include "QuickAdmit.hpp"

#include <Poco/JSON/Parser.h>

namespace {

using openclaw::devices::Devices;
using openclaw::devices::DevicesConfig;
using Poco::JSON::Object;

Object::Ptr parseObject(const std::string& json) {
    return Poco::JSON::Parser().parse(json).extract<Object::Ptr>();
}

/// gateway.nodes.pairing.autoApproveLocal (default true) and the state folder.
DevicesConfig readConfig(const openclaw::Host& host) {
    DevicesConfig c;
    const Object::Ptr gateway = parseObject(host.config("gateway"));
    const Object::Ptr nodes =
        gateway->has("nodes") && gateway->isObject("nodes") ? gateway->getObject("nodes") : nullptr;
    const Object::Ptr pairing =
        nodes && nodes->has("pairing") && nodes->isObject("pairing") ? nodes->getObject("pairing") : nullptr;
    if (pairing) c.autoApproveLocal = pairing->optValue<bool>("autoApproveLocal", true);
    const Object::Ptr commands = nodes && nodes->has("commands") && nodes->isObject("commands")
                                     ? nodes->getObject("commands")
                                     : nullptr;
    for (const char* list : {"allow", "deny"})
        if (commands && commands->has(list) && commands->isArray(list))
            for (const auto& v : *commands->getArray(list))
                (std::string(list) == "allow" ? c.commands.allow : c.commands.deny).insert(v.toString());
    const Object::Ptr runtime = parseObject(host.config("runtime"));
    c.stateDir = runtime->optValue<std::string>("stateDir", ".");
    c.nativeDir = c.stateDir + "/native";
    return c;
}

class DevicesPlugin : public openclaw::Plugin {
  public:
    explicit DevicesPlugin(openclaw::Host host) : Plugin(host), devices_(host, readConfig(host)) {}

    static std::vector<openclaw::MethodSpec> methodSpecs() {
        std::vector<openclaw::MethodSpec> out;
        for (const char* m :
             {"device.pair.list", "device.pair.approve", "device.pair.reject", "device.pair.remove",
              "device.pair.rename", "device.token.rotate", "device.token.revoke", "node.pair.list",
              "node.pair.approve", "node.pair.reject", "node.pair.remove", "node.rename"})
            out.push_back({m, "operator.pairing"});
        out.push_back({"device.pair.import", "operator.admin"});
        out.push_back({"node.list", "operator.read"});
        out.push_back({"node.describe", "operator.read"});
        out.push_back({"node.invoke", "operator.write"});
        // Only node sessions call these (the scope "node": the gateway refuses operators, "unauthorized
        // role").
        for (const char* m : {"node.invoke.result", "node.event", "node.runnerInventory.update",
                              "node.skills.update", "node.pluginTools.update"})
            out.push_back({m, "node"});
        return out;
    }
    static std::vector<std::string> eventNames() {
        return {"device.pair.requested",       "device.pair.resolved", "device.pair.changed",
                "node.pair.requested",         "node.pair.resolved",   "node.hostStats",
                "node.runnerInventory.changed"};
    }
    static std::string eventScope(const std::string& event) {
        return event == "node.hostStats" || event == "node.runnerInventory.changed" ? "operator.read"
                                                                                    : "operator.pairing";
    }

    /// Connects without a device are decided on the connection's loop; a device (its proof, the store) is
    /// checked on a worker.
    static uint32_t admissionFlags() { return OC_ADMISSION_QUICK_FIRST; }

    std::string admit(const std::string& requestJson) override {
        if (std::optional<std::string> pass = openclaw::devices::passWithoutDevice(requestJson)) return *pass;
        return devices_.admit(parseObject(requestJson));
    }

    std::string callFrom(const openclaw::CallContext& caller, const std::string& method,
                         const std::string& paramsJson) override {
        return devices_.call(caller, method, parseObject(paramsJson));
    }

  private:
    Devices devices_;
};

} // namespace

OPENCLAW_PLUGIN(DevicesPlugin, "devices", "Devices and nodes", "0.2.0", OC_CAP_ADMISSION | OC_CAP_METHODS)
