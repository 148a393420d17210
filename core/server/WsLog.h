// The "ws" log lines of connections (gateway --ws-log auto|compact|full): at debug level in auto, at info
// level otherwise; parameters and sizes only in full.
#pragma once

#include "config/Modes.h"

#include <string>

namespace openclaw::server {

/// Whether a ws line is written now (`detailed`: one that only the full style shows).
bool wsLogOn(config::WsLogStyle style, bool detailed);
/// Writes a ws line at the style's level.
void wsLog(config::WsLogStyle style, const std::string& line);

} // namespace openclaw::server
