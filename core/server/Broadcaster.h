// Events to every authenticated session: serialized once, handed to each shard's loop, where each session
// stamps its own seq. Any thread.
#pragma once

#include "server/Connection.h"

#include <memory>
#include <string>
#include <vector>

namespace openclaw::server {

/// Sends events to all sessions of the shards.
class Broadcaster {
  public:
    explicit Broadcaster(const std::vector<std::unique_ptr<Shard>>& shards) : shards_(shards) {}

    /// Sends `event` with the payload (JSON) and, when not empty, the stateVersion object (JSON).
    void send(const std::string& event, std::shared_ptr<const std::string> payloadJson,
              const std::string& stateVersionJson) const;

    /// The same to the sessions of one role (0 = all, 1 operators, 2 nodes) holding `scope` ("" = any).
    void sendTo(int roleFilter, const std::string& scope, const std::string& event,
                std::shared_ptr<const std::string> payloadJson) const;

  private:
    const std::vector<std::unique_ptr<Shard>>& shards_;
};

} // namespace openclaw::server
