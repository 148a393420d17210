#include "plugins/CliServices.h"

#include "log/Logger.h"

namespace openclaw::plugins {

bool CliServices::emitEvent(const std::string& event, const std::string&) {
    log::Logger::get().debug("plugins", "event " + event + " not delivered: a CLI command has no sessions");
    return false;
}

std::string CliServices::runtimeJson() const {
    json::ObjectPtr o = json::makeObject();
    o->set("cli", true);
    o->set("port", config_->port);
    o->set("stateDir", config_->paths.stateDir);
    return json::stringify(o);
}

uint64_t CliServices::addTimer(uint32_t intervalMs, bool repeat, std::function<void()> fn) {
    return timers_.add(intervalMs, repeat, std::move(fn));
}

void CliServices::cancelTimer(uint64_t id) {
    timers_.cancel(id);
}

} // namespace openclaw::plugins
