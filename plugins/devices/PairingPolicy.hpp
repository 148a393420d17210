// When a device with a valid proof needs pairing, and when that pairing is approved without asking anyone
// (reference/nodes-and-devices.md §2.1, §2.3). Pure: the unit tests call it directly.
#pragma once

#include "DeviceRecord.hpp"

#include <optional>
#include <string>
#include <vector>

namespace openclaw::devices {

/// Whether `approved` covers `scope` (admin covers every scope, write covers read).
bool scopeCovered(const std::vector<std::string>& approved, const std::string& scope);

/// Whether the role's token is usable: the role approved and its token not revoked.
bool roleApproved(const PairedDevice& device, const std::string& role);

/// Why a connect with these facts needs pairing; nothing when the device is paired for them.
std::optional<PairingReason> pairingNeeded(const std::optional<PairedDevice>& paired,
                                           const DeviceFacts& facts);

/// How the connect reached us.
struct Locality {
    bool loopback = false;      ///< the peer is on loopback (and no proxy said otherwise)
    bool browserOrigin = false; ///< an Origin header came with the upgrade
};

/// Whether a pairing may be approved silently (§2.3): a local peer, autoApproveLocal not off, never for a
/// browser, never for a paired device asking for a non-operator role, scope upgrades only for shared-secret
/// or no auth.
bool silentApproval(PairingReason reason, const DeviceFacts& facts, const Locality& where,
                    bool autoApproveLocal, const std::string& authMethod);

/// The reference's words for each reason: the refusal message (after "pairing required: "), the hint, the
/// details reason and the `devices list` status text.
struct ReasonWords {
    const char* reason;
    const char* message;
    const char* hint;
    const char* status;
};
const ReasonWords& wordsFor(PairingReason reason);
std::optional<PairingReason> reasonFromText(const std::string& reason);

/// The scopes a paired device gets for a connect: the asked ones within its approved set; none for a node.
std::vector<std::string> grantedScopes(const PairedDevice& device, const DeviceFacts& facts);

} // namespace openclaw::devices
