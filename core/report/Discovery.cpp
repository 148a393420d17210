#include "report/Discovery.h"

#include "plugins/CommandPlugin.h"

#include <algorithm>
#include <set>

namespace openclaw::report {

namespace {

DiscoveredBeacon beaconFrom(const json::ObjectPtr& o) {
    DiscoveredBeacon b;
    b.json = o;
    auto text = [&](const char* key) { return json::getString(o, key).value_or(""); };
    b.instanceName = text("instanceName");
    b.domain = text("domain");
    b.displayName = text("displayName");
    b.host = text("host");
    b.lanHost = text("lanHost");
    b.tailnetDns = text("tailnetDns");
    b.fingerprint = text("gatewayTlsFingerprintSha256");
    b.wsUrl = text("wsUrl");
    b.role = text("role");
    b.transport = text("transport");
    b.port = static_cast<int>(json::getInt(o, "port").value_or(0));
    if (auto p = json::getInt(o, "gatewayPort")) b.gatewayPort = static_cast<int>(*p);
    if (auto p = json::getInt(o, "sshPort")) b.sshPort = static_cast<int>(*p);
    b.gatewayTls = json::getBool(o, "gatewayTls").value_or(false);
    return b;
}

std::string identity(const DiscoveredBeacon& b) {
    return b.domain + "|" + b.instanceName + "|" + b.displayName + "|" + b.host + "|" +
           std::to_string(b.port) + "|" + std::to_string(b.gatewayPort.value_or(0));
}

void addFound(DiscoveryResult& r, const std::string& answer) {
    const std::optional<json::Var> parsed = json::tryParse(answer);
    json::ObjectPtr o = parsed ? json::asObject(*parsed) : nullptr;
    if (!o) {
        r.errors.push_back("the discovery plugin answered something that is not a JSON object");
        return;
    }
    std::set<std::string> seen;
    if (json::ArrayPtr list = json::getArray(o, "beacons"))
        for (size_t i = 0; i < list->size(); ++i)
            if (json::ObjectPtr b = json::asObject(list->get(static_cast<unsigned>(i)))) {
                DiscoveredBeacon beacon = beaconFrom(b);
                if (seen.insert(identity(beacon)).second) r.beacons.push_back(std::move(beacon));
            }
    if (json::ArrayPtr errors = json::getArray(o, "errors"))
        for (size_t i = 0; i < errors->size(); ++i)
            r.errors.push_back(errors->get(static_cast<unsigned>(i)).toString());
    std::sort(r.beacons.begin(), r.beacons.end(), [](const DiscoveredBeacon& a, const DiscoveredBeacon& b) {
        const std::string& ka = a.displayName.empty() ? a.instanceName : a.displayName;
        const std::string& kb = b.displayName.empty() ? b.instanceName : b.displayName;
        return ka < kb;
    });
}

} // namespace

DiscoveryResult discoverGateways(const config::GatewayConfigPtr& cfg, int timeoutMs,
                                 const std::string& nameserver) {
    DiscoveryResult r;
    r.timeoutMs = timeoutMs;
    r.domains.push_back("local.");
    if (!cfg->discovery.wideAreaDomain.empty()) r.domains.push_back(cfg->discovery.wideAreaDomain);
    plugins::LoadFilter only;
    only.capability = OC_CAP_DISCOVERY;
    const plugins::CommandPlugin loaded(cfg, only);
    plugins::LoadedPlugin* discovery = loaded.plugin();
    if (!discovery) {
        r.unavailable = loaded.unavailable();
        return r;
    }
    json::ObjectPtr req = json::makeObject();
    json::ArrayPtr domains = json::makeArray();
    for (const auto& d : r.domains)
        domains->add(d);
    req->set("domains", domains);
    req->set("timeoutMs", timeoutMs);
    if (!nameserver.empty()) req->set("nameserver", nameserver);
    const plugins::LoadedPlugin::CallResult answer = discovery->browse(json::stringify(req));
    if (answer.status == OC_OK)
        addFound(r, answer.result);
    else
        r.errors.push_back(answer.errorText());
    return r;
}

} // namespace openclaw::report
