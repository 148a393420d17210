// `gateway discover [--timeout ms] [--json] [--nameserver host[:port]]`: gateway beacons on the LAN (mDNS)
// and in the wide-area domain (unicast DNS-SD), through the discovery plugin; the reference's text and JSON.
// Exit 0 whatever was found.
#include "Args.h"
#include "Context.h"
#include "TargetOptions.h"
#include "Terminal.h"

#include "report/Discovery.h"

#include <iostream>

namespace openclaw::cli {

namespace {

const std::vector<OptionSpec> kDiscoverSpecs = {
    {"timeout", true, "browse/resolve budget in ms (default 2000)", "ms"},
    {"nameserver", true,
     "DNS server for the wide-area domain, host[:port] (default: $OPENCLAW_DISCOVERY_NAMESERVER, else the "
     "system resolver)",
     "host:port"},
    {"json", false, "machine-readable output"},
    {"help", false, "show this help"},
};

void renderText(const report::DiscoveryResult& r, const config::GatewayConfig& cfg) {
    std::string domains;
    for (const auto& d : r.domains)
        domains += (domains.empty() ? "" : ", ") + d;
    std::cout << "Gateway Discovery\nFound " << r.beacons.size() << " gateway(s) · domains: " << domains
              << "\n";
    for (const auto& b : r.beacons) {
        std::cout << "- " << (b.displayName.empty() ? b.instanceName : b.displayName) << " " << b.domain
                  << "\n";
        if (!b.tailnetDns.empty()) std::cout << "  tailnet: " << b.tailnetDns << "\n";
        if (!b.lanHost.empty()) std::cout << "  lan: " << b.lanHost << "\n";
        if (!b.host.empty()) std::cout << "  host: " << b.host << "\n";
        if (!b.wsUrl.empty()) std::cout << "  ws: " << b.wsUrl << "\n";
        if (!b.role.empty()) std::cout << "  role: " << b.role << "\n";
        if (!b.transport.empty()) std::cout << "  transport: " << b.transport << "\n";
        if (b.gatewayTls)
            std::cout << "  tls: " << (b.fingerprint.empty() ? "enabled" : "sha256 " + b.fingerprint) << "\n";
        if (b.sshPort) {
            const int port = b.gatewayPort.value_or(cfg.port);
            std::cout << "  ssh: ssh -N -L " << port << ":127.0.0.1:" << port << " <user>@"
                      << (b.host.empty() ? b.lanHost : b.host) << " -p " << *b.sshPort << "\n";
        }
    }
    for (const auto& e : r.errors)
        std::cerr << "discover: " << e << "\n";
    if (!r.unavailable.empty()) std::cerr << "discover: " << r.unavailable << "\n";
}

json::ObjectPtr resultJson(const report::DiscoveryResult& r) {
    json::ObjectPtr out = json::makeObject();
    out->set("timeoutMs", r.timeoutMs);
    json::ArrayPtr domains = json::makeArray();
    for (const auto& d : r.domains)
        domains->add(d);
    out->set("domains", domains);
    out->set("count", static_cast<int>(r.beacons.size()));
    json::ArrayPtr beacons = json::makeArray();
    for (const auto& b : r.beacons)
        beacons->add(b.json);
    out->set("beacons", beacons);
    return out;
}

} // namespace

int runDiscover(Context& ctx, size_t argIndex) {
    Args args = Args::parse(ctx.argv, argIndex, kDiscoverSpecs);
    if (args.has("help")) {
        std::cout << renderHelp(
            "openclaw gateway discover [options]",
            "Finds gateways by their Bonjour beacons (_openclaw-gw._tcp) in local. and in the\n"
            "wide-area domain (discovery.wideArea.domain). Exits 0 even when none is found.",
            kDiscoverSpecs);
        return 0;
    }
    const int timeoutMs = timeoutOption(args, 2000);
    const std::string nameserver =
        args.value("nameserver").value_or(ctx.env.get("OPENCLAW_DISCOVERY_NAMESERVER").value_or(""));
    auto cfg = std::make_shared<const config::GatewayConfig>(ctx.loadConfig({}));
    report::DiscoveryResult r;
    {
        Spinner spin(!args.has("json"), "Browsing for gateways…");
        r = report::discoverGateways(cfg, timeoutMs, nameserver);
    }
    if (args.has("json")) {
        std::cout << json::stringify(resultJson(r), 2) << "\n";
        for (const auto& e : r.errors)
            std::cerr << "discover: " << e << "\n";
        if (!r.unavailable.empty()) std::cerr << "discover: " << r.unavailable << "\n";
    } else {
        renderText(r, *cfg);
    }
    return 0;
}

} // namespace openclaw::cli
