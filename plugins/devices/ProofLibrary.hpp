// The device proof's code lives in devices-proof.so beside the plugin, with OpenSSL: it is loaded at the
// first connect that carries a device identity, so a gateway nobody connects devices to never maps libcrypto
// (about 1.5 MiB of resident memory). Both sides are built from this tree by one compiler: the table below is
// an internal split of one plugin, not an ABI.
#pragma once

#include "DeviceProof.hpp"

namespace openclaw::devices {

/// What devices-proof.so exports (through openclaw_devices_proof()).
struct ProofTable {
    std::optional<ProofFailure> (*verify)(const DeviceClaim& claim, const SignedContext& ctx,
                                          long long nowMs);
};

/// The name of the one symbol devices-proof.so exports.
inline constexpr const char* kProofSymbol = "openclaw_devices_proof";

} // namespace openclaw::devices
