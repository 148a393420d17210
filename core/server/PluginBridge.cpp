#include "server/PluginBridge.h"

#include "log/Logger.h"
#include "protocol/Timestamp.h"

#include <fstream>

namespace openclaw::server {

namespace {

/// A plugin method's result as the RPC answer: its payload, its error object, or UNAVAILABLE with its text.
rpc::Reply pluginReply(const std::string& method, const plugins::LoadedPlugin::CallResult& r) {
    if (r.status == OC_OK) {
        if (r.result.empty()) return {json::Var(), std::nullopt};
        if (auto payload = json::tryParse(r.result)) return {*payload, std::nullopt};
        return {json::Var(),
                protocol::RpcError{"UNAVAILABLE", method + " answered something that is not JSON",
                                   json::Var(), false, std::nullopt}};
    }
    // The error is an RPC error object, or plain text.
    const json::Var parsed = json::tryParse(r.error).value_or(json::Var());
    if (auto e = protocol::RpcError::fromJson(parsed)) return {json::Var(), *e};
    return {json::Var(), protocol::RpcError{"UNAVAILABLE", method + " failed: " + r.error, json::Var(), false,
                                            std::nullopt}};
}

} // namespace

void PluginBridge::attach(rpc::Registry& registry) {
    const std::chrono::milliseconds limit(config_->plugins.callTimeoutMs);
    for (plugins::LoadedPlugin* p : plugins_.loaded()) {
        for (const oc_method_def& def : p->methods()) {
            std::string name = def.name;
            if (registry.find(name)) {
                log::Logger::get().warn("plugins", p->record().manifest.id + ": method " + name +
                                                       " already exists; the plugin's version is ignored");
                continue;
            }
            registry.addAsync(name, def.scope ? def.scope : "",
                              [p, def, name, limit](const rpc::CallContext&, const json::Var& params,
                                                    std::function<void(rpc::Reply)> reply) {
                                  p->callMethodAsync(def, json::stringify(params), limit,
                                                     [name, reply](plugins::LoadedPlugin::CallResult r) {
                                                         reply(pluginReply(name, r));
                                                     });
                              });
        }
        for (const std::string& event : p->events())
            registry.addEvent(event);
    }
    authChain_ = plugins_.authChain(config_->auth.mode);
}

json::Var PluginBridge::recordEvent(const std::string& event, const std::string& payloadJson) {
    json::Var payload = json::parse(payloadJson);
    if (rawStreamPath_.empty()) return payload;
    std::lock_guard<std::mutex> lock(rawMu_);
    std::ofstream out(rawStreamPath_, std::ios::app);
    json::ObjectPtr rec = json::makeObject();
    rec->set("ts", static_cast<Poco::Int64>(protocol::nowMs()));
    rec->set("event", event);
    rec->set("payload", payload);
    out << json::stringify(rec) << "\n";
    return payload;
}

} // namespace openclaw::server
