#include "report/TailnetFacts.h"

#include "plugins/CliServices.h"
#include "plugins/PluginHost.h"

namespace openclaw::report {

namespace {

TailnetFacts factsFrom(const std::string& statusJson, const std::string& mode) {
    TailnetFacts f;
    f.mode = mode;
    const std::optional<json::Var> parsed = json::tryParse(statusJson);
    json::ObjectPtr o = parsed ? json::asObject(*parsed) : nullptr;
    if (!o) {
        f.error = "the exposure plugin's status is not a JSON object";
        return f;
    }
    f.dnsName = json::getString(o, "dnsName").value_or("");
    f.address = json::getString(o, "address").value_or("");
    f.binary = json::getString(o, "binary").value_or("");
    f.backendState = json::getString(o, "backendState").value_or("");
    f.error = json::getString(o, "error").value_or("");
    return f;
}

} // namespace

std::optional<TailnetFacts> readTailnetFacts(const config::GatewayConfigPtr& cfg) {
    if (cfg->tailscale.mode == config::TailscaleMode::Off && cfg->bind != config::BindMode::Tailnet)
        return std::nullopt;
    const std::string mode = config::nameOf(cfg->tailscale.mode);
    plugins::PluginHost host(cfg, {plugins::PluginHost::defaultBundledDir()});
    host.discover();
    plugins::CliServices services(cfg);
    plugins::LoadFilter only;
    only.capability = OC_CAP_EXPOSURE;
    host.load(&services, nullptr, only);
    plugins::LoadedPlugin* exposure = host.withCapability(OC_CAP_EXPOSURE);
    TailnetFacts facts;
    facts.mode = mode;
    if (!exposure) {
        const plugins::PluginRecord* ts = host.find("tailscale");
        facts.error = ts ? "the tailscale plugin is not loaded (" +
                               (ts->error.empty() ? ts->enabledReason : ts->error) + ")"
                         : "no exposure plugin is installed";
    } else {
        const plugins::LoadedPlugin::CallResult r = exposure->exposureStatus();
        facts = r.status == OC_OK ? factsFrom(r.result, mode) : facts;
        if (r.status != OC_OK) facts.error = r.error;
    }
    host.unload();
    return facts;
}

} // namespace openclaw::report
