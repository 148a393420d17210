// Reads the reference gateway's pairing table (reference/nodes-and-devices.md §2.6) for `devices import`:
// read-only, one query, each row handed back as JSON text built by SQLite itself, so the plugin side turns
// rows into records without SQLite.
#include "PairingStore.hpp"

#include <Poco/Data/Session.h>
#include <Poco/Exception.h>

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

namespace openclaw::devices {

namespace {

using namespace Poco::Data::Keywords;

/// A read-only SQLite URI for `path`: nothing the import does can change the reference's file.
std::string readOnlyUri(const std::string& path) {
    std::string out = "file:";
    for (const char c : path) {
        if (c == '%' || c == '?' || c == '#') {
            char hex[4];
            std::snprintf(hex, sizeof hex, "%%%02X", static_cast<unsigned char>(c));
            out += hex;
        } else {
            out += c;
        }
    }
    return out + "?mode=ro";
}

// The columns the reference's device_pairing_paired has had since its SQLite store (2026.9); the *_json
// columns are passed through as text, parsed (and checked) by the plugin.
constexpr const char* kPairedRows =
    "SELECT json_object('deviceId', device_id, 'publicKey', public_key, 'displayName', display_name, "
    "'operatorLabel', operator_label, 'platform', platform, 'deviceFamily', device_family, 'clientId', "
    "client_id, 'clientMode', client_mode, 'role', role, 'rolesJson', roles_json, 'scopesJson', scopes_json, "
    "'approvedScopesJson', approved_scopes_json, 'remoteIp', remote_ip, 'tokensJson', tokens_json, "
    "'approvedVia', approved_via, 'nodeSurfaceJson', node_surface_json, 'pendingNodeSurfaceJson', "
    "pending_node_surface_json, 'createdAtMs', created_at_ms, 'approvedAtMs', approved_at_ms, "
    "'lastSeenAtMs', last_seen_at_ms, 'lastSeenReason', last_seen_reason) FROM device_pairing_paired "
    "ORDER BY created_at_ms";

} // namespace

std::string readReferencePairing(const std::string& path, std::vector<std::string>& paired, size_t& pending) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return path + ": " + std::strerror(errno) +
               " — give the reference's database with --from (it is <state dir>/state/openclaw.sqlite)";
    registerSqliteConnector();
    try {
        Poco::Data::Session session("SQLite", readOnlyUri(path));
        session << "PRAGMA busy_timeout = 2000", now;
        int tables = 0;
        session
            << "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'device_pairing_paired'",
            into(tables), now;
        if (tables == 0)
            return path +
                   ": no device_pairing_paired table — this is not a reference gateway's state database "
                   "(openclaw 2026.9 or newer keeps it in <state dir>/state/openclaw.sqlite)";
        session << kPairedRows, into(paired), now;
        int waiting = 0;
        session
            << "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'device_pairing_pending'",
            into(tables), now;
        if (tables > 0) session << "SELECT count(*) FROM device_pairing_pending", into(waiting), now;
        pending = static_cast<size_t>(waiting);
        return "";
    } catch (const Poco::Exception& e) {
        return path + ": " + e.displayText() +
               " — if the reference gateway is writing it, stop it and try again; if the file is damaged, "
               "restore a copy";
    }
}

} // namespace openclaw::devices
