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

namespace {

json::ArrayPtr stringsJson(const std::vector<std::string>& v) {
    json::ArrayPtr a = json::makeArray();
    for (const std::string& s : v)
        a->add(s);
    return a;
}

/// caps always; commands and permissions for nodes (what the reference's node.list shows).
void addDeclared(const rpc::Declared* d, Poco::JSON::Object& o) {
    static const rpc::Declared kNone;
    if (!d) d = &kNone;
    o.set("caps", stringsJson(d->caps));
    if (o.getValue<std::string>("role") != "node") return;
    o.set("commands", stringsJson(d->commands));
    json::ObjectPtr permissions = json::makeObject();
    for (const auto& [name, granted] : d->permissions)
        permissions->set(name, granted);
    o.set("permissions", permissions);
}

} // namespace

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
    addDeclared(ctx.declared.get(), *o);
    return o;
}

} // namespace openclaw::server
