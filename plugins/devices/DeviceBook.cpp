#include "DeviceBook.hpp"

#include "DeviceJson.hpp"

#include <cstdio>

namespace openclaw::devices {

DeviceBook::DeviceBook(const CoreTable& core, std::string nativeDir)
    : core_(core), dir_(std::move(nativeDir)) {}

std::string DeviceBook::ensureOpen() {
    if (opened_) return "";
    std::string error;
    auto store = core_.openStore(dir_ + "/devices.sqlite", error);
    if (!store) return error;
    std::string secret = core_.loadOrCreateSecret(dir_ + "/device-token.key", error);
    if (secret.empty()) return error;
    std::vector<StoredRow> paired, pending;
    if (std::string why = store->load(paired, pending); !why.empty()) return why;
    // A row that does not read back is left in the file (never deleted behind the operator's back) and
    // skipped.
    for (const StoredRow& row : paired)
        if (auto d = pairedFromStored(row.json)) paired_[d->facts.deviceId] = std::move(*d);
    for (const StoredRow& row : pending)
        if (auto r = pendingFromStored(row.json)) pending_[r->requestId] = std::move(*r);
    store_ = std::move(store);
    secret_ = std::move(secret);
    opened_ = true;
    return "";
}

const PairedDevice* DeviceBook::paired(const std::string& deviceId) const {
    const auto it = paired_.find(deviceId);
    return it == paired_.end() ? nullptr : &it->second;
}

const PendingRequest* DeviceBook::pending(const std::string& requestId) const {
    const auto it = pending_.find(requestId);
    return it == pending_.end() ? nullptr : &it->second;
}

std::string DeviceBook::commit(const Edit& edit) {
    StoreChanges changes;
    for (const PairedDevice& d : edit.putPaired)
        changes.putPaired.push_back({d.facts.deviceId, storedJson(d)});
    for (const PendingRequest& r : edit.putPending)
        changes.putPending.push_back({r.requestId, storedJson(r)});
    changes.dropPaired = edit.dropPaired;
    changes.dropPending = edit.dropPending;
    if (changes.empty()) return "";
    if (std::string why = store_->apply(changes); !why.empty()) return why;
    for (const std::string& id : edit.dropPaired)
        paired_.erase(id);
    for (const std::string& id : edit.dropPending)
        pending_.erase(id);
    for (const PairedDevice& d : edit.putPaired)
        paired_[d.facts.deviceId] = d;
    for (const PendingRequest& r : edit.putPending)
        pending_[r.requestId] = r;
    return "";
}

void DeviceBook::expire(long long nowMs, Edit& edit) const {
    for (const auto& [id, r] : pending_)
        if (nowMs - r.refreshedAtMs > kPendingTtlMs) edit.dropPending.push_back(id);
}

std::string DeviceBook::tokenFor(const std::string& deviceId, const TokenState& token) const {
    return core_.mintToken(secret_, deviceId, token.role, token.generation);
}

bool DeviceBook::tokenMatches(const std::string& deviceId, const TokenState& token,
                              const std::string& presented) const {
    if (presented.empty() || token.revokedAtMs) return false;
    // An imported token stays good until the next rotation, beside ours (handed at every connect since).
    if (!token.importedHash.empty() && core_.sameSecret(core_.sha256Hex(presented), token.importedHash))
        return true;
    return core_.sameSecret(tokenFor(deviceId, token), presented);
}

std::string DeviceBook::newRequestId() const {
    std::string b = core_.randomBytes(16);
    b[6] = static_cast<char>((b[6] & 0x0f) | 0x40);
    b[8] = static_cast<char>((b[8] & 0x3f) | 0x80);
    char out[37];
    const auto* u = reinterpret_cast<const unsigned char*>(b.data());
    std::snprintf(out, sizeof out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                  u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13],
                  u[14], u[15]);
    return out;
}

} // namespace openclaw::devices
