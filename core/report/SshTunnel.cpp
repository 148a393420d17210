#include "report/SshTunnel.h"

#include "plugins/CommandPlugin.h"
#include "process/Subprocess.h"

namespace openclaw::report {

std::unique_ptr<TunnelSession> TunnelSession::open(const config::GatewayConfigPtr& cfg,
                                                   const TunnelRequest& request, std::string& error) {
    // From here an interrupted command takes its ssh with it (also while the tunnel is still starting).
    process::stopChildrenOnInterrupt();
    std::unique_ptr<TunnelSession> s(new TunnelSession());
    plugins::LoadFilter only;
    only.capability = OC_CAP_TUNNEL;
    s->loaded_ = std::make_unique<plugins::CommandPlugin>(cfg, only);
    s->plugin_ = s->loaded_->plugin();
    if (!s->plugin_) {
        error = s->loaded_->unavailable();
        return nullptr;
    }
    json::ObjectPtr req = json::makeObject();
    req->set("target", request.target);
    if (!request.identity.empty()) req->set("identity", request.identity);
    req->set("remotePort", request.remotePort);
    req->set("localPort", request.localPort);
    req->set("configTimeoutMs", request.configTimeoutMs);
    req->set("startTimeoutMs", request.startTimeoutMs);
    const plugins::LoadedPlugin::CallResult r = s->plugin_->tunnelOpen(json::stringify(req));
    const std::optional<json::Var> answer = r.status == OC_OK ? json::tryParse(r.result) : std::nullopt;
    json::ObjectPtr o = answer ? json::asObject(*answer) : nullptr;
    if (!o) {
        error = r.status == OC_OK ? "the tunnel plugin answered something that is not JSON" : r.errorText();
        return nullptr;
    }
    s->handle_ = json::getString(o, "handle").value_or("");
    s->info_.target = request.target;
    s->info_.localPort = static_cast<int>(json::getInt(o, "localPort").value_or(0));
    s->info_.remotePort = request.remotePort;
    s->info_.pid = static_cast<int>(json::getInt(o, "pid").value_or(0));
    return s;
}

TunnelSession::~TunnelSession() {
    if (plugin_ && !handle_.empty()) plugin_->tunnelClose(handle_);
}

} // namespace openclaw::report
