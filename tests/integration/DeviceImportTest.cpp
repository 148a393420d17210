// `openclaw devices import` (device.pair.import): a database shaped as the reference gateway writes it
// (reference/nodes-and-devices.md §2.6, the observed DDL) is read; its paired node keeps its approval and its
// token (kept as a hash) until the next rotation; a device already paired here is kept; a missing file or one
// that is not the reference's is refused, naming it, and changes nothing.
#include "DeviceConnect.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>

#include <gtest/gtest.h>

using namespace openclaw;
using namespace openclaw::test;
using namespace Poco::Data::Keywords;

namespace {

const char* kConfig = "{ gateway: { mode: 'local', auth: { token: 'T0k3n' } } }";
const std::string kReferenceToken = "ref-token-5oZ0cKq2vYw1u9rT3mN8bL6xH4jG7fD2sA1pE0iU9yW";

/// The reference's device_pairing_paired table (its observed DDL) with one silently paired node.
void writeReferenceDatabase(const std::string& path, const DeviceKey& key) {
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::Session s("SQLite", path);
    s << "CREATE TABLE device_pairing_paired (device_id TEXT NOT NULL PRIMARY KEY, public_key TEXT NOT NULL, "
         "display_name TEXT, operator_label TEXT, platform TEXT, device_family TEXT, client_id TEXT, "
         "client_mode TEXT, browser_origin TEXT, role TEXT, roles_json TEXT, scopes_json TEXT, "
         "approved_scopes_json TEXT, remote_ip TEXT, tokens_json TEXT, approved_via TEXT, node_surface_json "
         "TEXT, pending_node_surface_json TEXT, created_at_ms INTEGER NOT NULL, approved_at_ms INTEGER NOT "
         "NULL, last_seen_at_ms INTEGER, last_seen_reason TEXT) STRICT",
        now;
    s << "CREATE TABLE device_pairing_pending (request_id TEXT NOT NULL PRIMARY KEY, device_id TEXT NOT "
         "NULL, "
         "public_key TEXT NOT NULL, ts INTEGER NOT NULL) STRICT",
        now;
    s << "INSERT INTO device_pairing_pending VALUES ('r-1', 'x', 'y', 1)", now;
    std::string id = key.deviceId(), pk = key.publicKey();
    std::string tokens = R"({"node":{"token":")" + kReferenceToken +
                         R"(","role":"node","scopes":[],"createdAtMs":1796297266661}})";
    std::string surface =
        R"({"requestId":"7924bb20-b365-4e5b-9aff-c645f3972e5c","displayName":"Old Node","platform":"linux",)"
        R"("version":"2026.9.6","deviceFamily":"Linux","caps":["system"],"commands":["system.which"],)"
        R"("silent":true,"ts":1796297314596,"createdAtMs":1796297314596,"approvedAtMs":1796297314600})";
    s << "INSERT INTO device_pairing_paired VALUES (?, ?, 'Old Node', NULL, 'linux', 'Linux', 'node-host', "
         "'node', NULL, 'node', '[\"node\"]', '[]', '[]', NULL, ?, 'silent', ?, NULL, 1796297266661, "
         "1796297266661, 1796297266651, 'connect')",
        use(id), use(pk), use(tokens), use(surface), now;
    std::string other = std::string(64, 'b');
    s << "INSERT INTO device_pairing_paired (device_id, public_key, created_at_ms, approved_at_ms) VALUES "
         "(?, "
         "'bm90LWEta2V5', 1, 1)",
        use(other), now;
}

RunResult devicesCli(const GatewayUnderTest& gw, std::vector<std::string> args) {
    args.insert(args.begin(), {openclawBin(), "devices"});
    args.insert(args.end(), {"--url", gw.url(), "--token", "T0k3n"});
    return run(args, gw.env());
}

DeviceShape byDeviceToken(const std::string& token) {
    DeviceShape s = DeviceShape::node();
    s.token.clear();
    s.deviceToken = token;
    s.extra = R"(,"caps":["system"],"commands":["system.which"])";
    return s;
}

} // namespace

TEST(DeviceImport, TheReferencesPairedNodeConnectsWithItsOldTokenUntilRotated) {
    GatewayUnderTest gw(kConfig, {});
    TempDir refState;
    DeviceKey key;
    writeReferenceDatabase(refState.path() + "/openclaw.sqlite", key);

    RunResult r = devicesCli(gw, {"import", "--from", refState.path() + "/openclaw.sqlite", "--json"});
    ASSERT_EQ(r.code, 0) << r.out << r.err;
    json::ObjectPtr result = json::asObject(json::parse(r.out));
    ASSERT_TRUE(result) << r.out;
    const json::ArrayPtr imported = json::getArray(result, "imported");
    ASSERT_TRUE(imported && imported->size() == 1U) << r.out;
    EXPECT_EQ(json::getString(json::asObject(imported->get(0)), "deviceId"), key.deviceId());
    const json::ArrayPtr skipped = json::getArray(result, "skipped");
    ASSERT_TRUE(skipped && skipped->size() == 1U) << r.out;
    EXPECT_EQ(json::getString(json::asObject(skipped->get(0)), "reason"),
              "its public key does not give its device id");
    EXPECT_EQ(json::getInt(result, "pendingNotImported"), 1);

    // The node's old token alone: no pairing, its approved surface, and a token of ours handed.
    Answer node = connectWithDevice(gw, key, byDeviceToken(kReferenceToken));
    ASSERT_TRUE(node.ok()) << json::stringify(node.frame);
    const std::string ours = json::getString(node.auth(), "deviceToken").value_or("");
    EXPECT_EQ(ours.size(), 43U);
    EXPECT_NE(ours, kReferenceToken);
    r = run({openclawBin(), "nodes", "list", "--json", "--url", gw.url(), "--token", "T0k3n"}, gw.env());
    EXPECT_NE(r.out.find("\"approvalState\": \"approved\""), std::string::npos) << r.out;
    node.ws->close();
    // Ours works too, and the old one still does until a rotation.
    EXPECT_TRUE(connectWithDevice(gw, key, byDeviceToken(ours)).ok());
    EXPECT_TRUE(connectWithDevice(gw, key, byDeviceToken(kReferenceToken)).ok());

    // Imported twice: the device is kept as it is.
    r = devicesCli(gw, {"import", "--from", refState.path() + "/openclaw.sqlite"});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("Imported 0 paired device(s)"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Skipped " + key.deviceId() + ": already paired on this gateway"), std::string::npos)
        << r.out;

    r = devicesCli(gw, {"rotate", "--device", key.deviceId(), "--role", "node"});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(json::getString(connectWithDevice(gw, key, byDeviceToken(kReferenceToken)).details(), "code"),
              "AUTH_DEVICE_TOKEN_MISMATCH")
        << "a rotation ends the imported token";
}

TEST(DeviceImport, AMissingOrForeignDatabaseIsRefusedNamingItAndChangesNothing) {
    GatewayUnderTest gw(kConfig, {});
    TempDir dir;
    RunResult r = devicesCli(gw, {"import", "--from", dir.path() + "/nope.sqlite"});
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find(dir.path() + "/nope.sqlite: No such file or directory"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("--from"), std::string::npos) << r.err;

    // The default place: <state dir>/state/openclaw.sqlite, named when it is not there.
    r = devicesCli(gw, {"import"});
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("/state/openclaw.sqlite: No such file or directory"), std::string::npos) << r.err;

    dir.write("foreign.sqlite", "");
    {
        Poco::Data::SQLite::Connector::registerConnector();
        Poco::Data::Session s("SQLite", dir.path() + "/foreign.sqlite");
        s << "CREATE TABLE t (x INTEGER)", now;
    }
    r = devicesCli(gw, {"import", "--from", dir.path() + "/foreign.sqlite"});
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("no device_pairing_paired table"), std::string::npos) << r.err;
    dir.write("garbage.sqlite", "this is not a database at all, not even close................");
    r = devicesCli(gw, {"import", "--from", dir.path() + "/garbage.sqlite"});
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("garbage.sqlite"), std::string::npos) << r.err;
    EXPECT_EQ(readFile(dir.path() + "/garbage.sqlite"),
              "this is not a database at all, not even close................");

    r = devicesCli(gw, {"list", "--json"});
    EXPECT_EQ(r.out, "{\n  \"paired\": [],\n  \"pending\": []\n}\n") << "nothing was imported";
}
