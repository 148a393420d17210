// The devices plugin's state and its three jobs, each in its own file: admitting a connect that carries a
// device (DeviceAdmission.cpp), the device.pair.* and device.token.* methods (PairingMethods.cpp), and what
// it asks of the gateway's sessions (DeviceSessions.cpp). The code and data that cost memory (OpenSSL,
// SQLite, the book) come at the first call that needs them (CoreModule).
#pragma once

#define OPENCLAW_PLUGIN_ABI_MINOR 3u
#include "CoreModule.hpp"
#include "DeviceBook.hpp"
#include "NodePolicy.hpp"
#include "PairingPolicy.hpp"

#include "openclaw/plugin.hpp"

#include <Poco/JSON/Object.h>

#include <memory>
#include <mutex>
#include <set>
#include <string>

namespace openclaw::devices {

/// What the plugin reads of the gateway's config.
struct DevicesConfig {
    bool autoApproveLocal = true; ///< gateway.nodes.pairing.autoApproveLocal
    CommandConfig commands;       ///< gateway.nodes.commands
    std::string stateDir;         ///< the gateway's state folder
    std::string nativeDir;        ///< <state dir>/native
};

class Devices {
  public:
    Devices(openclaw::Host host, DevicesConfig config) : host_(host), config_(std::move(config)) {}
    ~Devices();
    Devices(const Devices&) = delete;
    Devices& operator=(const Devices&) = delete;

    /// The admission step (oc_admission_vtable.admit).
    std::string admit(const Poco::JSON::Object::Ptr& request);
    /// device.pair.*, device.token.*, node.* (the node relay's included).
    std::string call(const openclaw::CallContext& caller, const std::string& method,
                     const Poco::JSON::Object::Ptr& params);

  private:
    // DeviceAdmission.cpp
    std::string admitDevice(const Poco::JSON::Object::Ptr& request, const Poco::JSON::Object::Ptr& connect);
    std::string admitByDeviceToken(const DeviceFacts& facts, const Poco::JSON::Object::Ptr& auth);
    std::string admitPaired(const PairedDevice& device, const DeviceFacts& facts, const std::string& method,
                            long long now);
    std::string approveSilently(PairingReason reason, const DeviceFacts& facts, const std::string& method,
                                long long now);
    std::string holdForApproval(PairingReason reason, const DeviceFacts& facts, long long now);

    // PairingMethods.cpp
    Poco::JSON::Object::Ptr list();
    Poco::JSON::Object::Ptr approve(const openclaw::CallContext& caller, const std::string& requestId);
    Poco::JSON::Object::Ptr reject(const std::string& requestId);
    Poco::JSON::Object::Ptr remove(const openclaw::CallContext& caller, const std::string& deviceId);
    Poco::JSON::Object::Ptr rename(const std::string& deviceId, const std::string& label);
    Poco::JSON::Object::Ptr rotate(const openclaw::CallContext& caller,
                                   const Poco::JSON::Object::Ptr& params);
    Poco::JSON::Object::Ptr revoke(const openclaw::CallContext& caller,
                                   const Poco::JSON::Object::Ptr& params);

    /// device.pair.import: the reference's paired devices from its database at `from` ("" = its place in
    /// our state folder).
    Poco::JSON::Object::Ptr importReference(const std::string& from);

    std::string callPairing(const openclaw::CallContext& caller, const std::string& method,
                            const Poco::JSON::Object::Ptr& params);

    // NodeSurfaces.cpp
    /// Updates a node's surfaces for what it declared at this connect; true when the record changed.
    /// `announce`: a new pending surface request to broadcast.
    bool refreshNodeSurface(PairedDevice& device, const DeviceFacts& facts, long long now, bool& announce);
    void noteLiveNode(const DeviceFacts& facts, long long now);
    Poco::JSON::Object::Ptr pendingNodeEntry(const PairedDevice& device) const;
    Poco::JSON::Object::Ptr pairedNodeEntry(const PairedDevice& device) const;
    Poco::JSON::Object::Ptr nodeListEntry(const PairedDevice& device, bool connected, bool withPending) const;
    std::vector<std::string> effectiveCommands(const PairedDevice& device) const;

    // NodeMethods.cpp
    std::string callNode(const openclaw::CallContext& caller, const std::string& method,
                         const Poco::JSON::Object::Ptr& params);
    Poco::JSON::Object::Ptr nodeApprove(const openclaw::CallContext& caller, const std::string& requestId);
    Poco::JSON::Object::Ptr nodeReject(const std::string& requestId);
    Poco::JSON::Object::Ptr nodeRemove(const std::string& nodeId);
    Poco::JSON::Object::Ptr nodeList(const openclaw::CallContext& caller, const std::string& onlyNode);
    Poco::JSON::Object::Ptr nodePairList();
    /// The paired device holding a node surface request with this id.
    const PairedDevice* deviceWithSurfaceRequest(const std::string& requestId) const;

    // NodeRelay.cpp
    std::string callRelay(const openclaw::CallContext& caller, const std::string& method,
                          const Poco::JSON::Object::Ptr& params);
    std::string invoke(const openclaw::CallContext& caller, const Poco::JSON::Object::Ptr& params);
    /// The session of a node that may run `command` now; throws the reference's refusal otherwise.
    uint64_t invocableSession(const std::string& nodeId, const std::string& command);
    /// node.invoke.request's payload for the operator's params.
    Poco::JSON::Object::Ptr invokeRequest(const Poco::JSON::Object::Ptr& params, long long timeoutMs) const;
    /// Sends the request to the node's session; the call waits for its result, at most timeoutMs.
    void relay(uint64_t call, uint64_t session, const Poco::JSON::Object::Ptr& request, long long timeoutMs);
    std::string invokeResult(const openclaw::CallContext& caller, const Poco::JSON::Object::Ptr& params);
    std::string nodeEvent(const openclaw::CallContext& caller, const Poco::JSON::Object::Ptr& params);
    std::string publication(const openclaw::CallContext& caller, const std::string& method,
                            const Poco::JSON::Object::Ptr& params);
    /// The node's approved surface, or UNAVAILABLE PAIRING_CHANGED as the reference answers.
    void requireApprovedNode(const std::string& nodeId, const std::string& text);
    /// The open session of a node (0 when it is not connected).
    uint64_t nodeSession(const std::string& nodeId) const;
    void invokeTimedOut(const std::string& invokeId);

    // DeviceSessions.cpp
    /// The devices with an open session (of `role` when given).
    std::set<std::string> connectedDevices(const std::string& role = "") const;
    void closeSessionsOf(const std::string& deviceId, const std::string& role) const;
    void broadcast(const std::string& event, const Poco::JSON::Object::Ptr& payload) const;
    void resolved(const std::string& requestId, const std::string& deviceId, const std::string& decision,
                  long long now) const;

    /// The book, created at the first call; throws RpcError UNAVAILABLE when devices-core.so cannot load.
    DeviceBook& book();
    /// The book's lock, the book opened; throws RpcError UNAVAILABLE naming the store when it cannot be.
    std::unique_lock<std::mutex> openBook();
    /// The commit of an edit, or RpcError UNAVAILABLE with the store's words.
    void commitOrThrow(const Edit& edit);

    openclaw::Host host_;
    DevicesConfig config_;
    std::once_flag bookMade_;
    std::unique_ptr<DeviceBook> book_;
    /// What each node declared at its last connect, and when (under the book's lock).
    std::map<std::string, std::pair<DeviceFacts, long long>> live_;

    /// An invoke relayed to a node, waiting for its node.invoke.result.
    struct Invoke {
        uint64_t call = 0, session = 0, timer = 0;
        std::string nodeId, command;
    };
    std::mutex relayMutex_;
    std::map<std::string, Invoke> invokes_;
};

/// Milliseconds since the epoch.
long long nowMs();

} // namespace openclaw::devices
