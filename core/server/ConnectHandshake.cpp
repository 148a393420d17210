#include "server/ConnectHandshake.h"

#include "plugins/PluginError.h"

#include "log/Logger.h"
#include "protocol/Frames.h"
#include "server/Connection.h"
#include "server/GatewayServer.h"
#include "server/StepVerdict.h"
#include "server/WsLog.h"

#include <thread>

namespace openclaw::server {

ConnectHandshake::ConnectHandshake(GatewayServer& gw, HandshakeOwner& owner, const Peer& peer,
                                   const std::string& connId, bool tls)
    : gw_(gw), owner_(owner), peer_(peer), connId_(connId), tls_(tls) {}

void ConnectHandshake::setUpgradeHeaders(std::map<std::string, std::string> headers) {
    if (!pending_) pending_ = std::make_unique<Pending>();
    pending_->headers = std::move(headers);
}

void ConnectHandshake::setChallenge(std::string nonce, long long ts) {
    if (gw_.bridge().admissionChain().empty()) return; // only the admission plugins need it
    if (!pending_) pending_ = std::make_unique<Pending>();
    pending_->nonce = std::move(nonce);
    pending_->ts = ts;
}

const char* ConnectHandshake::authMethod() const {
    if (admitted_ && !admitted_->method.empty()) return admitted_->method.c_str();
    return overlayMethod_ ? overlayMethod_ : config::nameOf(mode_);
}

void ConnectHandshake::onConnectFrame(const std::string& text) {
    protocol::ParsedFrame f = protocol::parseFrame(text);
    if (f.kind == protocol::ParsedFrame::Kind::NotJson) {
        owner_.closeConnection(1000, ""); // as the reference: invalid JSON before hello closes quietly
        return;
    }
    if (f.kind != protocol::ParsedFrame::Kind::Request || f.request.method != "connect") {
        owner_.refuseConnect(protocol::notConnectFirst(), f.id);
        return;
    }
    auto parsed = protocol::parseConnectText(f.request.paramsJson);
    if (auto* err = std::get_if<protocol::HandshakeError>(&parsed)) {
        owner_.refuseConnect(*err, f.id);
        return;
    }
    params_ = std::move(std::get<protocol::ConnectParams>(parsed));
    if (!gw_.bridge().admissionChain().empty()) {
        if (!pending_) pending_ = std::make_unique<Pending>();
        pending_->paramsJson = f.request.paramsJson;
    }
    config::GatewayConfigPtr cfg = gw_.config();
    if (!origin_.empty() && !protocol::originAllowed(origin_, cfg->allowedOrigins, gw_.settings().port)) {
        owner_.refuseConnect(protocol::originNotAllowed(), f.id);
        return;
    }
    if (wsLogOn(gw_.settings().wsLog, false))
        wsLog(gw_.settings().wsLog,
              "← connect client=" + params_.client.id + " version=" + params_.client.version +
                  " mode=" + params_.client.mode + " platform=" + params_.client.platform +
                  " auth=" + params_.providedAuth + " conn=" + connId_);
    mode_ = cfg->auth.mode;
    if (mode_ == config::AuthMode::None) {
        credentialsDecided(f.id, std::nullopt);
        return;
    }
    startAuth(f.id);
}

void ConnectHandshake::startAuth(const std::string& id) {
    if (long long wait = gw_.limiter().lockedForMs(peer_.remote, peer_.loopback)) {
        json::ObjectPtr d = json::makeObject();
        d->set("code", std::string("AUTH_RATE_LIMITED"));
        d->set("authReason", std::string("rate_limited"));
        d->set("retryAfterMs", static_cast<Poco::Int64>(wait));
        d->set("recommendedNextStep", std::string("wait_then_retry"));
        const std::string msg = "unauthorized: too many failed authentication attempts (retry later)";
        owner_.refuseConnect({{"INVALID_REQUEST", msg, d, true, wait}, 1008, msg}, id);
        return;
    }
    if (!gw_.plugins().authPlugin(mode_) || gw_.authChain().empty()) {
        const std::string msg = std::string("gateway auth mode ") + config::nameOf(mode_) +
                                " is unavailable (no enabled plugin serves it)";
        owner_.refuseConnect({{"UNAVAILABLE", msg, json::Var(), false, std::nullopt}, 1011, msg}, id);
        return;
    }
    if (!pending_) pending_ = std::make_unique<Pending>();
    pending_->request = authRequest();
    std::map<std::string, std::string>().swap(pending_->headers); // only the request needed them
    ask(id, 0);
}

std::string ConnectHandshake::authRequest() const {
    // Built as text: it is asked for every connect, and the plugin parses it anyway.
    const size_t colon = peer_.local.rfind(':');
    std::string r = R"({"mode":)";
    json::appendQuoted(r, config::nameOf(mode_));
    r += R"(,"auth":)";
    r += params_.authJson.empty() ? "{}" : params_.authJson;
    r += R"(,"client":)";
    protocol::appendClientJson(r, params_.client);
    json::appendMember(r, "remoteAddress", peer_.remote);
    r += R"(,"remotePort":)" + std::to_string(peer_.remotePort);
    r += peer_.loopback ? R"(,"isLoopback":true,"listener":)" : R"(,"isLoopback":false,"listener":)";
    json::appendQuoted(r, peer_.local);
    json::appendMember(r, "localAddress", std::string_view(peer_.local).substr(0, colon));
    r += R"(,"localPort":)" + std::to_string(std::atoi(peer_.local.c_str() + colon + 1));
    r += tls_ ? R"(,"tls":true,"headers":{)" : R"(,"tls":false,"headers":{)";
    bool first = true;
    if (pending_)
        for (const auto& [name, value] : pending_->headers) {
            if (!first) r += ',';
            first = false;
            json::appendQuoted(r, name);
            r += ':';
            json::appendQuoted(r, value);
        }
    r += "}}";
    return r;
}

void ConnectHandshake::askPlugin(const std::function<bool(plugins::LoadedPlugin::Done)>& call,
                                 std::function<void(const Answer&)> then) {
    struct Here {
        std::thread::id thread = std::this_thread::get_id();
        bool asking = true;
        std::optional<Answer> answer;
    };
    auto here = std::make_shared<Here>();
    // The answer may come on another thread, maybe after the connection has gone: only the poster is safe
    // there.
    auto post = owner_.decisionPoster();
    const bool asked = call([here, post, then](Answer r) {
        // The thread is compared first: `asking` belongs to the asking thread.
        if (std::this_thread::get_id() == here->thread && here->asking) {
            here->answer = std::move(r);
            return;
        }
        post([then, r = std::move(r)] { then(r); });
    });
    here->asking = false;
    if (!asked) {
        owner_.closeConnection(1012, "service restart");
        return;
    }
    if (here->answer) {
        then(*here->answer); // no thread hop, and reading never paused
        return;
    }
    owner_.holdReading(); // nothing more is read from this peer until the plugin has answered
}

void ConnectHandshake::ask(const std::string& id, size_t step) {
    plugins::LoadedPlugin* plugin = gw_.authChain()[step];
    // A plugin may answer later (OC_PENDING); the handshake deadline bounds the wait.
    const std::chrono::milliseconds limit(gw_.config()->handshakeTimeoutMs);
    ConnectHandshake* self = this; // alive whenever an answer is handled (the poster checks)
    auto then = [self, id, step](const Answer& r) { self->decided(id, step, r.status, r.result, r.error); };
    if (plugin->authNeverBlocks()) {
        // ABI 1.2: a step that never blocks is asked here, on the connection's loop (no worker round trip).
        askPlugin(
            [&](plugins::LoadedPlugin::Done done) {
                plugin->verifyAuthAsync(pending_->request, limit, std::move(done));
                return true;
            },
            then);
        return;
    }
    // The others may take their time (a file, a remote check): they are asked off the reactor.
    askPlugin(
        [&](plugins::LoadedPlugin::Done done) {
            return gw_.workers().submit([plugin, limit, request = pending_->request, done = std::move(done)] {
                plugin->verifyAuthAsync(request, limit, done);
            });
        },
        then);
}

void ConnectHandshake::decided(const std::string& id, size_t step, int status, const std::string& result,
                               const std::string& error) {
    const auto& chain = gw_.authChain();
    plugins::LoadedPlugin* plugin = chain[step];
    const bool last = step + 1 == chain.size();
    const std::optional<StepFlags> flags = readStepFlags(result);
    if (status == OC_OK && flags && flags->defer) {
        if (!last) {
            ask(id, step + 1); // not this overlay's to decide
            return;
        }
        status = OC_ERR; // the configured mode's plugin must decide
    }
    if (status != OC_OK || !flags) {
        log::Logger::get().error("auth",
                                 plugin->record().manifest.id + " failed: " +
                                     (error.empty() ? std::string("it deferred, but it serves the "
                                                                  "configured auth mode and must decide")
                                                    : plugins::parsePluginError(error).text()));
        const std::string msg = "gateway auth failed (plugin error)";
        owner_.refuseConnect({{"UNAVAILABLE", msg, json::Var(), true, std::nullopt}, 1011, msg}, id);
        return;
    }
    if (!last) overlayMethod_ = plugin->descriptor().auth->mode; // an overlay decided
    if (!flags->ok) {
        const json::ObjectPtr verdict =
            json::asObject(json::parse(result)); // an object: readStepFlags said so
        credentialsDecided(id,
                           protocol::RpcError{json::getString(verdict, "code").value_or("INVALID_REQUEST"),
                                              json::getString(verdict, "message").value_or("unauthorized"),
                                              verdict->has("details") ? verdict->get("details") : json::Var(),
                                              std::nullopt, std::nullopt});
        return;
    }
    gw_.limiter().recordSuccess(peer_.remote);
    credentialsDecided(id, std::nullopt);
}

void ConnectHandshake::refuseLater(const protocol::RpcError& err, const std::string& id) {
    json::ObjectPtr details = json::asObject(err.details);
    log::Logger::get().warn(
        "ws", "unauthorized conn=" + connId_ + " remote=" + peer_.remote + " client=" + params_.client.id +
                  " auth=" + params_.providedAuth + " reason=" +
                  (details ? json::getString(details, "authReason").value_or(err.code) : err.code));
    // Pace failures as the reference does (250 ms doubling to 5 s), on a timer: the reactor and every other
    // client carry on meanwhile.
    const long long delay = gw_.limiter().recordFailure(peer_.remote, peer_.loopback);
    owner_.holdReading();
    HandshakeOwner* owner = &owner_;
    owner_.whileDeciding(std::chrono::milliseconds(delay), [owner, err, id] {
        owner->refuseConnect({err, 1008, err.message}, id);
    });
}

} // namespace openclaw::server
