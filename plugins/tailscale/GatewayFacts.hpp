// What the tailscale plugin reads of the config it is handed, shared by its face and its core (each .so
// compiles GatewayFacts.cpp in).
#pragma once

#include "openclaw/plugin.hpp"

#include <Poco/JSON/Object.h>

#include <string>

namespace openclaw::tailscale {

/// `text` as a JSON object (an empty object when it is empty or not an object).
Poco::JSON::Object::Ptr parseObject(const std::string& text);

/// The effective gateway.auth.allowTailscale and whether the gateway binds to the tailnet.
struct GatewayFacts {
    bool allowTailscale = false;
    bool tailnetBind = false;
};

/// The gateway section's facts, read from the host's current config.
GatewayFacts readGateway(const Host& host);

} // namespace openclaw::tailscale
