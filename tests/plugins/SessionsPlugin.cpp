// Test fixture for ABI 1.2: methods that report their caller, send an event to one session, close one,
// list sessions and answer later with their own deadline; hooks that record what they hear (and a request
// hook that can be made slow, to fill its bounded queue); an HTTP route that needs credentials.
#define OPENCLAW_PLUGIN_ABI_MINOR 2u
#include "openclaw/plugin.hpp"

#include "FixtureParams.hpp"

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

using fixture::intParam;
using fixture::stringParam;

class SessionsPlugin : public openclaw::Plugin {
  public:
    explicit SessionsPlugin(openclaw::Host host) : Plugin(host) {}

    static std::vector<openclaw::MethodSpec> methodSpecs() {
        return {{"sessions.whoami", "operator.read"},      {"sessions.send", "operator.read"},
                {"sessions.close", "operator.read"},       {"sessions.list", "operator.read"},
                {"sessions.heard", "operator.read"},       {"sessions.slowHooks", "operator.read"},
                {"sessions.drops", "operator.read"},       {"sessions.never", "operator.read"},
                {"sessions.completeFor", "operator.read"}, {"sessions.broadcast", "operator.read"},
                {"sessions.released", "operator.read"},    {"sessions.gatewayConfig", "operator.read"}};
    }
    static std::vector<std::string> eventNames() { return {"sessions.ping"}; }
    static std::vector<openclaw::HttpRouteSpec> httpRoutes() {
        return {{"/sessions-test", OC_HTTP_PRIVATE}, {"/sessions-open", OC_HTTP_PUBLIC}};
    }

    std::string callFrom(const openclaw::CallContext& c, const std::string& method,
                         const std::string& params) override {
        if (method == "sessions.whoami") return whoami(c);
        if (method == "sessions.send")
            return host().sendTo(static_cast<uint64_t>(intParam(params, "sessionId")), "sessions.ping",
                                 "{\"from\":" + std::to_string(c.sessionId) + "}")
                       ? "{\"sent\":true}"
                       : "{\"sent\":false}";
        if (method == "sessions.close")
            return host().closeSession(static_cast<uint64_t>(intParam(params, "sessionId")), 4001, "bye")
                       ? "{\"closed\":true}"
                       : "{\"closed\":false}";
        if (method == "sessions.list") return host().listSessions(static_cast<int>(intParam(params, "role")));
        if (method == "sessions.heard") return heard();
        if (method == "sessions.slowHooks") {
            slowMs_ = static_cast<int>(intParam(params, "ms"));
            return "{}";
        }
        if (method == "sessions.drops") return host().hookDrops();
        if (method == "sessions.never") {
            // Never answered: its own deadline and error, not the host's plugins.callTimeoutMs.
            host().setDeadline(c.call, static_cast<uint32_t>(intParam(params, "timeoutMs")),
                               R"({"code":"NODE_TIMEOUT","message":"the node did not answer"})");
            throw openclaw::Pending{};
        }
        if (method == "sessions.broadcast")
            return host().broadcast("sessions.ping", "{\"scoped\":true}", 0, stringParam(params, "scope"))
                       ? "{\"sent\":true}"
                       : "{\"sent\":false}";
        if (method == "sessions.released") return releasedWork();
        if (method == "sessions.gatewayConfig") return host().config("gateway");
        if (method == "sessions.completeFor") {
            // Answers a handle that is not this call's (another plugin's, in the test): must be refused.
            const bool ok = host().complete(static_cast<uint64_t>(intParam(params, "call")), "{}");
            return std::string("{\"accepted\":") + (ok ? "true" : "false") +
                   ",\"call\":" + std::to_string(c.call) + "}";
        }
        throw openclaw::RpcError("INVALID_REQUEST", "unknown method: " + method);
    }

    void onSessionOpen(const std::string& json) override { record("open", json); }
    void onSessionClose(const std::string& json) override { record("close", json); }
    void onAuthResult(const std::string& json) override { record("auth", json); }
    void onConfigReload(const std::string& json) override { record("reload", json); }
    void onRequest(const std::string& json) override {
        if (slowMs_ > 0) std::this_thread::sleep_for(std::chrono::milliseconds(slowMs_));
        if (json.find("\"sessions.") == std::string::npos) return; // keep the record small
        record("request", json);
    }

    std::string serveHttp(const std::string& request) override {
        // The path, then the body as the gateway handed it (text, or base64 when it is not UTF-8), if any.
        std::string text = "path=" + stringParam(request, "path") + "\n";
        if (const std::string body = stringParam(request, "body"); !body.empty())
            text += stringParam(request, "method") + " body=" + body + "\n";
        if (const std::string b64 = stringParam(request, "bodyBase64"); !b64.empty())
            text += stringParam(request, "method") + " bodyBase64=" + b64 + "\n";
        return R"({"status":200,"headers":{"content-type":"text/plain; charset=utf-8","x-test":"yes"},"body":)" +
               openclaw::jsonQuote(text) + "}";
    }

  private:
    /// Posts work and starts a one-shot and a cancelled repeating timer, each with a release function: all
    /// three are released (the work and the one-shot after they ran, the cancelled timer at once).
    std::string releasedWork() {
        released_ = 0;
        ran_ = 0;
        auto release = [](void* user) { ++static_cast<SessionsPlugin*>(user)->released_; };
        auto run = [](void* user) { ++static_cast<SessionsPlugin*>(user)->ran_; };
        host().postWork(run, release, this);
        host().addTimer(10, false, run, release, this);
        const uint64_t repeating = host().addTimer(60000, true, run, release, this);
        host().cancelTimer(repeating);
        for (int i = 0; i < 200 && released_ < 3; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        return "{\"released\":" + std::to_string(released_.load()) +
               ",\"ran\":" + std::to_string(ran_.load()) + "}";
    }

    static std::string whoami(const openclaw::CallContext& c) {
        return "{\"sessionId\":" + std::to_string(c.sessionId) + ",\"role\":" + std::to_string(c.role) +
               ",\"scopes\":" + std::to_string(c.scopes) +
               ",\"read\":" + (c.has(OC_SCOPE_READ) ? "true" : "false") +
               ",\"admin\":" + (c.has(OC_SCOPE_ADMIN) ? "true" : "false") +
               ",\"clientId\":" + openclaw::jsonQuote(c.clientId) +
               ",\"clientMode\":" + openclaw::jsonQuote(c.clientMode) +
               ",\"remote\":" + openclaw::jsonQuote(c.remoteAddress) +
               ",\"loopback\":" + (c.loopback ? "true" : "false") + ",\"call\":" + std::to_string(c.call) +
               "}";
    }
    void record(const char* kind, const std::string& json) {
        std::lock_guard<std::mutex> lock(mu_);
        heard_.push_back("{\"kind\":\"" + std::string(kind) + "\",\"data\":" + json + "}");
    }
    std::string heard() {
        std::lock_guard<std::mutex> lock(mu_);
        std::string out = "[";
        for (size_t i = 0; i < heard_.size(); ++i)
            out += (i ? "," : "") + heard_[i];
        return out + "]";
    }

    std::mutex mu_;
    std::vector<std::string> heard_;
    std::atomic<int> slowMs_{0};
    std::atomic<int> released_{0};
    std::atomic<int> ran_{0};
};

} // namespace

OPENCLAW_PLUGIN(SessionsPlugin, "test-sessions", "Sessions fixture", "0.0.1",
                OC_CAP_METHODS | OC_CAP_HOOKS | OC_CAP_HTTP)
