// The devices plugin's device proof (plugins/devices/DeviceProof) against the reference: its captured test
// vector (reference/nodes-and-devices.md §1.1, a node host's connect) with the clock set to its signing time,
// then each refusal of §1.3 in the reference's order, on keys made here.
#include "DeviceProof.hpp"
#include "DeviceKey.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

using namespace openclaw::devices;

namespace {

const std::string kPublicKey = "oBN4inLS4cNy3iqQuWhqa7aWThlE5xpBUVD3Uv3WK6Y";
const std::string kDeviceId = "31ae18bc8e6cda23d1c112b4fd48d7c4214ad11dd94b4ae9ff362f1b4bc327a4";
const std::string kSignature =
    "kn8k3S0PJi-FwxYhiMlhcFHGYBwTWWlr3ZsCZVmv0pKTdjy6GEVo3LKPC2TaI_7VwV4QU_U76OPOEXqV2XCuDA";
const long long kSignedAt = 1796296938766;
const std::string kNonce = "222d7222-7f9b-43f6-8a42-c963ea1c0b7e";

DeviceClaim vectorClaim() {
    return {kDeviceId, kPublicKey, kSignature, kSignedAt, kNonce};
}

SignedContext vectorContext() {
    SignedContext c;
    c.challengeNonce = kNonce;
    c.clientId = "node-host";
    c.clientMode = "node";
    c.role = "node";
    c.token = "GwT0ken-nodes-test-0001";
    c.platform = "linux";
    c.deviceFamily = "Linux";
    return c;
}

/// A claim by `key`, signed over the v3 (or v2) payload of `ctx` at `signedAt`.
DeviceClaim signedClaim(const openclaw::test::DeviceKey& key, const SignedContext& ctx, long long signedAt,
                        bool v2 = false) {
    DeviceClaim c{sha256Hex(key.raw()), base64Url(key.raw()), "", signedAt, ctx.challengeNonce};
    c.signature = key.sign(v2 ? payloadV2(c, ctx) : payloadV3(c, ctx));
    return c;
}

} // namespace

TEST(DeviceProof, TheReferencesCapturedNodeConnectVerifies) {
    EXPECT_EQ(sha256Hex(*rawPublicKey(kPublicKey)), kDeviceId);
    EXPECT_EQ(payloadV3(vectorClaim(), vectorContext()),
              "v3|31ae18bc8e6cda23d1c112b4fd48d7c4214ad11dd94b4ae9ff362f1b4bc327a4|node-host|node|node||"
              "1796296938766|"
              "GwT0ken-nodes-test-0001|222d7222-7f9b-43f6-8a42-c963ea1c0b7e|linux|linux");
    EXPECT_FALSE(verifyDeviceProof(vectorClaim(), vectorContext(), kSignedAt));
    // The same claim 121 s later is stale; one changed byte of the token breaks the signature.
    EXPECT_EQ(verifyDeviceProof(vectorClaim(), vectorContext(), kSignedAt + 120001)->code,
              "DEVICE_AUTH_SIGNATURE_EXPIRED");
    SignedContext otherToken = vectorContext();
    otherToken.token = "GwT0ken-nodes-test-0002";
    EXPECT_EQ(verifyDeviceProof(vectorClaim(), otherToken, kSignedAt)->code, "DEVICE_AUTH_SIGNATURE_INVALID");
}

TEST(DeviceProof, PublicKeysAreReadInEveryEncodingTheReferenceAccepts) {
    const std::string raw = *rawPublicKey(kPublicKey);
    ASSERT_EQ(raw.size(), 32u);
    // Standard, padded base64 of the same bytes.
    std::string standard = kPublicKey + "=";
    std::replace(standard.begin(), standard.end(), '-', '+');
    std::replace(standard.begin(), standard.end(), '_', '/');
    EXPECT_EQ(rawPublicKey(standard), raw);
    // SPKI PEM: the DER prefix of an Ed25519 key, then the 32 bytes.
    const std::string der = std::string("\x30\x2a\x30\x05\x06\x03\x2b\x65\x70\x03\x21\x00", 12) + raw;
    std::string b64 = base64Url(der);
    std::replace(b64.begin(), b64.end(), '-', '+');
    std::replace(b64.begin(), b64.end(), '_', '/');
    while (b64.size() % 4)
        b64 += '=';
    EXPECT_EQ(rawPublicKey("-----BEGIN PUBLIC KEY-----\n" + b64 + "\n-----END PUBLIC KEY-----\n"), raw);
    EXPECT_FALSE(rawPublicKey("not a key"));
    EXPECT_FALSE(rawPublicKey(base64Url("too short")));
}

TEST(DeviceProof, EachRefusalInTheReferencesOrder) {
    const openclaw::test::DeviceKey key;
    SignedContext ctx;
    ctx.challengeNonce = "nonce-1";
    ctx.clientId = "cli";
    ctx.clientMode = "cli";
    ctx.role = "operator";
    ctx.scopes = {"operator.write", "operator.read"}; // signed in this order, as sent
    ctx.token = "T";
    const long long now = 1800000000000;
    EXPECT_FALSE(verifyDeviceProof(signedClaim(key, ctx, now), ctx, now));
    EXPECT_FALSE(verifyDeviceProof(signedClaim(key, ctx, now - 60000, true), ctx, now))
        << "v2, signed 60 s ago";

    DeviceClaim wrongId = signedClaim(key, ctx, now);
    wrongId.id[0] = wrongId.id[0] == 'a' ? 'b' : 'a';
    auto f = verifyDeviceProof(wrongId, ctx, now);
    ASSERT_TRUE(f);
    EXPECT_EQ(f->message, "device identity mismatch");
    EXPECT_EQ(f->code, "DEVICE_AUTH_DEVICE_ID_MISMATCH");
    EXPECT_EQ(f->reason, "device-id-mismatch");
    DeviceClaim badKey = signedClaim(key, ctx, now);
    badKey.publicKey = "%%%";
    EXPECT_EQ(verifyDeviceProof(badKey, ctx, now)->code, "DEVICE_AUTH_DEVICE_ID_MISMATCH");

    f = verifyDeviceProof(signedClaim(key, ctx, now + 130000), ctx, now);
    ASSERT_TRUE(f);
    EXPECT_EQ(f->message, "device signature expired");
    EXPECT_EQ(f->reason, "device-signature-stale");

    DeviceClaim blank = signedClaim(key, ctx, now);
    blank.nonce = "  ";
    f = verifyDeviceProof(blank, ctx, now);
    ASSERT_TRUE(f);
    EXPECT_EQ(f->message, "device nonce required");
    EXPECT_EQ(f->code, "DEVICE_AUTH_NONCE_REQUIRED");
    EXPECT_EQ(f->reason, "device-nonce-missing");

    SignedContext otherSocket = ctx;
    otherSocket.challengeNonce = "nonce-2";
    f = verifyDeviceProof(signedClaim(key, ctx, now), otherSocket, now);
    ASSERT_TRUE(f);
    EXPECT_EQ(f->message, "device nonce mismatch");
    EXPECT_EQ(f->code, "DEVICE_AUTH_NONCE_MISMATCH");
    EXPECT_EQ(f->reason, "device-nonce-mismatch");

    SignedContext reordered = ctx;
    reordered.scopes = {"operator.read", "operator.write"}; // the scopes as sent are signed: order matters
    f = verifyDeviceProof(signedClaim(key, ctx, now), reordered, now);
    ASSERT_TRUE(f);
    EXPECT_EQ(f->message, "device signature invalid");
    EXPECT_EQ(f->code, "DEVICE_AUTH_SIGNATURE_INVALID");
    EXPECT_EQ(f->reason, "device-signature");
}
