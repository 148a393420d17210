// The RPC method registry: name -> (required scope, handler). Dispatch checks the scope and turns
// every failure into the reference's error object, so one bad call never affects another caller.
#pragma once

#include "protocol/Frames.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

namespace openclaw::rpc {

/// Who is calling.
/// What a session declared at connect beyond its identity (caps; for nodes, commands and permissions).
struct Declared {
    std::vector<std::string> caps;
    std::vector<std::string> commands;
    std::vector<std::pair<std::string, bool>> permissions;
};

struct CallContext {
    std::string connId;
    std::string clientId;
    std::string clientMode;
    std::vector<std::string> scopes;
    uint64_t sessionId = 0; ///< stable for the session's life, never reused within a process
    bool node = false;      ///< role "node" (else operator)
    std::string clientPlatform;
    std::string clientVersion;
    std::string deviceId; ///< the verified device id ("" when none)
    std::string remoteAddress;
    bool loopback = false;
    /// Null when the session declared nothing (most operators): no per-session cost for them.
    std::shared_ptr<const Declared> declared;
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

/// The answer of a handler that replies later: the payload (as a tree, or as JSON text already validated,
/// which is spliced into the answer as it is), or the error.
struct Reply {
    json::Var payload;
    std::optional<protocol::RpcError> error;
    std::string payloadJson; ///< used instead of payload when not empty
};

/// A handler that answers later through `reply` (exactly once, from any thread); runs off the I/O threads.
/// It gets params as the client wrote them (validated JSON text; "null" when absent): a plugin method hands
/// them on without a tree.
using AsyncHandler =
    std::function<void(const CallContext&, const std::string& paramsJson, std::function<void(Reply)> reply)>;

/// Whether a handler may block (plugin calls, file reads): those run off the I/O threads.
enum class Runs { Inline, MayBlock };

/// A dispatched request: the encoded response frame and whether it was ok.
struct Outcome {
    std::string frame;
    bool ok = false;
    std::string code; ///< the error's code ("" when ok)
};

/// Registered methods and announced events. Filled on one thread before the server starts, then frozen:
/// from then on it is read-only and every thread reads it without a lock.
class Registry {
  public:
    /// A registered method.
    /// Which sessions may call a method: the reference lets a node call only node methods and `health`.
    enum class Callers : uint8_t { Operators, Nodes, Both };
    struct Method {
        std::string scope;
        Callers callers = Callers::Operators;
        Handler handler;
        SerializedHandler serialized; ///< set instead of handler
        AsyncHandler async;           ///< set instead of handler (plugin methods: they may answer later)
        Runs runs = Runs::MayBlock;
    };

    /// Adds or replaces a method. Handlers are assumed to block unless registered Runs::Inline.
    /// Throws std::logic_error once frozen.
    void add(const std::string& name, const std::string& scope, Handler handler, Runs runs = Runs::MayBlock);
    /// Adds or replaces a method whose handler returns serialized JSON.
    void addSerialized(const std::string& name, const std::string& scope, SerializedHandler handler,
                       Runs runs = Runs::MayBlock);
    /// Adds or replaces a method that answers through a reply callback.
    void addAsync(const std::string& name, const std::string& scope, AsyncHandler handler);
    /// Adds an event name announced in hello-ok.
    void addEvent(const std::string& name);
    /// Ends registration (GatewayServer::start) and renders hello-ok's features once.
    void freeze();
    /// hello-ok's features object as JSON (methods, events, capabilities), rendered at freeze(): the same for
    /// every connect.
    const std::string& featuresJson() const { return featuresJson_; }

    /// Method names in registration order.
    const std::vector<std::string>& methods() const { return order_; }
    /// Event names in registration order.
    const std::vector<std::string>& events() const { return events_; }
    /// A method by name, or null when unknown.
    const Method* find(const std::string& name) const;

    /// Runs a request for a method found with find() (null: the unknown-method error).
    Outcome dispatch(const Method* method, const protocol::Request& req, const CallContext& ctx) const;
    /// Runs a request for any kind of method and hands the encoded response to `reply` (at once, on this
    /// thread, unless the method answers later).
    void dispatchAsync(const Method* method, const protocol::Request& req, const CallContext& ctx,
                       std::function<void(Outcome)> reply) const;
    /// find() + dispatch().
    Outcome dispatch(const protocol::Request& req, const CallContext& ctx) const {
        return dispatch(find(req.method), req, ctx);
    }

    /// The refusal of a caller whose role may not call the method ("unauthorized role: …"), if any.
    static std::optional<protocol::RpcError> roleRefusal(const Method& method, const CallContext& ctx);
    /// The error for a missing scope, as the reference words it.
    static protocol::RpcError missingScope(const std::string& scope);
    /// INVALID_REQUEST with a message.
    static protocol::RpcError invalidRequest(const std::string& message);

  private:
    void checkOpen(const std::string& name) const;

    std::unordered_map<std::string, Method> methods_;
    std::vector<std::string> order_;
    std::vector<std::string> events_;
    std::string featuresJson_;
    bool frozen_ = false;
};

} // namespace openclaw::rpc
