#include "server/PluginBridge.h"

#include "plugins/PluginError.h"
#include "json/RawJson.h"

#include "log/Logger.h"
#include "log/Throttle.h"
#include "protocol/Scopes.h"
#include "protocol/Timestamp.h"

#include <algorithm>
#include <fstream>

namespace openclaw::server {

namespace {

/// A plugin method's result as the RPC answer: its payload; the error object it chose (ABI 1.2's convention);
/// or, for a failure of the plugin itself (an exception, plain text), UNAVAILABLE with details.code
/// PLUGIN_INTERNAL_ERROR and the plugin's id — also logged, named, once a minute per message.
rpc::Reply pluginReply(const std::string& plugin, const std::string& method,
                       const plugins::LoadedPlugin::CallResult& r) {
    if (r.status == OC_OK) {
        if (r.result.empty()) return {json::Var(), std::nullopt};
        // Checked, not parsed: valid JSON goes into the answer frame as the plugin wrote it.
        if (json::isValid(r.result))
            return {json::Var(), std::nullopt, std::string(json::trimWhitespace(r.result))};
        return {json::Var(),
                protocol::RpcError{"UNAVAILABLE", method + " answered something that is not JSON",
                                   json::Var(), false, std::nullopt}};
    }
    const plugins::PluginError e = plugins::parsePluginError(r.error);
    if (!e.internal())
        return {json::Var(), protocol::RpcError{e.code, e.message, e.details, std::nullopt, std::nullopt}};
    log::errorThrottled(plugin, method + " failed: " + e.message);
    // The reference's clients switch on five top-level codes, so the category stays its own (UNAVAILABLE,
    // what it answers for a handler that throws); the specific code goes in details, as the reference does
    // with AUTH_TOKEN_MISMATCH and the like. Not retryable: the same call would fail the same way.
    json::ObjectPtr details = json::makeObject();
    details->set("code", plugins::kPluginInternalError);
    details->set("plugin", plugin);
    return {json::Var(), protocol::RpcError{"UNAVAILABLE", method + " failed: " + e.message, details, false,
                                            std::nullopt}};
}

/// The operator scopes as OC_SCOPE_* bits.
uint32_t scopeBits(const std::vector<std::string>& scopes) {
    static const std::pair<const std::string*, uint32_t> kBits[] = {
        {&protocol::scope::kAdmin, OC_SCOPE_ADMIN},
        {&protocol::scope::kRead, OC_SCOPE_READ},
        {&protocol::scope::kWrite, OC_SCOPE_WRITE},
        {&protocol::scope::kApprovals, OC_SCOPE_APPROVALS},
        {&protocol::scope::kQuestions, OC_SCOPE_QUESTIONS},
        {&protocol::scope::kPairing, OC_SCOPE_PAIRING},
        {&protocol::scope::kTalkSecrets, OC_SCOPE_TALK_SECRETS}};
    uint32_t bits = 0;
    for (const std::string& s : scopes)
        for (const auto& [name, b] : kBits)
            if (s == *name) bits |= b;
    return bits;
}

/// The C view of a caller; its strings point into `ctx`, which outlives the synchronous part of the call.
oc_call_context callContext(const rpc::CallContext& ctx) {
    oc_call_context c{};
    c.struct_size = sizeof c;
    c.session_id = ctx.sessionId;
    c.role = ctx.node ? OC_ROLE_NODE : OC_ROLE_OPERATOR;
    c.scopes = scopeBits(ctx.scopes);
    c.client_id = ctx.clientId.c_str();
    c.client_mode = ctx.clientMode.c_str();
    c.client_platform = ctx.clientPlatform.c_str();
    c.client_version = ctx.clientVersion.c_str();
    c.device_id = ctx.deviceId.c_str();
    c.remote_address = ctx.remoteAddress.c_str();
    c.is_loopback = ctx.loopback ? 1 : 0;
    return c;
}

} // namespace

void PluginBridge::attach(rpc::Registry& registry) {
    for (plugins::LoadedPlugin* p : plugins_.loaded()) {
        if (std::string clash = nameClash(registry, *p); !clash.empty()) {
            plugins_.refuse(p, clash); // loudly: logged, and listed among the plugins' errors
            continue;
        }
        registerPlugin(registry, *p);
    }
    fixAuthChain();
    for (plugins::LoadedPlugin* p : plugins_.loaded())
        if (p->descriptor().admission) admissionChain_.push_back(p);
    attachHooks();
}

std::string PluginBridge::nameClash(const rpc::Registry& registry, const plugins::LoadedPlugin& p) {
    for (const oc_method_def& def : p.methods())
        if (registry.find(def.name))
            return std::string("it declares the method ") + def.name +
                   ", which the gateway or an earlier plugin already serves (rename it in the plugin)";
    const auto& events = registry.events();
    for (const std::string& event : p.events())
        if (std::find(events.begin(), events.end(), event) != events.end())
            return "it declares the event " + event +
                   ", which the gateway or an earlier plugin already emits (rename it in the plugin)";
    return "";
}

void PluginBridge::registerPlugin(rpc::Registry& registry, plugins::LoadedPlugin& p) {
    const std::chrono::milliseconds limit(config_->plugins.callTimeoutMs);
    plugins::LoadedPlugin* plugin = &p;
    for (const oc_method_def& def : p.methods()) {
        std::string name = def.name;
        (*methodOwners_)[name] = p.record().manifest.id;
        registry.addAsync(name, def.scope ? def.scope : "",
                          [plugin, def, name, limit](const rpc::CallContext& ctx, const std::string& params,
                                                     std::function<void(rpc::Reply)> reply) {
                              plugin->callMethodAsync(
                                  def, callContext(ctx), params, limit,
                                  [plugin, name, reply](plugins::LoadedPlugin::CallResult r) {
                                      reply(pluginReply(plugin->record().manifest.id, name, r));
                                  });
                          });
    }
    for (size_t i = 0; i < p.events().size(); ++i) {
        registry.addEvent(p.events()[i]);
        eventScopes_[p.events()[i]] = p.eventScopes()[i];
    }
}

const std::string& PluginBridge::eventScope(const std::string& event) const {
    static const std::string kDefault = "operator.read"; // an event the plugin did not declare
    auto it = eventScopes_.find(event);
    return it == eventScopes_.end() ? kDefault : it->second;
}

void PluginBridge::fixAuthChain() {
    // An overlay that says it cannot decide under this config would only ever defer: it is left out, so a
    // connect does not pay a round trip to it (the configured mode's plugin, last, always stays).
    const std::vector<plugins::LoadedPlugin*> chain = plugins_.authChain(config_->auth.mode);
    for (size_t i = 0; i < chain.size(); ++i) {
        const bool last = i + 1 == chain.size() && plugins_.authPlugin(config_->auth.mode) == chain[i];
        if (!last && !chain[i]->authCanDecide()) {
            log::Logger::get().info("auth",
                                    chain[i]->record().manifest.id +
                                        ": cannot decide under this config; left out of the auth chain");
            continue;
        }
        authChain_.push_back(chain[i]);
    }
}

void PluginBridge::attachHooks() {
    for (plugins::LoadedPlugin* p : plugins_.loaded()) {
        if (!p->descriptor().hooks) continue;
        auto runner = std::make_unique<plugins::HookRunner>(*p, methodOwners_);
        for (auto kind :
             {plugins::HookKind::SessionOpen, plugins::HookKind::SessionClose, plugins::HookKind::Request,
              plugins::HookKind::ConfigReload, plugins::HookKind::AuthResult})
            if (runner->wants(kind)) wanted_ |= bit(kind);
        hooks_.push_back(std::move(runner));
    }
}

void PluginBridge::fire(plugins::HookKind kind, const std::function<std::string()>& json) {
    if (!wants(kind)) return;
    const std::string text = json();
    for (const auto& runner : hooks_)
        if (runner->wants(kind)) runner->post(kind, text);
}

void PluginBridge::fireRequest(const plugins::RequestFacts& facts) {
    if (!wants(plugins::HookKind::Request)) return;
    for (const auto& runner : hooks_)
        if (runner->wants(plugins::HookKind::Request)) runner->post(facts);
}

std::string PluginBridge::hookDrops() const {
    json::ObjectPtr out = json::makeObject();
    for (const auto& runner : hooks_) {
        json::ObjectPtr counts = json::makeObject();
        counts->set("request", static_cast<Poco::UInt64>(runner->requestDrops()));
        out->set(runner->pluginId(), counts);
    }
    return json::stringify(out);
}

void PluginBridge::stopHooks() {
    for (const auto& runner : hooks_)
        if (uint64_t drops = runner->requestDrops())
            log::Logger::get().warn("plugins", runner->pluginId() + ": " + std::to_string(drops) +
                                                   " request hooks dropped (its hook queue was full)");
    wanted_ = 0;
    hooks_.clear();
}

void PluginBridge::recordEvent(const std::string& event, const std::string& payloadJson) {
    if (rawStreamPath_.empty()) return;
    // One line per event, the payload spliced as it came (the plugin's text was validated on emit).
    std::string line = "{\"ts\":" + std::to_string(protocol::nowMs()) + ",\"event\":";
    json::appendQuoted(line, event);
    line += ",\"payload\":";
    line += payloadJson;
    line += "}\n";
    std::lock_guard<std::mutex> lock(rawMu_);
    std::ofstream(rawStreamPath_, std::ios::app) << line;
}

} // namespace openclaw::server
