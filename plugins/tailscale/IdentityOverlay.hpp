// The auth overlay for gateway.auth.allowTailscale: asked before the configured mode's plugin, it accepts a
// WebSocket connect that tailscaled's serve proxy vouches for (headers checked against `tailscale whois`),
// refuses a tailnet identity claim that does not hold when no token or password came with it, and defers
// (lets token/password auth decide) otherwise. whois runs on a host worker and answers later (defer /
// complete), so no gateway worker waits for it.
#pragma once

#include "IdentityCheck.hpp"
#include "TailscaleCli.hpp"

#include <atomic>
#include <memory>
#include <string>

namespace openclaw::tailscale {

class IdentityOverlay {
  public:
    /// `tailscaledUid`: whose sockets may carry identity headers.
    IdentityOverlay(Host host, std::shared_ptr<TailscaleCli> cli, unsigned tailscaledUid);
    /// gateway.auth.allowTailscale (effective); off: every request is deferred at once.
    void setEnabled(bool on) { state_->enabled = on; }
    /// Whether it may decide anything (false: it would defer every request).
    bool enabled() const { return state_->enabled; }
    void setTailscaledUid(unsigned uid) { state_->tailscaledUid = uid; }
    /// The verdict JSON, or throws openclaw::Pending after Host::defer() while whois runs.
    std::string verify(const std::string& requestJson);

    /// The verdicts.
    static std::string deferVerdict();
    static std::string acceptVerdict(const std::string& login);
    /// A refusal with the reference's detail code and message for `reason` (tailscale_user_missing,
    /// tailscale_proxy_missing, tailscale_whois_failed, tailscale_user_mismatch).
    static std::string refusal(const std::string& reason);

  private:
    struct State {
        Host host;
        std::shared_ptr<TailscaleCli> cli;
        std::atomic<bool> enabled{false};
        std::atomic<unsigned> tailscaledUid{0};
        std::atomic<bool> warnedForeignPeer{false};
        WhoisCache cache;
        State(Host h, std::shared_ptr<TailscaleCli> c) : host(h), cli(std::move(c)) {}
    };
    struct WhoisJob;
    static void runWhois(void* job);
    static std::string decide(const IdentityClaim& claim, const WhoisCache::Entry& answer, bool credentials);
    bool fromTailscaled(const std::string& peerIp, int peerPort, const std::string& ourIp, int ourPort);

    std::shared_ptr<State> state_; ///< shared with whois jobs still running after destroy()
};

} // namespace openclaw::tailscale
