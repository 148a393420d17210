#include "server/SessionDirectory.h"

#include "server/Connection.h"

#include <atomic>

namespace openclaw::server {

uint64_t SessionDirectory::nextId() {
    static std::atomic<uint64_t> next{1};
    return next++;
}

void SessionDirectory::add(uint64_t id, std::weak_ptr<Connection> conn, Shard* shard,
                           std::shared_ptr<const rpc::CallContext> ctx) {
    std::lock_guard<std::mutex> lock(mu_);
    sessions_[id] = Entry{std::move(conn), shard, std::move(ctx)};
}

void SessionDirectory::remove(uint64_t id) {
    std::lock_guard<std::mutex> lock(mu_);
    sessions_.erase(id);
}

bool SessionDirectory::post(uint64_t id, std::function<void(Connection&)> fn) const {
    std::weak_ptr<Connection> weak;
    Shard* shard = nullptr;
    {
        std::lock_guard<std::mutex> lock(mu_);
        auto it = sessions_.find(id);
        if (it == sessions_.end()) return false;
        weak = it->second.conn;
        shard = it->second.shard;
    }
    // The connection is touched only on its own loop; it may be gone by the time the task runs.
    return shard->loop.post([weak, fn = std::move(fn)] {
        if (auto conn = weak.lock()) fn(*conn);
    });
}

std::string SessionDirectory::list(int roleFilter) const {
    json::ArrayPtr out = json::makeArray();
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& kv : sessions_) {
        const rpc::CallContext& ctx = *kv.second.ctx;
        if (roleFilter == 1 && ctx.node) continue;
        if (roleFilter == 2 && !ctx.node) continue;
        out->add(sessionInfo(ctx));
    }
    return json::stringify(out);
}

size_t SessionDirectory::size() const {
    std::lock_guard<std::mutex> lock(mu_);
    return sessions_.size();
}

json::ObjectPtr sessionInfo(const rpc::CallContext& ctx) {
    json::ObjectPtr o = json::makeObject();
    o->set("sessionId", static_cast<Poco::UInt64>(ctx.sessionId));
    o->set("connId", ctx.connId);
    o->set("role", std::string(ctx.node ? "node" : "operator"));
    json::ArrayPtr scopes = json::makeArray();
    for (const std::string& s : ctx.scopes)
        scopes->add(s);
    o->set("scopes", scopes);
    json::ObjectPtr client = json::makeObject();
    client->set("id", ctx.clientId);
    client->set("mode", ctx.clientMode);
    client->set("platform", ctx.clientPlatform);
    client->set("version", ctx.clientVersion);
    o->set("client", client);
    o->set("deviceId", ctx.deviceId);
    o->set("remoteAddress", ctx.remoteAddress);
    o->set("isLoopback", ctx.loopback);
    return o;
}

} // namespace openclaw::server
