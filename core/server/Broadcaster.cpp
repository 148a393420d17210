#include "server/Broadcaster.h"

namespace openclaw::server {

void Broadcaster::send(const std::string& event, std::shared_ptr<const std::string> payloadJson,
                       const std::string& stateVersionJson) const {
    // Rendered once for every session of every shard; each session only adds its seq.
    auto frame = std::make_shared<const protocol::EventFrame>(event, *payloadJson, stateVersionJson);
    for (const auto& shard : shards_) {
        Shard* sh = shard.get();
        sh->loop.post([sh, frame] {
            for (auto& kv : sh->conns)
                kv.second->sendEvent(*frame);
        });
    }
}

void Broadcaster::sendTo(int roleFilter, const std::string& scope, const std::string& event,
                         std::shared_ptr<const std::string> payloadJson) const {
    auto frame = std::make_shared<const protocol::EventFrame>(event, *payloadJson);
    for (const auto& shard : shards_) {
        Shard* sh = shard.get();
        sh->loop.post([sh, roleFilter, scope, frame] {
            for (auto& kv : sh->conns)
                if (kv.second->sessionMatches(roleFilter, scope)) kv.second->sendEvent(*frame);
        });
    }
}

} // namespace openclaw::server
