// A device's Ed25519 key as a client holds it (its raw public key, its device id) and its signature over a
// payload, base64url as on the wire: tests and the bench play devices with it. Built on OpenSSL, like the
// devices plugin's proof check.
#pragma once

#include "DeviceProof.hpp"

#include <openssl/evp.h>

#include <memory>
#include <string>
#include <vector>

namespace openclaw::devices {

class DeviceKey {
  public:
    DeviceKey() : key_(nullptr, &EVP_PKEY_free) {
        EVP_PKEY* k = nullptr;
        std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
            EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr), &EVP_PKEY_CTX_free);
        EVP_PKEY_keygen_init(ctx.get());
        EVP_PKEY_keygen(ctx.get(), &k);
        key_.reset(k);
    }
    /// The 32 raw public-key bytes.
    std::string raw() const {
        std::string out(32, '\0');
        size_t len = out.size();
        EVP_PKEY_get_raw_public_key(key_.get(), reinterpret_cast<unsigned char*>(out.data()), &len);
        return out;
    }
    std::string publicKey() const { return base64Url(raw()); }
    std::string deviceId() const { return sha256Hex(raw()); }
    /// The signature over `payload`, base64url without padding.
    std::string sign(const std::string& payload) const {
        std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
        EVP_DigestSignInit(md.get(), nullptr, nullptr, nullptr, key_.get());
        std::string sig(64, '\0');
        size_t len = sig.size();
        EVP_DigestSign(md.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                       reinterpret_cast<const unsigned char*>(payload.data()), payload.size());
        return base64Url(sig);
    }

    /// What a connect signs besides the key (the v3 payload's other fields).
    struct Signing {
        std::string clientId = "cli", clientMode = "cli", role = "operator";
        std::vector<std::string> scopes;
        std::string token;
        std::string platform = "linux", deviceFamily = "Linux";
    };
    /// The connect's `,"device":{…}` member, signed over v3 for a socket's challenge.
    std::string deviceMember(const Signing& s, const std::string& nonce, long long signedAt) const {
        DeviceClaim claim{deviceId(), publicKey(), "", signedAt, nonce};
        SignedContext ctx{nonce,    s.clientId, s.clientMode, s.role,
                          s.scopes, s.token,    s.platform,   s.deviceFamily};
        claim.signature = sign(payloadV3(claim, ctx));
        return memberOf(claim);
    }
    /// A claim as the connect's `,"device":{…}` member, exactly as given (right or wrong).
    static std::string memberOf(const DeviceClaim& claim) {
        return R"(,"device":{"id":")" + claim.id + R"(","publicKey":")" + claim.publicKey +
               R"(","signature":")" + claim.signature + R"(","signedAt":)" + std::to_string(claim.signedAt) +
               R"(,"nonce":")" + claim.nonce + "\"}";
    }

  private:
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key_;
};

} // namespace openclaw::devices
