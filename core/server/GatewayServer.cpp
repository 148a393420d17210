#include "server/GatewayServer.h"

#include "log/Logger.h"
#include "server/Session.h"
#include "version.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/WebSocket.h>
#include <Poco/String.h>
#include <Poco/URI.h>
#include <Poco/UUIDGenerator.h>

#include <fstream>
#include <sys/utsname.h>
#include <unistd.h>

namespace openclaw::server {

namespace {

long long wallMs() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string hostName() {
    char buf[256] = {0};
    ::gethostname(buf, sizeof buf - 1);
    std::string h = buf;
    size_t dot = h.find('.');
    return dot == std::string::npos ? h : h.substr(0, dot);
}

class Handler : public Poco::Net::HTTPRequestHandler {
  public:
    explicit Handler(GatewayServer& gw) : gw_(gw) {}

    void handleRequest(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp) override {
        const bool upgrade = Poco::icompare(req.get("Upgrade", ""), "websocket") == 0;
        if (upgrade) {
            if (gw_.stopping()) {
                resp.setStatus(Poco::Net::HTTPResponse::HTTP_SERVICE_UNAVAILABLE);
                resp.send() << "shutting down\n";
                return;
            }
            std::string remote = req.clientAddress().host().toString();
            bool loopback = req.clientAddress().host().isLoopback();
            std::string local = req.serverAddress().toString();
            // As the reference (the `ws` library default): echo the first offered subprotocol, so
            // browsers that offer one accept the upgrade.
            std::string offered = req.get("Sec-WebSocket-Protocol", "");
            if (!offered.empty())
                resp.set("Sec-WebSocket-Protocol", Poco::trim(offered.substr(0, offered.find(','))));
            try {
                Poco::Net::WebSocket ws(req, resp);
                Session session(gw_, ws, remote, loopback, req.get("Origin", ""), local);
                session.run();
            } catch (const Poco::Net::WebSocketException& e) {
                // Not a valid upgrade: POCO has not answered yet.
                resp.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST);
                resp.setContentLength(0);
                resp.send();
            }
            return;
        }
        const std::string path = Poco::URI(req.getURI()).getPath();
        resp.set("Cache-Control", "no-store");
        if (path == "/healthz") {
            json::ObjectPtr o = json::makeObject();
            o->set("ok", true);
            o->set("status", std::string("live"));
            sendJson(resp, o);
        } else if (path == "/readyz") {
            json::ObjectPtr o = json::makeObject();
            o->set("ready", !gw_.stopping());
            o->set("failing", json::makeArray());
            o->set("uptimeMs", static_cast<Poco::Int64>(gw_.uptimeMs()));
            if (gw_.stopping()) resp.setStatus(Poco::Net::HTTPResponse::HTTP_SERVICE_UNAVAILABLE);
            sendJson(resp, o);
        } else if (path == "/") {
            resp.setContentType("text/html; charset=utf-8");
            resp.send() << "<!doctype html><title>OpenClaw Gateway</title><p>OpenClaw Gateway (native) "
                        << OPENCLAW_VERSION << ". Connect a client over WebSocket on this port.</p>\n";
        } else {
            resp.setStatus(Poco::Net::HTTPResponse::HTTP_NOT_FOUND);
            json::ObjectPtr o = json::makeObject();
            o->set("ok", false);
            o->set("error", std::string("not found: ") + path);
            sendJson(resp, o);
        }
    }

  private:
    static void sendJson(Poco::Net::HTTPServerResponse& resp, const json::ObjectPtr& o) {
        std::string body = json::stringify(o);
        resp.setContentType("application/json; charset=utf-8");
        resp.setContentLength(static_cast<std::streamsize>(body.size()));
        resp.send() << body;
    }
    GatewayServer& gw_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
  public:
    explicit Factory(GatewayServer& gw) : gw_(gw) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new Handler(gw_);
    }

  private:
    GatewayServer& gw_;
};

} // namespace

GatewayServer::GatewayServer(config::GatewayConfigPtr config, plugins::PluginHost& plugins,
                             ServerSettings settings)
    : config_(std::move(config)), plugins_(plugins), settings_(std::move(settings)),
      limiter_(config_->auth.rateLimit),
      bootId_(Poco::UUIDGenerator::defaultGenerator().createRandom().toString()),
      started_(std::chrono::steady_clock::now()), pool_("gateway", 2, 4096, 60, 256 * 1024) {
    rpc::registerBuiltins(registry_, *this);
}

GatewayServer::~GatewayServer() {
    stop("server destroyed");
}

void GatewayServer::attachPlugins() {
    for (plugins::LoadedPlugin* p : plugins_.loaded()) {
        const oc_methods_vtable* m = p->descriptor().methods;
        if (!m) continue;
        for (size_t i = 0; i < m->method_count; ++i) {
            const oc_method_def def = m->methods[i];
            if (!def.name || !def.handler) continue;
            std::string name = def.name;
            if (registry_.scopeOf(name)) {
                log::Logger::get().warn("plugins", p->record().manifest.id + ": method " + name +
                                                       " already exists; the plugin's version is ignored");
                continue;
            }
            registry_.add(name, def.scope ? def.scope : "",
                          [p, def, name](const rpc::CallContext&, const json::Var& params) -> json::Var {
                              auto r = p->callMethod(def, json::stringify(params));
                              if (r.status == OC_OK)
                                  return r.result.empty() ? json::Var() : json::parse(r.result);
                              json::Var parsed;
                              try {
                                  parsed = json::parse(r.error);
                              } catch (...) {
                              }
                              if (auto e = protocol::RpcError::fromJson(parsed)) throw rpc::RpcFailure(*e);
                              throw rpc::RpcFailure({"UNAVAILABLE", name + " failed: " + r.error, json::Var(),
                                                     false, std::nullopt});
                          });
        }
        for (size_t i = 0; i < m->event_count; ++i)
            if (m->events[i]) registry_.addEvent(m->events[i]);
    }
}

void GatewayServer::start() {
    Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams();
    params->setMaxThreads(4096);
    params->setMaxQueued(256);
    params->setKeepAlive(true);
    Poco::Net::Context::Ptr tlsContext;
    if (settings_.tls) {
        tls::initialize();
        Poco::Net::Context::Params p;
        p.certificateFile = settings_.tls->certPath;
        p.privateKeyFile = settings_.tls->keyPath;
        p.verificationMode = Poco::Net::Context::VERIFY_NONE; // clients authenticate with the protocol's auth
        p.loadDefaultCAs = false;
        try {
            tlsContext = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, p);
        } catch (const Poco::Exception& e) {
            throw std::runtime_error("gateway.tls: cannot use " + p.certificateFile + " / " +
                                     p.privateKeyFile + ": " + e.displayText());
        }
    }
    for (const std::string& host : settings_.hosts) {
        Poco::Net::SocketAddress addr(host, static_cast<Poco::UInt16>(settings_.port));
        Poco::Net::ServerSocket socket =
            tlsContext ? Poco::Net::ServerSocket(Poco::Net::SecureServerSocket(tlsContext))
                       : Poco::Net::ServerSocket();
        try {
            socket.bind(addr, true, host.find(':') != std::string::npos);
            socket.listen(256);
        } catch (const Poco::Exception& e) {
            for (auto& s : servers_)
                s->stopAll(true);
            servers_.clear();
            throw std::runtime_error(
                "cannot listen on " + addr.toString() + ": " + e.displayText() +
                (e.displayText().find("in use") != std::string::npos
                     ? " (another process holds the port; stop it, use --force, or pick --port)"
                     : ""));
        }
        servers_.push_back(
            std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), pool_, socket, params));
        listening_.push_back(addr.toString());
    }
    for (auto& s : servers_)
        s->start();
    tickTimer_ = timers_.add(static_cast<uint32_t>(settings_.tickIntervalMs), true, [this] {
        json::ObjectPtr p = json::makeObject();
        p->set("ts", static_cast<Poco::Int64>(wallMs()));
        broadcast("tick", p);
    });
}

void GatewayServer::stop(const std::string& reason, int closeCode) {
    if (stopRequested_.exchange(true)) return;
    timers_.stop();
    json::ObjectPtr payload = json::makeObject();
    payload->set("reason", reason);
    payload->set("restartExpectedMs", json::Var());
    {
        // Tell every session before raising stopping_: a session that saw the flag first would close
        // itself without the shutdown event.
        std::lock_guard<std::mutex> lock(sessionsMu_);
        for (Session* s : sessions_) {
            s->sendEvent("shutdown", payload, json::Var());
            s->close(closeCode, closeCode == 1012 ? "service restart" : reason);
        }
    }
    stopping_ = true;
    for (auto& s : servers_)
        s->stopAll(true);
    // Sessions notice stopping_ within one poll slice and leave; wait for them.
    for (int i = 0; i < 400; ++i) {
        {
            std::lock_guard<std::mutex> lock(sessionsMu_);
            if (sessions_.empty()) break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    servers_.clear();
    pool_.joinAll();
}

void GatewayServer::addSession(Session* s) {
    std::lock_guard<std::mutex> lock(sessionsMu_);
    sessions_.insert(s);
}

void GatewayServer::removeSession(Session* s) {
    bool wasPresence = s->presenceEntry() != nullptr;
    {
        std::lock_guard<std::mutex> lock(sessionsMu_);
        sessions_.erase(s);
    }
    if (wasPresence) presenceChanged();
}

void GatewayServer::presenceChanged() {
    ++presenceVersion_;
    broadcast("presence", presence(), true);
}

void GatewayServer::broadcast(const std::string& event, const json::Var& payload, bool withStateVersion) {
    json::Var sv;
    if (withStateVersion) {
        json::ObjectPtr o = json::makeObject();
        o->set("presence", static_cast<Poco::Int64>(presenceVersion_.load()));
        o->set("health", static_cast<Poco::Int64>(healthVersion_.load()));
        sv = o;
    }
    std::lock_guard<std::mutex> lock(sessionsMu_);
    // sendEvent checks "authenticated" under the session's send lock; checking here as well would race
    // with a handshake that has sent hello-ok but not yet marked itself authenticated.
    for (Session* s : sessions_)
        s->sendEvent(event, payload, sv);
}

long long GatewayServer::uptimeMs() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started_)
        .count();
}

json::ObjectPtr GatewayServer::health() const {
    auto t0 = std::chrono::steady_clock::now();
    json::ObjectPtr h = json::makeObject();
    h->set("ok", true);
    h->set("ts", static_cast<Poco::Int64>(wallMs()));
    json::ObjectPtr plugins = json::makeObject();
    json::ArrayPtr loaded = json::makeArray();
    json::ArrayPtr errors = json::makeArray();
    json::ArrayPtr unavailable = json::makeArray();
    for (const auto& r : plugins_.records()) {
        if (r.state == "loaded") {
            loaded->add(r.manifest.id);
        } else if (r.state == "error") {
            json::ObjectPtr e = json::makeObject();
            e->set("id", r.manifest.id);
            e->set("error", r.error);
            errors->add(e);
        }
    }
    plugins->set("loaded", loaded);
    plugins->set("errors", errors);
    plugins->set("unavailable", unavailable);
    h->set("plugins", plugins);
    json::ObjectPtr reload = json::makeObject();
    reload->set("hotReloadStatus", std::string(config_->restartCommandEnabled ? "active" : "disabled"));
    h->set("configReload", reload);
    h->set("channels", json::makeObject());
    h->set("channelOrder", json::makeArray());
    h->set("channelLabels", json::makeObject());
    h->set("heartbeatSeconds", 0);
    h->set("defaultAgentId", std::string("main"));
    h->set("agents", json::makeArray());
    json::ObjectPtr sessions = json::makeObject();
    sessions->set("path", json::Var());
    sessions->set("count", 0);
    sessions->set("recent", json::makeArray());
    h->set("sessions", sessions);
    json::ObjectPtr runtime = json::makeObject();
    runtime->set("degraded", false);
    runtime->set("pendingAgents", json::makeArray());
    h->set("modelRuntime", runtime);
    auto us =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0).count();
    h->set("durationMs", static_cast<Poco::Int64>(us / 1000));
    return h;
}

json::ArrayPtr GatewayServer::presence() const {
    json::ArrayPtr a = json::makeArray();
    json::ObjectPtr self = json::makeObject();
    struct utsname u {};
    ::uname(&u);
    std::string host = hostName();
    self->set("host", host);
    self->set("ip", std::string("127.0.0.1"));
    self->set("version", std::string(OPENCLAW_VERSION));
    self->set("platform", std::string("linux ") + u.release);
    self->set("deviceFamily", std::string("Linux"));
    self->set("mode", std::string("gateway"));
    self->set("reason", std::string("self"));
    self->set("instanceId", bootId_);
    self->set("text", "Gateway: " + host + " (127.0.0.1) · app " + OPENCLAW_VERSION +
                          " · mode gateway · reason self");
    self->set("ts", static_cast<Poco::Int64>(wallMs()));
    a->add(self);
    std::lock_guard<std::mutex> lock(sessionsMu_);
    for (Session* s : sessions_)
        if (json::ObjectPtr p = s->presenceEntry()) a->add(p);
    return a;
}

json::ObjectPtr GatewayServer::runtimeStatus() const {
    json::ObjectPtr g = json::makeObject();
    g->set("implementation", std::string("openclaw-gateway-cpp"));
    g->set("nativeVersion", std::string(OPENCLAW_NATIVE_VERSION));
    g->set("pid", static_cast<int>(::getpid()));
    g->set("port", settings_.port);
    g->set("bind", config_->bind);
    json::ArrayPtr l = json::makeArray();
    for (const auto& s : listening_)
        l->add(s);
    g->set("listening", l);
    g->set("authMode", config_->auth.mode);
    g->set("uptimeMs", static_cast<Poco::Int64>(uptimeMs()));
    std::lock_guard<std::mutex> lock(sessionsMu_);
    g->set("connections", static_cast<int>(sessions_.size()));
    return g;
}

std::string GatewayServer::logFile() const {
    std::string f = log::Logger::get().filePath();
    return f.empty() ? config_->paths.logFile() : f;
}

void GatewayServer::healthServed(const json::ObjectPtr& snapshot) {
    ++healthVersion_;
    broadcast("health", snapshot, true);
}

bool GatewayServer::emitEvent(const std::string& event, const std::string& payloadJson) {
    json::Var payload = json::parse(payloadJson);
    if (!settings_.rawStreamPath.empty()) {
        std::lock_guard<std::mutex> lock(rawMu_);
        std::ofstream out(settings_.rawStreamPath, std::ios::app);
        json::ObjectPtr rec = json::makeObject();
        rec->set("ts", static_cast<Poco::Int64>(wallMs()));
        rec->set("event", event);
        rec->set("payload", payload);
        out << json::stringify(rec) << "\n";
    }
    broadcast(event, payload);
    return true;
}

std::string GatewayServer::runtimeJson() const {
    json::ObjectPtr o = json::makeObject();
    o->set("port", settings_.port);
    o->set("bindHost", settings_.hosts.empty() ? std::string() : settings_.hosts.front());
    o->set("stateDir", config_->paths.stateDir);
    o->set("version", std::string(OPENCLAW_VERSION));
    json::ObjectPtr tls = json::makeObject();
    tls->set("enabled", settings_.tls.has_value());
    if (settings_.tls) tls->set("sha256", settings_.tls->sha256);
    o->set("tls", tls);
    return json::stringify(o);
}

uint64_t GatewayServer::addTimer(uint32_t intervalMs, bool repeat, std::function<void()> fn) {
    return timers_.add(intervalMs, repeat, std::move(fn));
}

void GatewayServer::cancelTimer(uint64_t id) {
    timers_.cancel(id);
}

} // namespace openclaw::server
