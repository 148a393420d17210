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

} // namespace openclaw::plugins
