// The open sessions by id, for the plugins' session services (send to one, close one, list): each id maps
// to its connection (reached only through its shard's loop) and the session's call context. Touched when a
// session opens or closes and when a plugin asks, never per request.
#pragma once

#include "rpc/Registry.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace openclaw::server {

class Connection;
struct Shard;

/// Open sessions by id.
class SessionDirectory {
  public:
    /// A new session id: stable for the session's life, never reused within the process.
    static uint64_t nextId();

    void add(uint64_t id, std::weak_ptr<Connection> conn, Shard* shard,
             std::shared_ptr<const rpc::CallContext> ctx);
    void remove(uint64_t id);
    /// Runs fn on the session's connection, on its loop; false when the session is not open.
    bool post(uint64_t id, std::function<void(Connection&)> fn) const;
    /// The open sessions as JSON (oc_host_api.list_sessions); roleFilter 0 = all, 1 operators, 2 nodes.
    std::string list(int roleFilter) const;
    size_t size() const;

  private:
    struct Entry {
        std::weak_ptr<Connection> conn;
        Shard* shard = nullptr;
        std::shared_ptr<const rpc::CallContext> ctx;
    };
    mutable std::mutex mu_;
    std::unordered_map<uint64_t, Entry> sessions_;
};

/// A session's facts as JSON (hooks and list_sessions): sessionId, connId, role, scopes, client, remote.
json::ObjectPtr sessionInfo(const rpc::CallContext& ctx);

} // namespace openclaw::server
