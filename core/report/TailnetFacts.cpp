#include "report/TailnetFacts.h"

#include "plugins/CommandPlugin.h"

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
    plugins::LoadFilter only;
    only.capability = OC_CAP_EXPOSURE;
    const plugins::CommandPlugin loaded(cfg, only);
    TailnetFacts facts;
    facts.mode = mode;
    if (plugins::LoadedPlugin* exposure = loaded.plugin()) {
        const plugins::LoadedPlugin::CallResult r = exposure->exposureStatus();
        facts = r.status == OC_OK ? factsFrom(r.result, mode) : facts;
        if (r.status != OC_OK) facts.error = r.errorText();
    } else {
        facts.error = loaded.unavailable();
    }
    return facts;
}

} // namespace openclaw::report
