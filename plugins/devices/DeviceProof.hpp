// A connect's device proof (the `device` object of connect params) checked as the reference checks it:
// id = SHA-256 of the raw Ed25519 public key, the signed time within 120 s, the nonce bound to this socket's
// challenge, the signature over the v3 payload, else the v2 one. Pure (the clock is a parameter); Ed25519 and
// SHA-256 through OpenSSL.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace openclaw::devices {

/// connect.params.device as sent.
struct DeviceClaim {
    std::string id;
    std::string publicKey; ///< base64url (43 chars), padded/standard base64 or PEM
    std::string signature; ///< base64url
    long long signedAt = 0;
    std::string nonce;
};

/// What the signature covers besides the claim: the rest of the connect, and this socket's challenge.
struct SignedContext {
    std::string challengeNonce;
    std::string clientId, clientMode, role;
    std::vector<std::string> scopes; ///< exactly as sent (order kept)
    std::string token;               ///< auth.token ?? auth.deviceToken ?? auth.bootstrapToken ?? ""
    std::string platform, deviceFamily;
};

/// Why a proof is refused: the reference's message, details code and reason.
struct ProofFailure {
    std::string message;
    std::string code;
    std::string reason;
};

/// The allowed distance between signedAt and now, either way.
constexpr long long kMaxSkewMs = 120000;

/// Checks a claim in the reference's order; nothing when it holds.
std::optional<ProofFailure> verifyDeviceProof(const DeviceClaim& claim, const SignedContext& ctx,
                                              long long nowMs);

/// The signed payload strings ("v3|…" and "v2|…") for a claim.
std::string payloadV3(const DeviceClaim& claim, const SignedContext& ctx);
std::string payloadV2(const DeviceClaim& claim, const SignedContext& ctx);

/// The 32 raw bytes of a public key in any accepted encoding; nothing when it is none of them.
std::optional<std::string> rawPublicKey(const std::string& encoded);
/// Lower-case hex SHA-256 of `bytes` (a device id from its raw public key).
std::string sha256Hex(const std::string& bytes);
/// Base64url without padding.
std::string base64Url(const std::string& bytes);
/// Decodes base64 or base64url, padded or not; nothing when it is neither.
std::optional<std::string> decodeBase64(std::string text);

} // namespace openclaw::devices
