// The paired devices and pending requests: in memory, backed by the store (devices-core.so), opened at the
// first call that needs them. Every change is written to the store first, in one transaction, and reaches
// memory only once it is there, so memory and disk never disagree. One lock: pairing is not a hot path.
#pragma once

#include "CoreLibrary.hpp"
#include "DeviceRecord.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace openclaw::devices {

/// Changes to commit together.
struct Edit {
    std::vector<PairedDevice> putPaired;
    std::vector<PendingRequest> putPending;
    std::vector<std::string> dropPaired, dropPending;
};

class DeviceBook {
  public:
    /// `nativeDir`: <state dir>/native (the store and the token secret live there).
    DeviceBook(const CoreTable& core, std::string nativeDir);

    /// Opens the store and reads it, once; "" or why it cannot be used (naming the file and what to do).
    /// Call it with the lock held.
    std::string ensureOpen();
    /// The lock every call below needs.
    std::unique_lock<std::mutex> lock() { return std::unique_lock<std::mutex>(mutex_); }

    const PairedDevice* paired(const std::string& deviceId) const;
    const PendingRequest* pending(const std::string& requestId) const;
    const std::map<std::string, PairedDevice>& allPaired() const { return paired_; }
    const std::map<std::string, PendingRequest>& allPending() const { return pending_; }
    /// Writes `edit` to the store, then to memory; "" or why the store refused it (memory unchanged).
    std::string commit(const Edit& edit);
    /// Adds to `edit` the pending requests past their lifetime at `nowMs`.
    void expire(long long nowMs, Edit& edit) const;

    /// The current token of a device's role.
    std::string tokenFor(const std::string& deviceId, const TokenState& token) const;
    /// Whether `presented` is that role's token (derived, or the imported one's hash), in constant time.
    bool tokenMatches(const std::string& deviceId, const TokenState& token,
                      const std::string& presented) const;
    /// A fresh UUID (v4) for a request id.
    std::string newRequestId() const;

  private:
    const CoreTable& core_;
    std::string dir_;
    std::mutex mutex_;
    bool opened_ = false;
    std::unique_ptr<PairingStore> store_;
    std::string secret_;
    std::map<std::string, PairedDevice> paired_;
    std::map<std::string, PendingRequest> pending_;
};

} // namespace openclaw::devices
