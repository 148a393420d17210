// The pairing policy (reference/nodes-and-devices.md §2.1, §2.3): why a connect needs pairing, and when a
// pairing is approved without an operator.
#include "PairingPolicy.hpp"

#include <gtest/gtest.h>

using namespace openclaw::devices;

namespace {

DeviceFacts facts(const std::string& role, std::vector<std::string> scopes) {
    DeviceFacts f;
    f.deviceId = "d1";
    f.publicKey = "key";
    f.platform = "linux";
    f.deviceFamily = "Linux";
    f.role = role;
    f.scopes = std::move(scopes);
    return f;
}

PairedDevice pairedAs(const std::string& role, std::vector<std::string> scopes) {
    PairedDevice d;
    d.facts = facts(role, scopes);
    d.roles = {role};
    d.approvedScopes = std::move(scopes);
    d.tokens[role].role = role;
    return d;
}

} // namespace

TEST(PairingPolicy, EachReasonInTheReferencesOrder) {
    EXPECT_EQ(pairingNeeded(std::nullopt, facts("operator", {})), PairingReason::NotPaired);
    PairedDevice other = pairedAs("operator", {"operator.read"});
    other.facts.publicKey = "another key";
    EXPECT_EQ(pairingNeeded(other, facts("operator", {})), PairingReason::NotPaired);
    const PairedDevice op = pairedAs("operator", {"operator.read"});
    EXPECT_EQ(pairingNeeded(op, facts("node", {})), PairingReason::RoleUpgrade);
    EXPECT_EQ(pairingNeeded(op, facts("operator", {"operator.write"})), PairingReason::ScopeUpgrade);
    DeviceFacts moved = facts("operator", {"operator.read"});
    moved.platform = "windows";
    EXPECT_EQ(pairingNeeded(op, moved), PairingReason::MetadataUpgrade);
    DeviceFacts shouting = facts("operator", {"operator.read"});
    shouting.platform = " LINUX ";
    EXPECT_EQ(pairingNeeded(op, shouting), std::nullopt) << "platforms compare trimmed, ASCII case folded";
    EXPECT_EQ(pairingNeeded(op, facts("operator", {"operator.read"})), std::nullopt);
}

TEST(PairingPolicy, ARevokedRoleIsNotApproved) {
    PairedDevice node = pairedAs("node", {});
    EXPECT_EQ(pairingNeeded(node, facts("node", {})), std::nullopt);
    node.tokens["node"].revokedAtMs = 1;
    EXPECT_EQ(pairingNeeded(node, facts("node", {})), PairingReason::RoleUpgrade);
}

TEST(PairingPolicy, AdminCoversEveryScopeAndWriteCoversRead) {
    EXPECT_TRUE(scopeCovered({"operator.admin"}, "operator.pairing"));
    EXPECT_TRUE(scopeCovered({"operator.write"}, "operator.read"));
    EXPECT_FALSE(scopeCovered({"operator.read"}, "operator.write"));
    const PairedDevice op = pairedAs("operator", {"operator.read"});
    EXPECT_EQ(grantedScopes(op, facts("operator", {"operator.read", "operator.write"})),
              std::vector<std::string>{"operator.read"});
    EXPECT_TRUE(grantedScopes(pairedAs("node", {}), facts("node", {"operator.read"})).empty());
}

TEST(PairingPolicy, SilentApprovalOnlyForLocalPeersWithItsExceptions) {
    const Locality local{true, false};
    const DeviceFacts node = facts("node", {});
    EXPECT_TRUE(silentApproval(PairingReason::NotPaired, node, local, true, "token"));
    EXPECT_FALSE(silentApproval(PairingReason::NotPaired, node, local, false, "token"))
        << "autoApproveLocal off";
    EXPECT_FALSE(silentApproval(PairingReason::NotPaired, node, {false, false}, true, "token")) << "remote";
    EXPECT_FALSE(silentApproval(PairingReason::NotPaired, node, {true, true}, true, "token")) << "browser";
    EXPECT_FALSE(silentApproval(PairingReason::RoleUpgrade, node, local, true, "token"))
        << "a paired device asking for a non-operator role";
    EXPECT_TRUE(silentApproval(PairingReason::RoleUpgrade, facts("operator", {}), local, true, "token"));
    const DeviceFacts op = facts("operator", {"operator.admin"});
    EXPECT_TRUE(silentApproval(PairingReason::ScopeUpgrade, op, local, true, "password"));
    EXPECT_FALSE(silentApproval(PairingReason::ScopeUpgrade, op, local, true, "device-token"));
}

TEST(PairingPolicy, ReasonsReadBackFromTheirText) {
    for (PairingReason r : {PairingReason::NotPaired, PairingReason::RoleUpgrade, PairingReason::ScopeUpgrade,
                            PairingReason::MetadataUpgrade})
        EXPECT_EQ(reasonFromText(wordsFor(r).reason), r);
    EXPECT_EQ(reasonFromText("bogus"), std::nullopt);
    EXPECT_STREQ(wordsFor(PairingReason::NotPaired).message, "device is not approved yet");
}
