// What costs memory lives in devices-core.so beside the plugin: the device proof and token code with
// OpenSSL, the store with SQLite. It is loaded at the first connect that carries a device or the first
// pairing call, so a gateway nobody connects devices to maps neither (about 1.5 MiB of libcrypto, plus
// SQLite). Both sides are built from this tree by one compiler: the table below is an internal split of one
// plugin, not an ABI.
#pragma once

#include "DeviceProof.hpp"
#include "PairingStore.hpp"

namespace openclaw::devices {

/// What devices-core.so exports (through openclaw_devices_core()).
struct CoreTable {
    std::optional<ProofFailure> (*verify)(const DeviceClaim& claim, const SignedContext& ctx,
                                          long long nowMs);
    std::string (*mintToken)(const std::string& secret, const std::string& deviceId, const std::string& role,
                             unsigned generation);
    std::string (*randomBytes)(size_t n);
    bool (*sameSecret)(const std::string& a, const std::string& b);
    std::string (*sha256Hex)(const std::string& bytes);
    std::optional<std::string> (*rawPublicKey)(const std::string& encoded);
    std::string (*base64Url)(const std::string& bytes);
    std::unique_ptr<PairingStore> (*openStore)(const std::string& path, std::string& error);
    std::string (*loadOrCreateSecret)(const std::string& path, std::string& error);
    std::string (*readReferencePairing)(const std::string& path, std::vector<std::string>& paired,
                                        size_t& pending);
};

/// The name of the one symbol devices-core.so exports.
inline constexpr const char* kCoreSymbol = "openclaw_devices_core";

} // namespace openclaw::devices
