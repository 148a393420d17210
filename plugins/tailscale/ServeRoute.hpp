// The gateway's route on the tailnet: `tailscale serve|funnel --bg --yes <port>` (the seed's classic
// background mode), its reset, and the node's facts (tailnet name and address) from `status --json`.
#pragma once

#include "TailscaleCli.hpp"
#include "TailscaleFacts.hpp"

#include <mutex>
#include <optional>
#include <string>

namespace openclaw::tailscale {

/// serve or funnel.
enum class RouteMode { Serve, Funnel };

/// One gateway's route. Every method blocks on tailscale commands (the host calls exposure functions on
/// threads of their own, with deadlines).
class ServeRoute {
  public:
    ServeRoute(Host host, TailscaleCli& cli) : host_(host), cli_(cli) {}

    /// Removes a route an earlier gateway left for `port`, then adds ours. Throws with tailscale's reason.
    void start(RouteMode mode, int port, bool resetOnExit);
    /// `reset` (reset on exit), or removes just our route (the port or mode changed on a reload).
    void stop();
    /// Reads `status --json` again; false when it could not be read (the last facts stay).
    bool refreshFacts();
    /// The node's facts, read once on demand.
    std::optional<NodeStatus> facts();
    /// {"mode","binary","backendState","dnsName","address","publicUrl","wsUrl","routeActive","error"}.
    std::string statusJson();

  private:
    static const char* name(RouteMode m) { return m == RouteMode::Funnel ? "funnel" : "serve"; }
    void removeEarlierRoute(int port);

    Host host_;
    TailscaleCli& cli_;
    std::mutex mu_;
    std::optional<RouteMode> mode_; ///< set once start() was asked
    int port_ = 0;
    bool resetOnExit_ = false;
    bool active_ = false;
    std::string error_;               ///< why the last start failed
    std::optional<NodeStatus> facts_; ///< the last status --json read
    std::string factsError_;          ///< why it could not be read
};

} // namespace openclaw::tailscale
