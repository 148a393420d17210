// The connect params read without a tree (readPlainConnect) against the tree path (parseConnect), and the
// flags of a connect step's answer (readStepFlags) against json::getBool on a tree.
#include "protocol/Connect.h"
#include "server/StepVerdict.h"
#include "json/Json.h"

#include <gtest/gtest.h>

using namespace openclaw;
using namespace openclaw::protocol;

namespace {

const std::string kClient = R"("client":{"id":"cli","version":"1","platform":"linux","mode":"cli"})";

ConnectParams fromTree(const std::string& paramsJson) {
    auto r = parseConnect(json::parse(paramsJson));
    if (!std::holds_alternative<ConnectParams>(r))
        throw std::runtime_error("the tree refused: " + std::get<HandshakeError>(r).error.message);
    return std::get<ConnectParams>(r);
}

/// Every field the handshake reads, the auth text compared as JSON (whitespace and escapes may differ).
void expectSame(const ConnectParams& plain, const ConnectParams& tree, const std::string& paramsJson) {
    SCOPED_TRACE(paramsJson);
    EXPECT_EQ(plain.minProtocol, tree.minProtocol);
    EXPECT_EQ(plain.maxProtocol, tree.maxProtocol);
    EXPECT_EQ(plain.client.id, tree.client.id);
    EXPECT_EQ(plain.client.version, tree.client.version);
    EXPECT_EQ(plain.client.platform, tree.client.platform);
    EXPECT_EQ(plain.client.mode, tree.client.mode);
    EXPECT_EQ(plain.client.deviceFamily, tree.client.deviceFamily);
    EXPECT_EQ(plain.client.instanceId, tree.client.instanceId);
    EXPECT_EQ(plain.client.displayName, tree.client.displayName);
    EXPECT_EQ(plain.caps, tree.caps);
    EXPECT_EQ(plain.commands, tree.commands);
    EXPECT_EQ(plain.permissions, tree.permissions);
    EXPECT_EQ(plain.role, tree.role);
    EXPECT_EQ(plain.scopes, tree.scopes);
    EXPECT_STREQ(plain.providedAuth, tree.providedAuth);
    EXPECT_EQ(plain.hasDevice, tree.hasDevice);
    if (tree.authJson.empty())
        EXPECT_EQ(plain.authJson, "");
    else
        EXPECT_EQ(json::stringify(json::parse(plain.authJson)), tree.authJson);
}

} // namespace

TEST(ConnectReader, APlainConnectReadsAsTheTreeReadsIt) {
    const std::vector<std::string> plain = {
        // the reference CLI's connect, as it writes it
        R"({"minProtocol":3,"maxProtocol":4,"client":{"id":"cli","version":"dev","platform":"linux",
            "deviceFamily":"Linux","mode":"probe","instanceId":"i"},"caps":[],"auth":{"token":"T"},
            "role":"operator","scopes":["operator.read","operator.admin"]})",
        // a node: commands, permissions, whitespace and escapes, members the schema does not name
        R"( { "minProtocol" : 4 , "maxProtocol":4, "role":"node", "commands":["system.run","system.which"],
            "permissions":{"camera":true,"screen":false}, "locale":"fr", "userAgent":{"x":[1,{"y":null}]},
            "client":{"id":"node-host","version":"2026.9.6","platform":"l\u0069nux","mode":"node",
            "displayName":"caf\u00e9 \"A\"","extra":[true]}, "auth":{ "password" : "p\\w", "token":"t",
            "other":{"a":1} } } )",
        // no auth at all, role left out, protocol range around ours
        R"({"maxProtocol":9,"minProtocol":1,)" + kClient + "}",
        // secrets that are not the auth plugins' (a device token) still pass through as written
        R"({"minProtocol":4,"maxProtocol":4,)" + kClient + R"(,"auth":{"deviceToken":"d"}})",
    };
    for (const std::string& text : plain) {
        const std::optional<ConnectParams> read = readPlainConnect(text);
        ASSERT_TRUE(read.has_value()) << text;
        expectSame(*read, fromTree(text), text);
    }
    const auto node = readPlainConnect(plain[1]);
    EXPECT_EQ(node->client.displayName, "café \"A\"");
    EXPECT_STREQ(node->providedAuth, "password");
    EXPECT_EQ(node->authJson, R"({ "password" : "p\\w", "token":"t",
            "other":{"a":1} })")
        << "the auth object is handed on as the client wrote it";
}

TEST(ConnectReader, LeavesToTheTreeWhatIsNotPlainAndTheTreeDecidesAsBefore) {
    const std::string head = R"({"minProtocol":4,"maxProtocol":4,)";
    const std::vector<std::string> notPlain = {
        head + kClient + R"(,"device":{"id":"a","publicKey":"k","signature":"s","signedAt":1,"nonce":"n"}})",
        head + kClient + R"(,"role":"node","role":"operator"})",
        R"({"minProtocol":4,"maxProtocol":4,"client":{"id":"cli","id":"cli","version":"1","platform":"l","mode":"cli"}})",
        head + kClient + R"(,"auth":{"token":"a","token":"b"}})",
        head + kClient + R"(,"permissions":{"camera":true,"camera":false}})",
        R"({"minProtocol":4.0,"maxProtocol":4,)" + kClient + "}",
        R"({"minProtocol":4,"maxProtocol":1e3,)" + kClient + "}",
        R"({"minProtocol":4,"maxProtocol":12345678901,)" + kClient + "}",
        R"({"minProtocol":0,"maxProtocol":4,)" + kClient + "}",
        R"({"minProtocol":-4,"maxProtocol":4,)" + kClient + "}",
        R"({"minProtocol":99,"maxProtocol":99,)" + kClient + "}",
        R"({"minProtocol":4,"maxProtocol":4})",
        R"({"minProtocol":4,"maxProtocol":4,"client":{"id":"mine","version":"1","platform":"l","mode":"cli"}})",
        R"({"minProtocol":4,"maxProtocol":4,"client":{"id":"cli","version":1,"platform":"l","mode":"cli"}})",
        R"({"minProtocol":4,"maxProtocol":4,"client":{"id":"cli","platform":"l","mode":"cli"}})",
        head + kClient + R"(,"role":"admin"})",
        head + kClient + R"(,"scopes":["a",1]})",
        head + kClient + R"(,"caps":"x"})",
        head + kClient + R"(,"auth":{"password":7}})",
        head + kClient + R"(,"auth":"T"})",
        R"(["not an object"])",
        "null",
    };
    for (const std::string& text : notPlain) {
        SCOPED_TRACE(text);
        EXPECT_FALSE(readPlainConnect(text).has_value());
        // What the handshake calls gives what the tree path gives.
        const auto viaText = parseConnectText(text);
        const auto viaTree = parseConnect(json::parse(text));
        ASSERT_EQ(viaText.index(), viaTree.index());
        if (const auto* e = std::get_if<HandshakeError>(&viaTree)) {
            const auto& got = std::get<HandshakeError>(viaText);
            EXPECT_EQ(got.error.message, e->error.message);
            EXPECT_EQ(got.closeCode, e->closeCode);
        } else {
            expectSame(std::get<ConnectParams>(viaText), std::get<ConnectParams>(viaTree), text);
        }
    }
    const auto repeatedRole = parseConnectText(head + kClient + R"(,"role":"node","role":"operator"})");
    EXPECT_EQ(std::get<ConnectParams>(repeatedRole).role, "operator") << "the last one, as the tree reads it";
    EXPECT_EQ(std::get<HandshakeError>(parseConnectText("")).error.message,
              "invalid connect params: must be object")
        << "no params at all";
}

TEST(StepVerdict, FlagsAreTrueOnlyForTheBooleanTrueAndTheLastOneCounts) {
    using server::readStepFlags;
    EXPECT_TRUE(readStepFlags(R"({"ok":true})")->ok);
    EXPECT_FALSE(readStepFlags(R"({"ok":"true"})")->ok);
    EXPECT_FALSE(readStepFlags(R"({"ok":1})")->ok);
    EXPECT_FALSE(readStepFlags(R"({"ok":true,"ok":false})")->ok);
    EXPECT_TRUE(readStepFlags(R"({"ok":false,"ok":true})")->ok);
    const auto flags = readStepFlags(R"( {"pass":true, "defer":true, "details":{"ok":true}} )");
    ASSERT_TRUE(flags.has_value());
    EXPECT_TRUE(flags->pass);
    EXPECT_TRUE(flags->defer);
    EXPECT_FALSE(flags->ok) << "a nested member is not the answer's";
    EXPECT_FALSE(readStepFlags("[true]").has_value());
    EXPECT_FALSE(readStepFlags(R"({"ok":true)").has_value());
    EXPECT_FALSE(readStepFlags("").has_value());
    EXPECT_FALSE(readStepFlags(R"({"ok":true} x)").has_value());
}
