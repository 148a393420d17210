// Builds the hello-ok payload from plain facts. Pure.
#pragma once

#include "json/Json.h"

#include <memory>
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
    /// The features object already rendered (renderFeatures, once per registry); null: rendered from
    /// methods and events here.
    const std::string* featuresJson = nullptr;
    std::shared_ptr<const std::string> presenceJson; ///< the presence list as JSON text (null: [])
    size_t presenceCount = 0;                        ///< its entries (for the log)
    std::shared_ptr<const std::string> healthJson;   ///< the health snapshot as JSON text (null: {})
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

/// The hello-ok payload as JSON text (type, protocol, server, features, snapshot, auth, policy).
std::string renderHelloOk(const HelloInfo& info);

/// hello-ok's features object: {"methods":[…],"events":[…],"capabilities":[]}.
std::string renderFeatures(const std::vector<std::string>& methods, const std::vector<std::string>& events);

/// The connect.challenge event payload.
json::ObjectPtr buildChallenge(const std::string& nonce, long long tsMs);

} // namespace openclaw::protocol
