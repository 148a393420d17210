// Builds the hello-ok payload from plain facts. Pure.
#pragma once

#include "json/Json.h"

#include <string>
#include <vector>

namespace openclaw::protocol {

/// Everything hello-ok reports.
struct HelloInfo {
    std::string version;
    std::string buildId;
    std::string bootId;
    std::string connId;
    const std::vector<std::string>* methods = nullptr; ///< the registry's (not copied per connection)
    const std::vector<std::string>* events = nullptr;
    json::ArrayPtr presence;
    json::ObjectPtr health;
    long long presenceVersion = 1;
    long long healthVersion = 1;
    long long uptimeMs = 0;
    std::string authMethod;              ///< "token" | "password" | "none" | "device-token" | …
    std::string deviceToken;             ///< hello-ok auth.deviceToken ("" = absent)
    long long deviceTokenIssuedAtMs = 0; ///< hello-ok auth.issuedAtMs (with a device token)
    std::string role;
    std::vector<std::string> scopes;
    int tickIntervalMs = 30000;
    long long maxBufferedBytes = 52428800; ///< what this connection enforces (limits.maxBufferedBytes)
};

/// The hello-ok payload (type, protocol, server, features, snapshot, auth, policy).
json::ObjectPtr buildHelloOk(const HelloInfo& info);

/// The connect.challenge event payload.
json::ObjectPtr buildChallenge(const std::string& nonce, long long tsMs);

} // namespace openclaw::protocol
