// Where pairing survives a restart: <state dir>/native/devices.sqlite, one row per paired device and per
// pending request, each the record's JSON (DeviceJson). The interface lives here; the SQLite side
// (SqliteStore.cpp, POCO Data) is built into devices-core.so, which is loaded at the first device connect
// or pairing call, so a gateway nobody pairs with never maps SQLite.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace openclaw::devices {

/// One stored record: its key (device id or request id) and its JSON.
struct StoredRow {
    std::string key;
    std::string json;
};

/// Changes written together, in one transaction.
struct StoreChanges {
    std::vector<StoredRow> putPaired, putPending;
    std::vector<std::string> dropPaired, dropPending;
    bool empty() const {
        return putPaired.empty() && putPending.empty() && dropPaired.empty() && dropPending.empty();
    }
};

/// The store. Not thread-safe: its owner serialises calls.
class PairingStore {
  public:
    virtual ~PairingStore() = default;
    /// Reads every row; "" or what went wrong (naming the file and what to do).
    virtual std::string load(std::vector<StoredRow>& paired, std::vector<StoredRow>& pending) = 0;
    /// Writes the changes in one transaction (all or nothing); "" or what went wrong.
    virtual std::string apply(const StoreChanges& changes) = 0;
    /// The database file.
    virtual const std::string& path() const = 0;
};

/// Registers POCO Data's SQLite connector, once per process (devices-core.so's SQLite users call it first).
void registerSqliteConnector();

/// Opens (creating, 0600, in a 0700 folder) the SQLite store at `path`; null with `error` set when it cannot.
std::unique_ptr<PairingStore> openSqliteStore(const std::string& path, std::string& error);

/// The reference gateway's paired devices from its state database at `path` (read-only): each row as JSON
/// text (the columns of device_pairing_paired, camel-cased; *_json columns as text), and how many pending
/// requests it holds; "" or what went wrong (naming the file and what to do).
std::string readReferencePairing(const std::string& path, std::vector<std::string>& paired, size_t& pending);

/// The gateway's token secret at `path` (32 random bytes, created 0600 when absent); "" with `error` set when
/// it cannot be read or made.
std::string loadOrCreateSecret(const std::string& path, std::string& error);

} // namespace openclaw::devices
