// The RPC method registry: name -> (required scope, handler). Dispatch checks the scope and turns
// every failure into the reference's error object, so one bad call never affects another caller.
#pragma once

#include "protocol/Frames.h"

#include <functional>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace openclaw::rpc {

/// Who is calling.
struct CallContext {
    std::string connId;
    std::string clientId;
    std::string clientMode;
    std::vector<std::string> scopes;
};

/// Thrown by handlers to answer with a specific error object.
class RpcFailure : public std::runtime_error {
  public:
    explicit RpcFailure(protocol::RpcError e) : std::runtime_error(e.message), error(std::move(e)) {}
    protocol::RpcError error;
};

/// A handler returns the payload or throws (RpcFailure for a chosen error; anything else is UNAVAILABLE).
using Handler = std::function<json::Var(const CallContext&, const json::Var& params)>;

/// A handler that returns its payload already serialized (hot methods answered from a cache).
using SerializedHandler = std::function<std::string(const CallContext&, const json::Var& params)>;

/// Whether a handler may block (plugin calls, file reads): those run off the I/O threads.
enum class Runs { Inline, MayBlock };

/// A dispatched request: the encoded response frame and whether it was ok.
struct Outcome {
    std::string frame;
    bool ok = false;
};

/// Registered methods and announced events.
class Registry {
  public:
    /// Adds or replaces a method. Handlers are assumed to block unless registered Runs::Inline.
    void add(const std::string& name, const std::string& scope, Handler handler, Runs runs = Runs::MayBlock);
    /// Adds or replaces a method whose handler returns serialized JSON.
    void addSerialized(const std::string& name, const std::string& scope, SerializedHandler handler,
                       Runs runs = Runs::MayBlock);
    /// Removes a method (plugin unload).
    void remove(const std::string& name);
    /// Adds an event name announced in hello-ok.
    void addEvent(const std::string& name);

    /// Method names in registration order.
    std::vector<std::string> methods() const;
    /// Event names in registration order.
    std::vector<std::string> events() const;
    /// Required scope of a method, or nothing when unknown.
    std::optional<std::string> scopeOf(const std::string& name) const;

    /// True when the method is known and registered as possibly blocking.
    bool mayBlock(const std::string& name) const;

    /// Runs a request; returns the encoded response frame.
    Outcome dispatch(const protocol::Request& req, const CallContext& ctx) const;

    /// The error for a missing scope, as the reference words it.
    static protocol::RpcError missingScope(const std::string& scope);
    /// INVALID_REQUEST with a message.
    static protocol::RpcError invalidRequest(const std::string& message);

  private:
    struct Entry {
        std::string scope;
        Handler handler;
        SerializedHandler serialized; ///< set instead of handler
        Runs runs = Runs::MayBlock;
    };
    mutable std::mutex mu_;
    std::map<std::string, Entry> entries_;
    std::vector<std::string> order_;
    std::vector<std::string> events_;
};

} // namespace openclaw::rpc
