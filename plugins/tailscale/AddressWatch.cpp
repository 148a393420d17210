#include "AddressWatch.hpp"

#include "TailscaleFacts.hpp"

namespace openclaw::tailscale {

AddressWatch::AddressWatch(Host host, std::shared_ptr<TailscaleCli> cli)
    : host_(host), state_(std::make_shared<State>(host, std::move(cli))) {}

AddressWatch::~AddressWatch() {
    if (timer_) host_.cancelTimer(timer_);
}

void AddressWatch::start(uint32_t intervalMs) {
    if (timer_ || state_->found) return;
    state_->host.info("tailscale",
                      "waiting for a tailnet address (every " + std::to_string(intervalMs) + " ms)");
    timer_ = host_.addTimer(intervalMs, true, &AddressWatch::onTimer, this);
}

void AddressWatch::onTimer(void* self) {
    // A timer callback must not block: the status read runs on a host worker.
    auto* watch = static_cast<AddressWatch*>(self);
    if (watch->state_->found || watch->state_->busy.exchange(true)) return;
    auto* keep = new std::shared_ptr<State>(watch->state_);
    try {
        watch->host_.postWork(&AddressWatch::check, keep);
    } catch (const std::exception&) {
        watch->state_->busy = false; // the host is stopping
        delete keep;
    }
}

void AddressWatch::check(void* raw) {
    std::unique_ptr<std::shared_ptr<State>> keep(static_cast<std::shared_ptr<State>*>(raw));
    State& s = **keep;
    const CliResult r = s.cli->run({"status", "--json"}, s.cli->timeouts().status);
    const std::optional<NodeStatus> status = r.ok() ? parseStatus(r.out) : std::nullopt;
    if (status && !status->ipv4().empty() && !s.found.exchange(true)) {
        s.host.info("tailscale", "tailnet address " + status->ipv4() + " appeared");
        s.host.stateChanged();
    }
    s.busy = false;
}

} // namespace openclaw::tailscale
