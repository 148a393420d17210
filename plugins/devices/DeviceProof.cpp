#include "DeviceProof.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <algorithm>
#include <cstdlib>
#include <memory>

namespace openclaw::devices {

namespace {

using PKeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

/// Trimmed, with ASCII A-Z lowered (the reference's normalisation of platform and deviceFamily).
std::string normalised(const std::string& s) {
    const size_t from = s.find_first_not_of(" \t\r\n");
    const size_t to = s.find_last_not_of(" \t\r\n");
    std::string out = from == std::string::npos ? "" : s.substr(from, to - from + 1);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::string joined(const std::vector<std::string>& v) {
    std::string out;
    for (size_t i = 0; i < v.size(); ++i)
        out += (i ? "," : "") + v[i];
    return out;
}

/// The fields both payload versions share, after the version tag.
std::string common(const DeviceClaim& claim, const SignedContext& ctx) {
    return claim.id + "|" + ctx.clientId + "|" + ctx.clientMode + "|" + ctx.role + "|" + joined(ctx.scopes) +
           "|" + std::to_string(claim.signedAt) + "|" + ctx.token + "|" + claim.nonce;
}

bool verifies(const std::string& rawKey, const std::string& payload, const std::string& signature) {
    PKeyPtr key(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                            reinterpret_cast<const unsigned char*>(rawKey.data()),
                                            rawKey.size()),
                &EVP_PKEY_free);
    if (!key) return false;
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    if (!md || EVP_DigestVerifyInit(md.get(), nullptr, nullptr, nullptr, key.get()) != 1) return false;
    return EVP_DigestVerify(md.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                            signature.size(), reinterpret_cast<const unsigned char*>(payload.data()),
                            payload.size()) == 1;
}

/// A PEM (SPKI) Ed25519 public key's raw bytes.
std::optional<std::string> rawFromPem(const std::string& pem) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())),
                                                  &BIO_free);
    if (!bio) return std::nullopt;
    PKeyPtr key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
    if (!key || EVP_PKEY_id(key.get()) != EVP_PKEY_ED25519) return std::nullopt;
    std::string raw(32, '\0');
    size_t len = raw.size();
    if (EVP_PKEY_get_raw_public_key(key.get(), reinterpret_cast<unsigned char*>(raw.data()), &len) != 1 ||
        len != 32)
        return std::nullopt;
    return raw;
}

ProofFailure failure(const char* message, const char* code, const char* reason) {
    return {message, code, reason};
}

} // namespace

std::optional<std::string> decodeBase64(std::string text) {
    std::replace(text.begin(), text.end(), '-', '+');
    std::replace(text.begin(), text.end(), '_', '/');
    while (!text.empty() && text.back() == '=')
        text.pop_back();
    if (text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") !=
            std::string::npos ||
        text.size() % 4 == 1)
        return std::nullopt;
    const size_t unpadded = text.size();
    text.append((4 - text.size() % 4) % 4, '=');
    std::string out(text.size() / 4 * 3, '\0');
    const int n =
        EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                        reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
    if (n < 0) return std::nullopt;
    out.resize(unpadded * 3 / 4); // EVP_DecodeBlock counts the padding as zero bytes
    return out;
}

std::string base64Url(const std::string& bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3), '\0');
    const int n =
        EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                        reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
    out.resize(static_cast<size_t>(n));
    while (!out.empty() && out.back() == '=')
        out.pop_back();
    std::replace(out.begin(), out.end(), '+', '-');
    std::replace(out.begin(), out.end(), '/', '_');
    return out;
}

std::string sha256Hex(const std::string& bytes) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(bytes.data(), bytes.size(), digest, &len, EVP_sha256(), nullptr);
    static const char* kHex = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < len; ++i) {
        out += kHex[digest[i] >> 4];
        out += kHex[digest[i] & 0xf];
    }
    return out;
}

std::optional<std::string> rawPublicKey(const std::string& encoded) {
    if (encoded.find("-----BEGIN") != std::string::npos) return rawFromPem(encoded);
    std::optional<std::string> raw = decodeBase64(encoded);
    if (raw && raw->size() == 32) return raw;
    return std::nullopt;
}

std::string payloadV3(const DeviceClaim& claim, const SignedContext& ctx) {
    return "v3|" + common(claim, ctx) + "|" + normalised(ctx.platform) + "|" + normalised(ctx.deviceFamily);
}

std::string payloadV2(const DeviceClaim& claim, const SignedContext& ctx) {
    return "v2|" + common(claim, ctx);
}

std::optional<ProofFailure> verifyDeviceProof(const DeviceClaim& claim, const SignedContext& ctx,
                                              long long nowMs) {
    const std::optional<std::string> raw = rawPublicKey(claim.publicKey);
    if (!raw || sha256Hex(*raw) != claim.id)
        return failure("device identity mismatch", "DEVICE_AUTH_DEVICE_ID_MISMATCH", "device-id-mismatch");
    if (std::llabs(nowMs - claim.signedAt) > kMaxSkewMs)
        return failure("device signature expired", "DEVICE_AUTH_SIGNATURE_EXPIRED", "device-signature-stale");
    if (normalised(claim.nonce).empty())
        return failure("device nonce required", "DEVICE_AUTH_NONCE_REQUIRED", "device-nonce-missing");
    if (claim.nonce != ctx.challengeNonce)
        return failure("device nonce mismatch", "DEVICE_AUTH_NONCE_MISMATCH", "device-nonce-mismatch");
    const std::optional<std::string> signature = decodeBase64(claim.signature);
    if (!signature || (!verifies(*raw, payloadV3(claim, ctx), *signature) &&
                       !verifies(*raw, payloadV2(claim, ctx), *signature)))
        return failure("device signature invalid", "DEVICE_AUTH_SIGNATURE_INVALID", "device-signature");
    return std::nullopt;
}

} // namespace openclaw::devices
