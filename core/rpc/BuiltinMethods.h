// The gateway's own methods: health, status, system-presence, config.get, logs.tail, and the
// post-handshake `connect` refusal. They read state through GatewayState so they stay testable.
#pragma once

#include "config/GatewayConfig.h"
#include "rpc/Registry.h"

namespace openclaw::rpc {

/// What the built-in methods need to know about the running gateway.
class GatewayState {
  public:
    virtual ~GatewayState() = default;
    virtual config::GatewayConfigPtr config() const = 0;
    /// Health snapshot payload (shape of the `health` method).
    virtual json::ObjectPtr health() const = 0;
    /// Presence entries (self first, then connected clients).
    virtual json::ArrayPtr presence() const = 0;
    /// Extra facts for `status` (connections, listeners, plugins).
    virtual json::ObjectPtr runtimeStatus() const = 0;
    /// The JSON-lines log file logs.tail reads.
    virtual std::string logFile() const = 0;
    /// The `health` payload, serialized: a snapshot at most a second old unless probe (then fresh), as
    /// the reference answers from its health cache unless asked to probe.
    virtual std::shared_ptr<const std::string> healthJson(bool probe) = 0;
    /// Called after a `health` call so the server can broadcast the snapshot.
    virtual void healthServed() = 0;
};

/// Registers the built-in methods and events.
void registerBuiltins(Registry& registry, GatewayState& state);

/// logs.tail over a JSON-lines file. Exposed for tests. `nowMs` is the wall clock in ms.
json::ObjectPtr tailLogFile(const std::string& path, const json::Var& params, long long nowMs);

} // namespace openclaw::rpc
