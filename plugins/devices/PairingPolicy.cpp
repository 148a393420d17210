#include "PairingPolicy.hpp"

#include <algorithm>

namespace openclaw::devices {

namespace {

/// Trimmed, ASCII upper case lowered: how the reference compares platform and device family.
std::string normalised(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return "";
    std::string out = text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

const ReasonWords kWords[] = {
    {"not-paired", "device is not approved yet", "Approve this device from the pending pairing requests.",
     "new pairing"},
    {"role-upgrade", "device is asking for a higher role than currently approved",
     "Review the requested role upgrade, then approve the pending request.", "role upgrade"},
    {"scope-upgrade", "device is asking for more scopes than currently approved",
     "Review the requested scopes, then approve the pending upgrade.", "scope upgrade"},
    {"metadata-upgrade", "device identity changed and must be re-approved",
     "Review the refreshed device details, then approve the pending request.", "metadata upgrade"},
};

} // namespace

bool scopeCovered(const std::vector<std::string>& approved, const std::string& scope) {
    if (contains(approved, scope) || contains(approved, "operator.admin")) return true;
    return scope == "operator.read" && contains(approved, "operator.write");
}

bool roleApproved(const PairedDevice& device, const std::string& role) {
    if (!contains(device.roles, role)) return false;
    const auto token = device.tokens.find(role);
    return token == device.tokens.end() || !token->second.revokedAtMs;
}

std::optional<PairingReason> pairingNeeded(const std::optional<PairedDevice>& paired,
                                           const DeviceFacts& facts) {
    if (!paired || paired->facts.publicKey != facts.publicKey) return PairingReason::NotPaired;
    if (!roleApproved(*paired, facts.role)) return PairingReason::RoleUpgrade;
    if (facts.role == "operator")
        for (const std::string& s : facts.scopes)
            if (!scopeCovered(paired->approvedScopes, s)) return PairingReason::ScopeUpgrade;
    if (normalised(paired->facts.platform) != normalised(facts.platform) ||
        normalised(paired->facts.deviceFamily) != normalised(facts.deviceFamily))
        return PairingReason::MetadataUpgrade;
    return std::nullopt;
}

bool silentApproval(PairingReason reason, const DeviceFacts& facts, const Locality& where,
                    bool autoApproveLocal, const std::string& authMethod) {
    if (!where.loopback || where.browserOrigin || !autoApproveLocal) return false;
    if (reason == PairingReason::RoleUpgrade && facts.role != "operator") return false;
    if (reason == PairingReason::ScopeUpgrade)
        return authMethod == "token" || authMethod == "password" || authMethod == "none";
    return true;
}

const ReasonWords& wordsFor(PairingReason reason) {
    return kWords[static_cast<int>(reason)];
}

std::optional<PairingReason> reasonFromText(const std::string& reason) {
    for (int i = 0; i < 4; ++i)
        if (reason == kWords[i].reason) return static_cast<PairingReason>(i);
    return std::nullopt;
}

std::vector<std::string> grantedScopes(const PairedDevice& device, const DeviceFacts& facts) {
    std::vector<std::string> out;
    if (facts.role != "operator") return out;
    for (const std::string& s : facts.scopes)
        if (scopeCovered(device.approvedScopes, s)) out.push_back(s);
    return out;
}

} // namespace openclaw::devices
