// The admission step of the connect (ABI 1.2): after the credentials were decided — in every auth mode — each
// admission plugin in turn may pass, admit (with facts of its own: auth method, scopes within what was asked,
// a verified device id, a device token for hello-ok) or refuse with its own code and close reason.
#include "server/ConnectHandshake.h"

#include "plugins/PluginError.h"

#include "log/Logger.h"
#include "server/Connection.h"
#include "server/GatewayServer.h"
#include "server/StepVerdict.h"

#include <algorithm>

namespace openclaw::server {

namespace {

/// {"defer":true}: a quick admission step asks to be asked again on a worker.
bool isDeferral(const std::string& verdict) {
    const std::optional<StepFlags> flags = readStepFlags(verdict);
    return flags && flags->defer;
}

} // namespace

void ConnectHandshake::credentialsDecided(const std::string& id, std::optional<protocol::RpcError> refusal) {
    if (gw_.bridge().admissionChain().empty()) {
        if (refusal)
            refuseLater(*refusal, id);
        else
            owner_.admitConnect(id);
        return;
    }
    askAdmission(id, 0, std::move(refusal));
}

void ConnectHandshake::askAdmission(const std::string& id, size_t step,
                                    std::optional<protocol::RpcError> refusal, bool quickAllowed) {
    plugins::LoadedPlugin* plugin = gw_.bridge().admissionChain()[step];
    const std::chrono::milliseconds limit(gw_.config()->handshakeTimeoutMs);
    ConnectHandshake* self = this;
    if (quickAllowed && plugin->admissionQuickFirst()) {
        // ABI 1.2: asked here first, on the connection's loop, where it must not block; most connects are
        // decided without a worker round trip, the others come back {"defer":true} and are asked again below.
        askPlugin(
            [&](plugins::LoadedPlugin::Done done) {
                plugin->admitAsync(admissionRequest(refusal, true), limit, std::move(done));
                return true;
            },
            [self, id, step, refusal](const Answer& r) {
                if (r.status == OC_OK && isDeferral(r.result)) {
                    self->askAdmission(id, step, refusal, false);
                    return;
                }
                self->admissionDecided(id, step, refusal, r.status, r.result, r.error);
            });
        return;
    }
    // As for the auth plugins: asked off the reactor.
    askPlugin(
        [&](plugins::LoadedPlugin::Done done) {
            return gw_.workers().submit(
                [plugin, limit, request = admissionRequest(refusal), done = std::move(done)] {
                    plugin->admitAsync(request, limit, done);
                });
        },
        [self, id, step, refusal](const Answer& r) {
            self->admissionDecided(id, step, refusal, r.status, r.result, r.error);
        });
}

std::string ConnectHandshake::admissionRequest(const std::optional<protocol::RpcError>& refusal,
                                               bool quick) const {
    // Built as text, the connect params spliced as the client wrote them (the plugin parses them anyway).
    std::string r = quick ? R"({"quick":true,"connect":)" : R"({"connect":)";
    r += pending_ && !pending_->paramsJson.empty() ? pending_->paramsJson : std::string("{}");
    r += R"(,"challenge":{"nonce":)";
    json::appendQuoted(r, pending_ ? pending_->nonce : std::string());
    r += R"(,"ts":)" + std::to_string(pending_ ? pending_->ts : 0);
    r += R"(},"authMethod":)";
    json::appendQuoted(r, authMethod());
    if (refusal) {
        r += R"(,"credentials":{"ok":false,"code":)";
        json::appendQuoted(r, refusal->code);
        json::appendMember(r, "message", refusal->message);
        r += R"(,"details":)" + json::stringify(refusal->details) + '}';
    } else {
        r += R"(,"credentials":{"ok":true})";
    }
    json::appendMember(r, "remoteAddress", peer_.remote);
    r += peer_.loopback ? R"(,"isLoopback":true,"origin":)" : R"(,"isLoopback":false,"origin":)";
    json::appendQuoted(r, origin_);
    r += '}';
    return r;
}

void ConnectHandshake::admissionDecided(const std::string& id, size_t step,
                                        std::optional<protocol::RpcError> refusal, int status,
                                        const std::string& result, const std::string& error) {
    const auto& chain = gw_.bridge().admissionChain();
    const std::string plugin = chain[step]->record().manifest.id;
    const std::optional<StepFlags> flags = readStepFlags(result);
    if (status != OC_OK || !flags) {
        admissionFailed(id, plugin,
                        error.empty() ? "its answer is not a JSON object"
                                      : plugins::parsePluginError(error).text());
        return;
    }
    if (flags->pass) {
        if (step + 1 < chain.size()) {
            askAdmission(id, step + 1, std::move(refusal));
        } else if (refusal) {
            refuseLater(*refusal, id);
        } else {
            owner_.admitConnect(id);
        }
        return;
    }
    const json::ObjectPtr verdict = json::asObject(json::parse(result)); // an object: readStepFlags said so
    if (!flags->ok) {
        protocol::RpcError e{json::getString(verdict, "code").value_or("INVALID_REQUEST"),
                             json::getString(verdict, "message").value_or("connect refused"),
                             verdict->has("details") ? verdict->get("details") : json::Var(), std::nullopt,
                             std::nullopt};
        if (refusal) {
            refuseLater(e, id); // a failed login after all: paced and counted like the credentials' refusal
            return;
        }
        const int code = static_cast<int>(json::getInt(verdict, "closeCode").value_or(1008));
        const std::string reason = json::getString(verdict, "closeReason").value_or(e.message);
        log::Logger::get().warn("ws", "connect refused by " + plugin + " conn=" + connId_ +
                                          " remote=" + peer_.remote + ": " + e.code);
        owner_.refuseConnect({e, code < 1000 || code > 4999 ? 1008 : code, reason}, id);
        return;
    }
    if (std::string problem = admit(verdict, refusal.has_value()); !problem.empty()) {
        admissionFailed(id, plugin, problem);
        return;
    }
    if (refusal) gw_.limiter().recordSuccess(peer_.remote);
    owner_.admitConnect(id);
}

std::string ConnectHandshake::admit(const json::ObjectPtr& verdict, bool overCredentialsRefusal) {
    auto a = std::make_unique<Admitted>();
    a->method = json::getString(verdict, "authMethod").value_or("");
    if (overCredentialsRefusal && a->method.empty())
        return "it admitted a connect whose credentials were refused without saying how (\"authMethod\")";
    if (auto role = json::getString(verdict, "role"); role && *role != params_.role)
        return "it admitted role " + *role + " where " + params_.role + " was asked";
    if (json::ArrayPtr scopes = json::getArray(verdict, "scopes")) {
        std::vector<std::string> kept; // within what was asked
        for (size_t i = 0; i < scopes->size(); ++i) {
            const json::Var v = scopes->get(static_cast<unsigned>(i));
            if (!json::isString(v)) return "its \"scopes\" are not all strings";
            const std::string s = v.toString();
            if (std::find(params_.scopes.begin(), params_.scopes.end(), s) != params_.scopes.end())
                kept.push_back(s);
        }
        a->scopes = std::move(kept);
    }
    a->deviceId = json::getString(verdict, "deviceId").value_or("");
    a->deviceToken = json::getString(verdict, "deviceToken").value_or("");
    a->deviceTokenIssuedAtMs = json::getInt(verdict, "issuedAtMs").value_or(0);
    admitted_ = std::move(a);
    return "";
}

void ConnectHandshake::admissionFailed(const std::string& id, const std::string& plugin,
                                       const std::string& why) {
    log::Logger::get().error("auth", plugin + " (admission) failed: " + why);
    const std::string msg = "gateway admission failed (plugin error)";
    owner_.refuseConnect({{"UNAVAILABLE", msg, json::Var(), true, std::nullopt}, 1011, msg}, id);
}

} // namespace openclaw::server
