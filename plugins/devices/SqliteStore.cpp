// The pairing store in SQLite through POCO Data's connector.
#include "PairingStore.hpp"

#include "TokenMint.hpp"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Exception.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>

namespace openclaw::devices {

namespace {

using namespace Poco::Data::Keywords;

/// What an operator does about a store that fails.
std::string advice(const std::string& path, const std::string& what) {
    return path + ": " + what +
           " — if another program holds it, stop that program; if the file is damaged, move it aside (the "
           "gateway then starts an empty one and devices pair again) or restore a copy";
}

/// Makes the folder (0700) and the file (0600) before SQLite opens it, so neither is ever wider.
std::string prepareFile(const std::string& path) {
    const std::string dir = path.substr(0, path.find_last_of('/'));
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return dir + ": " + std::strerror(errno);
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return path + ": " + std::strerror(errno);
    ::fchmod(fd, 0600);
    ::close(fd);
    return "";
}

class SqliteStore : public PairingStore {
  public:
    explicit SqliteStore(const std::string& path) : path_(path), session_("SQLite", path) {
        session_ << "PRAGMA busy_timeout = 2000", now;
        session_ << "CREATE TABLE IF NOT EXISTS paired (device_id TEXT PRIMARY KEY, record TEXT NOT NULL)",
            now;
        session_ << "CREATE TABLE IF NOT EXISTS pending (request_id TEXT PRIMARY KEY, record TEXT NOT NULL)",
            now;
        session_ << "PRAGMA user_version = 1", now;
    }

    std::string load(std::vector<StoredRow>& paired, std::vector<StoredRow>& pending) override {
        try {
            readTable("SELECT device_id, record FROM paired", paired);
            readTable("SELECT request_id, record FROM pending", pending);
            return "";
        } catch (const Poco::Exception& e) {
            return advice(path_, e.displayText());
        }
    }

    std::string apply(const StoreChanges& c) override {
        try {
            session_.begin();
            for (const StoredRow& r : c.putPaired)
                put("INSERT OR REPLACE INTO paired (device_id, record) VALUES (?, ?)", r);
            for (const StoredRow& r : c.putPending)
                put("INSERT OR REPLACE INTO pending (request_id, record) VALUES (?, ?)", r);
            for (const std::string& k : c.dropPaired)
                drop("DELETE FROM paired WHERE device_id = ?", k);
            for (const std::string& k : c.dropPending)
                drop("DELETE FROM pending WHERE request_id = ?", k);
            session_.commit();
            return "";
        } catch (const Poco::Exception& e) {
            if (session_.isTransaction()) session_.rollback();
            return advice(path_, e.displayText());
        }
    }

    const std::string& path() const override { return path_; }

  private:
    void readTable(const std::string& sql, std::vector<StoredRow>& out) {
        std::vector<std::string> keys, records;
        session_ << sql, into(keys), into(records), now;
        for (size_t i = 0; i < keys.size() && i < records.size(); ++i)
            out.push_back({keys[i], records[i]});
    }
    void put(const std::string& sql, const StoredRow& row) {
        std::string key = row.key, json = row.json;
        session_ << sql, use(key), use(json), now;
    }
    void drop(const std::string& sql, const std::string& k) {
        std::string key = k;
        session_ << sql, use(key), now;
    }

    std::string path_;
    Poco::Data::Session session_;
};

} // namespace

void registerSqliteConnector() {
    static std::once_flag registered;
    std::call_once(registered, [] { Poco::Data::SQLite::Connector::registerConnector(); });
}

std::unique_ptr<PairingStore> openSqliteStore(const std::string& path, std::string& error) {
    registerSqliteConnector();
    if (std::string why = prepareFile(path); !why.empty()) {
        error = advice(path, why);
        return nullptr;
    }
    try {
        return std::make_unique<SqliteStore>(path);
    } catch (const Poco::Exception& e) {
        error = advice(path, e.displayText());
    }
    return nullptr;
}

std::string loadOrCreateSecret(const std::string& path, std::string& error) {
    constexpr size_t kSize = 32;
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) {
        // O_EXCL: two gateways on one state folder agree on whichever secret was written first.
        fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0) {
            std::string secret = randomBytes(kSize);
            const bool written =
                ::write(fd, secret.data(), kSize) == static_cast<ssize_t>(kSize) && ::fsync(fd) == 0;
            ::close(fd);
            if (written) return secret;
            ::unlink(path.c_str());
            error = path + ": cannot write the device token secret: " + std::strerror(errno);
            return "";
        }
        fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    }
    if (fd < 0) {
        error = path + ": cannot read the device token secret: " + std::strerror(errno);
        return "";
    }
    std::string secret(kSize + 1, '\0');
    const ssize_t n = ::read(fd, secret.data(), secret.size());
    ::close(fd);
    if (n != static_cast<ssize_t>(kSize)) {
        error = path + ": the device token secret is not 32 bytes — remove the file (every device token then "
                       "changes: devices reconnect with the shared token once)";
        return "";
    }
    secret.resize(kSize);
    return secret;
}

} // namespace openclaw::devices
