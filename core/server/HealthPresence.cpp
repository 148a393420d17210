#include "server/HealthPresence.h"

#include "protocol/Timestamp.h"
#include "version.h"

#include <sys/utsname.h>
#include <unistd.h>

namespace openclaw::server {

namespace {

/// Health events after `health` calls: at most one per this gap (a trailing one carries the latest).
constexpr std::chrono::milliseconds kHealthBroadcastGap{1000};
/// `health` answers from a snapshot at most this old unless the caller asks to probe (the reference
/// keeps its cache for up to 60 s; ours is cheap to rebuild, so it stays fresh).
constexpr std::chrono::milliseconds kHealthCacheAge{1000};

std::string hostName() {
    char buf[256] = {0};
    ::gethostname(buf, sizeof buf - 1);
    std::string h = buf;
    size_t dot = h.find('.');
    return dot == std::string::npos ? h : h.substr(0, dot);
}

/// "linux <kernel release>", as the reference's presence says it.
std::string kernelPlatform() {
    struct utsname u {};
    ::uname(&u);
    return std::string("linux ") + u.release;
}

/// The plugins part of the health snapshot.
json::ObjectPtr pluginsHealth(const plugins::PluginHost& host) {
    json::ObjectPtr plugins = json::makeObject();
    json::ArrayPtr loaded = json::makeArray();
    json::ArrayPtr errors = json::makeArray();
    for (const auto& r : host.records()) {
        if (r.state == plugins::PluginState::Loaded) {
            loaded->add(r.manifest.id);
        } else if (r.state == plugins::PluginState::Error) {
            json::ObjectPtr e = json::makeObject();
            e->set("id", r.manifest.id);
            e->set("error", r.error);
            errors->add(e);
        }
    }
    plugins->set("loaded", loaded);
    plugins->set("errors", errors);
    plugins->set("unavailable", json::makeArray());
    return plugins;
}

/// What the reference reports of its agents, channels and sessions: none here.
void addEmptyAgentParts(Poco::JSON::Object& h) {
    h.set("channels", json::makeObject());
    h.set("channelOrder", json::makeArray());
    h.set("channelLabels", json::makeObject());
    h.set("heartbeatSeconds", 0);
    h.set("defaultAgentId", std::string("main"));
    h.set("agents", json::makeArray());
    json::ObjectPtr sessions = json::makeObject();
    sessions->set("path", json::Var());
    sessions->set("count", 0);
    sessions->set("recent", json::makeArray());
    h.set("sessions", sessions);
    json::ObjectPtr runtime = json::makeObject();
    runtime->set("degraded", false);
    runtime->set("pendingAgents", json::makeArray());
    h.set("modelRuntime", runtime);
}

} // namespace

HealthPresence::HealthPresence(config::GatewayConfigPtr config, const plugins::PluginHost& plugins,
                               std::string bootId, const Broadcaster& out, net::TimerService& timers)
    : config_(std::move(config)), plugins_(plugins), bootId_(std::move(bootId)), out_(out), timers_(timers),
      host_(hostName()), platform_(kernelPlatform()) {
    static std::atomic<uint64_t> instances{0};
    instanceId_ = ++instances;
}

json::ObjectPtr HealthPresence::health() const {
    const auto t0 = std::chrono::steady_clock::now();
    json::ObjectPtr h = json::makeObject();
    h->set("ok", true);
    h->set("ts", static_cast<Poco::Int64>(protocol::nowMs()));
    h->set("plugins", pluginsHealth(plugins_));
    json::ObjectPtr reload = json::makeObject();
    reload->set("hotReloadStatus", std::string(config_->restartCommandEnabled ? "active" : "disabled"));
    h->set("configReload", reload);
    addEmptyAgentParts(*h);
    const auto us =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0).count();
    h->set("durationMs", static_cast<Poco::Int64>(us / 1000));
    return h;
}

std::shared_ptr<const std::string> HealthPresence::healthJson(bool probe) {
    const auto now = std::chrono::steady_clock::now();
    // Each thread keeps the snapshot it last took and takes no lock while that is fresh: both loop
    // threads serve `health`, and one shared mutex per call had them taking turns (futex wake-ups by the
    // thousand per second under load).
    thread_local ThreadSnapshot mine;
    if (!probe && mine.owner == instanceId_ && mine.json && now - mine.takenAt < kHealthCacheAge)
        return mine.json;
    ThreadSnapshot taken{instanceId_, nullptr, now};
    {
        std::lock_guard<std::mutex> lock(healthMu_);
        if (!probe && healthCache_ && now - healthCacheAt_ < kHealthCacheAge)
            taken = {instanceId_, healthCache_, healthCacheAt_};
    }
    if (!taken.json) {
        taken.json = std::make_shared<const std::string>(json::stringify(health()));
        std::lock_guard<std::mutex> lock(healthMu_);
        healthCache_ = taken.json;
        healthCacheAt_ = now;
    }
    mine = taken;
    return taken.json;
}

void HealthPresence::healthServed() {
    ++healthVersion_;
    // Every `health` call is followed by a `health` event, as the reference does; under a stream of calls
    // they are coalesced to one per kHealthBroadcastGap (a trailing one carries the latest).
    // Under a stream of calls a trailing broadcast is nearly always scheduled: seen without the lock. A
    // call that still reads true while the timer clears it is covered by the broadcast the timer makes next.
    if (trailingHealth_.load(std::memory_order_acquire)) return;
    const auto now = std::chrono::steady_clock::now();
    {
        std::lock_guard<std::mutex> lock(healthMu_);
        if (trailingHealth_.load(std::memory_order_relaxed)) return;
        if (now - lastHealthBroadcast_ < kHealthBroadcastGap) {
            trailingHealth_.store(true, std::memory_order_release);
            auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(lastHealthBroadcast_ +
                                                                              kHealthBroadcastGap - now);
            timers_.add(static_cast<uint32_t>(std::max<long long>(1, wait.count())), false, [this] {
                {
                    std::lock_guard<std::mutex> l(healthMu_);
                    trailingHealth_.store(false, std::memory_order_release);
                    lastHealthBroadcast_ = std::chrono::steady_clock::now();
                }
                broadcast("health", healthJson(false), true);
            });
            return;
        }
        lastHealthBroadcast_ = now;
    }
    broadcast("health", healthJson(false), true);
}

json::ArrayPtr HealthPresence::presence() const {
    json::ArrayPtr a = json::makeArray();
    json::ObjectPtr self = json::makeObject();
    const std::string& host = host_;
    self->set("host", host);
    self->set("ip", std::string("127.0.0.1"));
    self->set("version", std::string(OPENCLAW_VERSION));
    self->set("platform", platform_);
    self->set("deviceFamily", std::string("Linux"));
    self->set("mode", std::string("gateway"));
    self->set("reason", std::string("self"));
    self->set("instanceId", bootId_);
    self->set("text", "Gateway: " + host + " (127.0.0.1) · app " + OPENCLAW_VERSION +
                          " · mode gateway · reason self");
    self->set("ts", static_cast<Poco::Int64>(protocol::nowMs()));
    a->add(self);
    std::lock_guard<std::mutex> lock(nodesMu_);
    for (const auto& kv : nodes_)
        a->add(kv.second);
    return a;
}

HealthPresence::PresenceText HealthPresence::presenceJson() {
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard<std::mutex> lock(presenceMu_);
    if (presenceCache_.json && now - presenceCacheAt_ < kHealthCacheAge) return presenceCache_;
    json::ArrayPtr list = presence();
    presenceCache_ = {std::make_shared<const std::string>(json::stringify(list)), list->size()};
    presenceCacheAt_ = now;
    return presenceCache_;
}

void HealthPresence::nodeJoined(const std::string& connId, json::ObjectPtr entry) {
    {
        std::lock_guard<std::mutex> lock(nodesMu_);
        nodes_[connId] = std::move(entry);
    }
    presenceChanged();
}

void HealthPresence::nodeLeft(const std::string& connId, bool announce) {
    {
        std::lock_guard<std::mutex> lock(nodesMu_);
        nodes_.erase(connId);
    }
    {
        std::lock_guard<std::mutex> lock(presenceMu_);
        presenceCache_.json.reset(); // hello-ok must not list a node that has gone
    }
    if (announce) presenceChanged();
}

void HealthPresence::presenceChanged() {
    ++presenceVersion_;
    {
        std::lock_guard<std::mutex> lock(presenceMu_);
        presenceCache_.json.reset();
    }
    broadcast("presence", presenceJson().json, true);
}

void HealthPresence::broadcast(const std::string& event, std::shared_ptr<const std::string> payloadJson,
                               bool withStateVersion) const {
    std::string sv;
    if (withStateVersion) {
        json::ObjectPtr o = json::makeObject();
        o->set("presence", static_cast<Poco::Int64>(presenceVersion_.load()));
        o->set("health", static_cast<Poco::Int64>(healthVersion_.load()));
        sv = json::stringify(o);
    }
    out_.send(event, std::move(payloadJson), sv);
}

} // namespace openclaw::server
