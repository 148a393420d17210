// bonjour: the gateway's beacon on the LAN (mDNS through dns_sd.h) and in a wide-area DNS-SD zone file, and
// browsing both for `gateway discover` and `gateway probe`. The host builds the beacon (port, TLS, the
// tailscale plugin's facts, discovery.* settings); this plugin publishes it.
#define OPENCLAW_PLUGIN_ABI_MINOR 1u
#include "openclaw/plugin.hpp"

#include "../common/SiblingModule.hpp"
#include "Beacon.hpp"
#include "CoreLibrary.hpp"
#include "WideAreaZone.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cstdlib>
#include <stdexcept>
#include <thread>
#include <unistd.h>

namespace {

using namespace openclaw;
using namespace openclaw::bonjour;

std::string systemHostname() {
    char name[256] = {};
    return ::gethostname(name, sizeof name - 1) == 0 ? name : "";
}

std::string envOr(const char* name, const std::string& fallback) {
    const char* v = std::getenv(name);
    return v && *v ? v : fallback;
}

/// bonjour-core.so (CoreLibrary.hpp), loaded at the first call that needs it; throws when it cannot load.
const CoreTable& core() {
    static const plugin_module::Loaded<CoreTable> loaded =
        plugin_module::loadSibling<CoreTable>(reinterpret_cast<void*>(&core), "bonjour-core.so", kCoreSymbol);
    if (!loaded.table) throw std::runtime_error("bonjour-core.so cannot be loaded: " + loaded.error);
    return *loaded.table;
}

/// One domain's browse, run on a thread of its own so that local. and the wide-area domain go in parallel.
struct DomainBrowse {
    std::string domain;
    std::vector<FoundBeacon> found;
    std::string error;
};

class BonjourPlugin : public Plugin {
  public:
    explicit BonjourPlugin(Host host) : Plugin(host) {}

    void advertise(const std::string& beaconJson) override {
        const BeaconFacts facts = parseBeaconFacts(beaconJson);
        const std::string label = hostLabel(envOr("OPENCLAW_MDNS_HOSTNAME", ""), systemHostname());
        if (!facts.wideAreaDomain.empty()) {
            try {
                writeWideAreaZone(host(), facts, label);
            } catch (const std::exception& e) {
                host().warn("bonjour", std::string("wide-area DNS-SD zone not written: ") + e.what());
            }
        }
        if (facts.mdnsMode == "off") {
            withdraw();
            host().info("bonjour", "no LAN beacon (discovery.mdns.mode off or OPENCLAW_DISABLE_BONJOUR)");
            return;
        }
        const std::string instance = instanceName(envOr("OPENCLAW_MDNS_HOSTNAME", label));
        advertiser().advertise(instance, facts.gatewayPort,
                               txtRecord(txtEntries(facts, instance, label + ".local")));
    }

    void withdraw() override {
        if (advertiser_) advertiser_->withdraw();
    }

    std::string browse(const std::string& requestJson) override {
        Poco::JSON::Parser parser;
        auto req = parser.parse(requestJson.empty() ? "{}" : requestJson).extract<Poco::JSON::Object::Ptr>();
        const int timeoutMs = std::max(100, std::min(60000, req->optValue("timeoutMs", 2000)));
        const std::string nameserver = req->optValue<std::string>("nameserver", "");
        std::vector<DomainBrowse> runs;
        if (Poco::JSON::Array::Ptr domains = req->getArray("domains"))
            for (size_t i = 0; i < domains->size() && runs.size() < 8; ++i)
                runs.push_back({domains->getElement<std::string>(static_cast<unsigned>(i)), {}, ""});
        if (runs.empty()) runs.push_back({"local.", {}, ""});
        const CoreTable& lib = core();
        std::vector<std::thread> threads;
        threads.reserve(runs.size());
        for (auto& run : runs)
            threads.emplace_back([&run, &lib, timeoutMs, nameserver] {
                run.found = run.domain == "local."
                                ? lib.browseMdns(timeoutMs, run.error)
                                : lib.browseUnicast(run.domain, nameserver, timeoutMs, run.error);
            });
        for (auto& t : threads)
            t.join();
        std::string beacons, errors;
        for (const auto& run : runs) {
            for (const auto& b : run.found) {
                beacons += (beacons.empty() ? "" : ",") + foundBeaconJson(b);
                if (b.skippedTxt > 0)
                    host().log(OC_LOG_DEBUG, "bonjour",
                               "skipped " + std::to_string(b.skippedTxt) +
                                   " malformed or excess TXT entries of \"" + b.instanceName + "\"");
            }
            if (!run.error.empty())
                errors += (errors.empty() ? "" : ",") + jsonQuote(run.domain + ": " + run.error);
        }
        return "{\"beacons\":[" + beacons + "],\"errors\":[" + errors + "]}";
    }

    // Nothing in its config (the reference's schema pins it empty): a reload keeps the registration.
    void reconfigure(const std::string&) override {}

  private:
    static uint32_t retryMs() {
        return static_cast<uint32_t>(
            std::max(100, std::atoi(envOr("OPENCLAW_BONJOUR_RETRY_MS", "2000").c_str())));
    }

    /// The beacon's registration, made at the first LAN beacon (advertise and withdraw come from the host's
    /// lifecycle, one at a time).
    Advertiser& advertiser() {
        if (!advertiser_) advertiser_ = core().newAdvertiser(host(), retryMs());
        return *advertiser_;
    }

    std::unique_ptr<Advertiser> advertiser_;
};

} // namespace

OPENCLAW_PLUGIN(BonjourPlugin, "bonjour", "Bonjour discovery", "0.2.0", OC_CAP_DISCOVERY)
