// Least privilege for a plugin's view of the gateway config (ABI 1.2): what its manifest's "configAccess"
// lists, secrets redacted unless it asks for them. Pure, for unit tests.
#pragma once

#include "json/Json.h"

#include <string>
#include <vector>

namespace openclaw::plugins {

/// "configAccess": {"gateway": ["port", "tailscale.mode"], "secrets": false}
struct ConfigAccess {
    bool legacy = true;               ///< a 1.0/1.1 plugin: the whole gateway section, secrets included
    std::vector<std::string> gateway; ///< dot paths under the gateway section the plugin reads
    bool secrets = false;             ///< token/password values under those paths stay (else redacted)
};

/// The part of `gateway` a plugin with `access` is handed.
json::ObjectPtr gatewayViewFor(const ConfigAccess& access, const json::ObjectPtr& gateway);

/// Parses a manifest's "configAccess" value (absent: nothing of the gateway section); "" when sound, else
/// what is wrong.
std::string parseConfigAccess(const json::Var& value, ConfigAccess& out);

} // namespace openclaw::plugins
