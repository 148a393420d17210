// What the devices plugin knows about a device: the paired record (roles, scopes, its tokens' state) and a
// pending pairing request. Plain data: DeviceJson turns them into the wire's and the store's JSON.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace openclaw::devices {

/// The state of one role's device token. The token itself is never kept: it is derived from the gateway's
/// secret, the device id, the role and `generation` (TokenMint).
struct TokenState {
    std::string role;
    std::vector<std::string> scopes;
    unsigned generation = 1;
    long long createdAtMs = 0;
    std::optional<long long> rotatedAtMs, revokedAtMs, lastUsedAtMs;
    /// A token imported from the reference's store: its SHA-256 (hex), accepted until the next rotation.
    std::string importedHash;
};

/// What a device said about itself at connect (the parts pairing compares).
struct DeviceFacts {
    std::string deviceId, publicKey; ///< publicKey normalised to base64url
    std::string displayName, platform, deviceFamily, clientId, clientMode;
    std::string role;
    std::vector<std::string> scopes;
    std::string remoteIp; ///< "" for loopback (the reference records none)
    /// What this connect declared (a node's surface comes from it; not stored with the device).
    std::string version, pathEnv;
    std::vector<std::string> caps, commands;
};

/// A node's command surface: the one an operator approved, or one waiting for approval (§3.2).
struct NodeSurface {
    std::string requestId; ///< the pending request's id (kept after approval, as the reference)
    std::string displayName, platform, version, deviceFamily;
    std::vector<std::string> caps, commands;
    bool silent = false; ///< the device was paired without an operator
    long long ts = 0, createdAtMs = 0, approvedAtMs = 0;
    std::optional<long long> lastConnectedAtMs;
    std::string lastHostStats; ///< the last node.host.stats as JSON text ("" = none)
};

/// A paired device.
struct PairedDevice {
    DeviceFacts facts;
    std::string operatorLabel;
    std::vector<std::string> roles;          ///< approved roles
    std::vector<std::string> approvedScopes; ///< approved operator scopes
    std::string approvedVia;                 ///< "silent" | "owner" | "imported"
    long long createdAtMs = 0, approvedAtMs = 0;
    std::optional<long long> lastSeenAtMs;
    std::string lastSeenReason;
    std::map<std::string, TokenState> tokens; ///< by role
    std::optional<NodeSurface> nodeSurface, pendingNodeSurface;
    std::string nodeDisplayName; ///< node.rename's name ("" = the one the node gives)
};

/// Why a connect needs pairing (§2.1).
enum class PairingReason { NotPaired, RoleUpgrade, ScopeUpgrade, MetadataUpgrade };

/// A pending pairing request.
struct PendingRequest {
    std::string requestId;
    DeviceFacts facts;
    PairingReason reason = PairingReason::NotPaired;
    bool isRepair = false;       ///< the device was paired already (an upgrade)
    long long ts = 0;            ///< created
    long long refreshedAtMs = 0; ///< last retry; expires kPendingTtlMs after it
};

/// A pending request lives this long after its last retry (the reference's DEVICE_PAIRING_PENDING_TTL_MS).
constexpr long long kPendingTtlMs = 300000;
/// At most this many pending requests in all, and from one address: beyond, the oldest gives way.
constexpr size_t kMaxPending = 256;
constexpr size_t kMaxPendingPerAddress = 16;

} // namespace openclaw::devices
