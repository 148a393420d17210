// bind=tailnet with no tailnet address at start: polls `tailscale status --json` until an IPv4 tailnet
// address appears, then tells the host (state_changed), which adds the tailnet listener.
#pragma once

#include "TailscaleCli.hpp"

#include <atomic>
#include <memory>

namespace openclaw::tailscale {

class AddressWatch {
  public:
    AddressWatch(Host host, std::shared_ptr<TailscaleCli> cli);
    /// Stops polling (waits for a running timer callback).
    ~AddressWatch();
    AddressWatch(const AddressWatch&) = delete;
    AddressWatch& operator=(const AddressWatch&) = delete;
    /// Polls every intervalMs until an address appears (idempotent).
    void start(uint32_t intervalMs);

  private:
    struct State {
        Host host;
        std::shared_ptr<TailscaleCli> cli;
        std::atomic<bool> busy{false};  ///< a status read is running
        std::atomic<bool> found{false}; ///< an address appeared: nothing more to do
        State(Host h, std::shared_ptr<TailscaleCli> c) : host(h), cli(std::move(c)) {}
    };
    static void onTimer(void* self);
    static void check(void* state);

    Host host_;
    std::shared_ptr<State> state_; ///< shared with a status read still running after destroy()
    uint64_t timer_ = 0;
};

} // namespace openclaw::tailscale
