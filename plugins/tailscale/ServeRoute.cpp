#include "ServeRoute.hpp"

#include <chrono>
#include <thread>

namespace openclaw::tailscale {

namespace {

/// The reference's transient errors: worth another try of `status --json`.
bool transient(const CliResult& r) {
    const std::string low = lowered(r.out + "\n" + r.err);
    return r.timedOut || low.find("failed to connect to local tailscale") != std::string::npos ||
           low.find("connection refused") != std::string::npos ||
           low.find("503 service unavailable") != std::string::npos;
}

} // namespace

void ServeRoute::removeEarlierRoute(int port) {
    // An earlier gateway (a crash, or resetOnExit off) may have left its route: replacing it rather than
    // adding one more keeps restarts from piling up entries (the reference's issue #93936).
    const CliResult st = cli_.runElevated({"serve", "status", "--json"}, cli_.timeouts().status, "serve");
    if (!st.ok() || !hasGatewayRoute(st.out, port)) return;
    const CliResult off = cli_.runElevated({"serve", "--yes", "--https=443", "--set-path=/", "off"},
                                           cli_.timeouts().serve, "serve");
    if (off.ok())
        host_.info("tailscale", "removed the route an earlier gateway left for port " + std::to_string(port));
    else
        host_.warn("tailscale", "could not remove the earlier route for port " + std::to_string(port) + ": " +
                                    off.message());
}

void ServeRoute::start(RouteMode mode, int port, bool resetOnExit) {
    {
        std::lock_guard<std::mutex> lock(mu_);
        mode_ = mode;
        port_ = port;
        resetOnExit_ = resetOnExit;
        active_ = false;
        error_.clear();
    }
    removeEarlierRoute(port);
    const CliResult r = cli_.runElevated({name(mode), "--bg", "--yes", std::to_string(port)},
                                         cli_.timeouts().serve, name(mode));
    std::string failure = r.ok() ? "" : r.message();
    // Exit 0 with nothing configured: HTTPS or Funnel is not enabled for the tailnet (control's text).
    if (failure.empty() && r.out.find("is not enabled on your tailnet") != std::string::npos)
        failure = r.message();
    if (!failure.empty()) {
        std::lock_guard<std::mutex> lock(mu_);
        error_ = failure;
        throw std::runtime_error(failure);
    }
    {
        std::lock_guard<std::mutex> lock(mu_);
        active_ = true;
    }
    refreshFacts();
    const std::optional<NodeStatus> f = facts();
    const std::string host = f ? f->host() : "";
    host_.info("tailscale", std::string(name(mode)) + " enabled" +
                                (host.empty() ? "" : ": https://" + host + "/ (WS via wss://" + host + ")"));
}

void ServeRoute::stop() {
    std::optional<RouteMode> mode;
    bool reset = false;
    {
        std::lock_guard<std::mutex> lock(mu_);
        mode = mode_;
        reset = resetOnExit_;
        active_ = false;
    }
    if (!mode) return;
    const CliResult r = reset ? cli_.runElevated({name(*mode), "reset"}, cli_.timeouts().serve, name(*mode))
                              : cli_.runElevated({name(*mode), "--yes", "--https=443", "--set-path=/", "off"},
                                                 cli_.timeouts().serve, name(*mode));
    if (!r.ok()) throw std::runtime_error(r.message());
    host_.info("tailscale", std::string(name(*mode)) + (reset ? " reset" : " route removed"));
}

bool ServeRoute::refreshFacts() {
    CliResult r;
    for (int attempt = 0; attempt < 3; ++attempt) {
        if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(500));
        r = cli_.run({"status", "--json"}, cli_.timeouts().status);
        if (r.ok() || !transient(r)) break;
    }
    std::optional<NodeStatus> parsed = r.ok() ? parseStatus(r.out) : std::nullopt;
    std::lock_guard<std::mutex> lock(mu_);
    if (!parsed) {
        factsError_ = r.ok() ? "tailscale status --json printed no JSON" : r.message();
        return false;
    }
    facts_ = std::move(parsed);
    factsError_.clear();
    return true;
}

std::optional<NodeStatus> ServeRoute::facts() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        if (facts_) return facts_;
    }
    refreshFacts();
    std::lock_guard<std::mutex> lock(mu_);
    return facts_;
}

std::string ServeRoute::statusJson() {
    const std::optional<NodeStatus> f = facts();
    const std::string bin = cli_.binary();
    std::lock_guard<std::mutex> lock(mu_);
    const std::string host = f ? f->host() : "";
    auto text = [](const std::string& s) { return s.empty() ? std::string("null") : jsonQuote(s); };
    std::string out = "{\"mode\":" + jsonQuote(mode_ ? name(*mode_) : "off");
    out += ",\"binary\":" + text(bin);
    out += ",\"backendState\":" + text(f ? f->backendState : "");
    out += ",\"dnsName\":" + text(f ? f->dnsName : "");
    out += ",\"address\":" + text(f ? f->ipv4() : "");
    out += ",\"publicUrl\":" + text(active_ && !host.empty() ? "https://" + host + "/" : "");
    out += ",\"wsUrl\":" + text(active_ && !host.empty() ? "wss://" + host : "");
    out += std::string(",\"routeActive\":") + (active_ ? "true" : "false");
    out += ",\"error\":" + text(!error_.empty() ? error_ : factsError_);
    return out + "}";
}

} // namespace openclaw::tailscale
