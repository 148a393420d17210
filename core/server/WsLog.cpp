#include "server/WsLog.h"

#include "log/Logger.h"

namespace openclaw::server {

bool wsLogOn(config::WsLogStyle style, bool detailed) {
    if (detailed && style != config::WsLogStyle::Full) return false;
    return log::Logger::get().wants(style == config::WsLogStyle::Auto ? log::Level::Debug : log::Level::Info);
}

void wsLog(config::WsLogStyle style, const std::string& line) {
    log::Logger::get().write(style == config::WsLogStyle::Auto ? log::Level::Debug : log::Level::Info, "ws",
                             line);
}

} // namespace openclaw::server
