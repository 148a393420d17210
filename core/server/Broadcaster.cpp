#include "server/Broadcaster.h"

namespace openclaw::server {

void Broadcaster::send(const std::string& event, std::shared_ptr<const std::string> payloadJson,
                       const std::string& stateVersionJson) const {
    for (const auto& shard : shards_) {
        Shard* sh = shard.get();
        sh->loop.post([sh, event, payloadJson, stateVersionJson] {
            for (auto& kv : sh->conns)
                kv.second->sendEvent(event, *payloadJson, stateVersionJson);
        });
    }
}

void Broadcaster::sendTo(int roleFilter, const std::string& scope, const std::string& event,
                         std::shared_ptr<const std::string> payloadJson) const {
    for (const auto& shard : shards_) {
        Shard* sh = shard.get();
        sh->loop.post([sh, roleFilter, scope, event, payloadJson] {
            for (auto& kv : sh->conns)
                if (kv.second->sessionMatches(roleFilter, scope))
                    kv.second->sendEvent(event, *payloadJson, "");
        });
    }
}

} // namespace openclaw::server
