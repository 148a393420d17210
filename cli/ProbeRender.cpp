#include "ProbeRender.h"

namespace openclaw::cli {

namespace {

json::ArrayPtr strings(const std::vector<std::string>& v) {
    json::ArrayPtr a = json::makeArray();
    for (const auto& s : v)
        a->add(s);
    return a;
}

json::Var orNull(const std::string& s) {
    return s.empty() ? json::Var() : json::Var(s);
}

json::Var tunnelJson(const std::optional<client::SshTunnel>& t) {
    if (!t) return json::Var();
    json::ObjectPtr o = json::makeObject();
    o->set("kind", t->kind);
    o->set("target", t->target);
    o->set("localPort", t->localPort);
    o->set("remotePort", t->remotePort);
    o->set("pid", t->pid);
    return o;
}

json::ObjectPtr connectJson(const client::ProbeResult& r) {
    json::ObjectPtr c = json::makeObject();
    c->set("ok", r.connectOk);
    c->set("rpcOk", r.rpcOk);
    c->set("scopeLimited", r.scopeLimited);
    c->set("latencyMs", r.latencyMs ? json::Var(static_cast<Poco::Int64>(*r.latencyMs)) : json::Var());
    c->set("error", orNull(r.error));
    if (r.close) {
        json::ObjectPtr cl = json::makeObject();
        cl->set("code", r.close->first);
        cl->set("reason", r.close->second);
        c->set("close", cl);
    } else {
        c->set("close", json::Var());
    }
    return c;
}

json::ObjectPtr warningJson(const client::ProbeWarning& w) {
    json::ObjectPtr o = json::makeObject();
    o->set("code", w.code);
    o->set("message", w.message);
    o->set("targetIds", strings(w.targetIds));
    return o;
}

} // namespace

json::ObjectPtr targetJson(const client::ProbeResult& r) {
    json::ObjectPtr t = json::makeObject();
    t->set("id", r.target.id);
    t->set("kind", r.target.kind);
    t->set("url", r.target.url);
    t->set("active", r.target.active);
    t->set("tunnel", tunnelJson(r.target.tunnel));
    t->set("connect", connectJson(r));
    json::ObjectPtr a = json::makeObject();
    a->set("role", orNull(r.role));
    a->set("scopes", strings(r.scopes));
    a->set("capability", r.capability);
    t->set("auth", a);
    json::ObjectPtr s = json::makeObject();
    s->set("version", orNull(r.serverVersion));
    if (!r.buildId.empty()) s->set("buildId", r.buildId);
    s->set("connId", orNull(r.connId));
    t->set("server", s);
    t->set("self", r.self);
    t->set("config", r.config);
    t->set("health", r.health);
    t->set("summary", r.summary);
    t->set("presence", r.presence);
    return t;
}

json::ObjectPtr probeReportJson(const client::ProbeReport& report) {
    json::ObjectPtr out = json::makeObject();
    out->set("ok", report.ok);
    out->set("degraded", report.degraded);
    out->set("capability", report.capability);
    out->set("ts", static_cast<Poco::Int64>(report.ts));
    out->set("durationMs", static_cast<Poco::Int64>(report.durationMs));
    out->set("timeoutMs", report.timeoutMs);
    out->set("primaryTargetId", report.primaryTargetId);
    json::ArrayPtr warnings = json::makeArray();
    for (const auto& w : report.warnings)
        warnings->add(warningJson(w));
    out->set("warnings", warnings);
    json::ObjectPtr net = json::makeObject();
    net->set("localLoopbackUrl", report.localLoopbackUrl);
    net->set("localTailnetUrl",
             report.localTailnetUrl.empty() ? json::Var() : json::Var(report.localTailnetUrl));
    net->set("tailnetIPv4", report.tailnetIPv4.empty() ? json::Var() : json::Var(report.tailnetIPv4));
    out->set("network", net);
    json::ObjectPtr disc = json::makeObject();
    disc->set("timeoutMs", report.discoveryTimeoutMs);
    disc->set("count", 0);
    disc->set("beacons", json::makeArray());
    out->set("discovery", disc);
    json::ArrayPtr targets = json::makeArray();
    for (const auto& r : report.targets)
        targets->add(targetJson(r));
    out->set("targets", targets);
    return out;
}

std::string humanCapability(const std::string& c, bool target) {
    if (c == "connected_no_operator_scope") return target ? "connect-only" : "connected-no-operator-scope";
    std::string out = c;
    for (char& ch : out)
        if (ch == '_') ch = '-';
    return out;
}

json::ObjectPtr tailnetJson(const report::TailnetFacts& f) {
    auto orNull = [](const std::string& s) { return s.empty() ? json::Var() : json::Var(s); };
    const bool exposed = f.mode != "off" && !f.host().empty();
    json::ObjectPtr o = json::makeObject();
    o->set("mode", f.mode);
    o->set("dnsName", orNull(f.dnsName));
    o->set("address", orNull(f.address));
    o->set("url", exposed ? json::Var("https://" + f.host() + "/") : json::Var());
    o->set("wsUrl", exposed ? json::Var("wss://" + f.host()) : json::Var());
    o->set("binary", orNull(f.binary));
    o->set("backendState", orNull(f.backendState));
    o->set("error", orNull(f.error));
    return o;
}

std::string tailnetLine(const report::TailnetFacts& f) {
    std::string line = "Tailscale: " + f.mode;
    if (f.mode != "off" && !f.host().empty())
        line += " https://" + f.host() + "/ (WS via wss://" + f.host() + ")";
    else if (!f.host().empty())
        line += ", tailnet " + f.host();
    if (!f.address.empty() && f.address != f.host()) line += ", tailnet address " + f.address;
    if (!f.backendState.empty() && f.backendState != "Running") line += " [" + f.backendState + "]";
    if (!f.error.empty()) line += " (" + f.error + ")";
    return line;
}

json::ObjectPtr discoveryJson(const report::DiscoveryResult& found) {
    json::ObjectPtr d = json::makeObject();
    d->set("timeoutMs", found.timeoutMs);
    d->set("count", static_cast<int>(found.beacons.size()));
    json::ArrayPtr list = json::makeArray();
    for (const auto& b : found.beacons) {
        json::ObjectPtr o = json::makeObject();
        for (const char* key : {"instanceName", "displayName", "domain", "host", "lanHost", "tailnetDns",
                                "gatewayPort", "sshPort", "wsUrl"})
            if (b.json->has(key)) o->set(key, b.json->get(key));
        list->add(o);
    }
    d->set("beacons", list);
    return d;
}

void renderDiscovery(const report::DiscoveryResult& found) {
    std::string domains;
    for (const auto& d : found.domains)
        domains += (domains.empty() ? "" : ", ") + d;
    std::cout << "Discovery (this machine)\n"
              << "Found " << found.beacons.size() << (found.beacons.size() == 1 ? " gateway" : " gateways")
              << " via Bonjour (" << domains << ")\n";
    for (const auto& b : found.beacons)
        std::cout << "- " << (b.displayName.empty() ? b.instanceName : b.displayName) << " "
                  << (b.wsUrl.empty() ? b.host : b.wsUrl) << "\n";
    if (!found.unavailable.empty()) std::cout << "(" << found.unavailable << ")\n";
    std::cout << "Tip: if the gateway is remote, mDNS won\u2019t cross networks; use Wide-Area Bonjour "
                 "(split DNS) or SSH "
                 "tunnels.\n\n";
}

} // namespace openclaw::cli
