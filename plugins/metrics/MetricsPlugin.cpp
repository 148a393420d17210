// The bundled metrics plugin: GET /metrics in the Prometheus text format, from the gateway's hooks (ABI
// 1.2). Built on the public SDK only (plugin.hpp), with POCO's JSON parser for the hooks' JSON.
#define OPENCLAW_PLUGIN_ABI_MINOR 2u
#include "Metrics.hpp"

#include "openclaw/plugin.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <fstream>
#include <sstream>
#include <unistd.h>

namespace {

using openclaw::metrics::Metrics;
using openclaw::metrics::ProcessFacts;

Poco::JSON::Object::Ptr parseObject(const std::string& text) {
    return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

/// Resident memory (from /proc/self/statm) and seconds since this process started (/proc/self/stat's start
/// time against /proc/uptime).
ProcessFacts processFacts() {
    ProcessFacts f;
    long pages = 0, resident = 0;
    std::ifstream statm("/proc/self/statm");
    if (statm >> pages >> resident) f.residentBytes = static_cast<double>(resident) * sysconf(_SC_PAGESIZE);
    std::ifstream stat("/proc/self/stat");
    std::string line;
    std::getline(stat, line);
    std::istringstream rest(line.substr(line.rfind(')') + 2)); // the command may hold spaces
    std::string field;
    for (int i = 3; i <= 22 && rest >> field; ++i) {
    }
    double systemUptime = 0;
    std::ifstream uptime("/proc/uptime");
    if (uptime >> systemUptime && !field.empty())
        f.uptimeSeconds = systemUptime - std::stod(field) / static_cast<double>(sysconf(_SC_CLK_TCK));
    return f;
}

class MetricsPlugin : public openclaw::Plugin {
  public:
    explicit MetricsPlugin(openclaw::Host host) : Plugin(host) {}

    /// The gateway checks its credentials on /metrics unless this plugin's config says "public": true.
    static std::vector<openclaw::HttpRouteSpec> httpRoutes() {
        return {{"/metrics", OC_HTTP_PUBLIC_BY_CONFIG}};
    }

    void onSessionOpen(const std::string& json) override { metrics_.sessionOpened(role(json)); }
    void onSessionClose(const std::string& json) override { metrics_.sessionClosed(role(json)); }
    void onRequest(const std::string& json) override {
        auto o = parseObject(json);
        metrics_.request(o->optValue<std::string>("method", ""), o->optValue<std::string>("plugin", ""),
                         o->optValue<std::string>("code", ""),
                         static_cast<double>(o->optValue<Poco::Int64>("durationUs", 0)) / 1e6);
    }
    void onAuthResult(const std::string& json) override {
        auto o = parseObject(json);
        if (!o->optValue<bool>("ok", false)) metrics_.authFailed(o->optValue<std::string>("reason", ""));
    }

    std::string serveHttp(const std::string& requestJson) override {
        auto req = parseObject(requestJson);
        if (req->optValue<std::string>("method", "GET") != "GET" &&
            req->optValue<std::string>("method", "") != "HEAD")
            return R"({"status":405,"headers":{"allow":"GET, HEAD"},"body":"only GET\n"})";
        metrics_.setHookDrops(hookDrops());
        return R"({"status":200,"headers":{"content-type":"text/plain; version=0.0.4; charset=utf-8"},"body":)" +
               openclaw::jsonQuote(metrics_.render(processFacts())) + "}";
    }

  private:
    static std::string role(const std::string& json) {
        return parseObject(json)->optValue<std::string>("role", "");
    }

    std::map<std::string, uint64_t> hookDrops() const {
        std::map<std::string, uint64_t> out;
        auto drops = parseObject(host().hookDrops());
        for (const std::string& id : drops->getNames())
            out[id] = drops->getObject(id)->optValue<Poco::UInt64>("request", 0);
        return out;
    }

    Metrics metrics_;
};

} // namespace

OPENCLAW_PLUGIN(MetricsPlugin, "metrics", "Prometheus metrics", "0.1.0", OC_CAP_HOOKS | OC_CAP_HTTP)
