// Edits in place: what an edit does not touch (comments, key order, formatting) stays as written.
#include "config/ConfigEditor.h"
#include "config/Document.h"

#include <gtest/gtest.h>

using namespace openclaw;
using namespace openclaw::config;

namespace {
const std::string kFile = "/h/.openclaw/openclaw.json";
const std::string kText = "{\n"
                          "  // the operator's note\n"
                          "  gateway: {\n"
                          "    mode: 'local', // why local\n"
                          "    port: 18800,\n"
                          "  },\n"
                          "  \"agents\": { defaults: {} },\n"
                          "}\n";
} // namespace

TEST(ConfigEditor, ReplacingAValueKeepsEverythingElse) {
    EXPECT_EQ(
        setConfigValue(kText, kFile, "gateway.port", json::Var(19001)),
        "{\n  // the operator's note\n  gateway: {\n    mode: 'local', // why local\n    port: 19001,\n  },\n"
        "  \"agents\": { defaults: {} },\n}\n");
    EXPECT_EQ(setConfigValue(kText, kFile, "gateway.mode", json::Var(std::string("remote"))),
              "{\n  // the operator's note\n  gateway: {\n    mode: \"remote\", // why local\n    port: "
              "18800,\n  },\n"
              "  \"agents\": { defaults: {} },\n}\n");
}

TEST(ConfigEditor, NewKeysGoLastInTheirObjectWithTheObjectsOnTheWay) {
    EXPECT_EQ(setConfigValue(kText, kFile, "gateway.auth.token", json::Var(std::string("T"))),
              "{\n  // the operator's note\n  gateway: {\n    mode: 'local', // why local\n    port: 18800,\n"
              "    auth: { token: \"T\" },\n  },\n  \"agents\": { defaults: {} },\n}\n");
    EXPECT_EQ(
        setConfigValue(kText, kFile, "plugins.entries.ssh-tunnel.enabled", json::Var(false)),
        "{\n  // the operator's note\n  gateway: {\n    mode: 'local', // why local\n    port: 18800,\n  },\n"
        "  \"agents\": { defaults: {} },\n  plugins: { entries: { \"ssh-tunnel\": { enabled: false } } "
        "},\n}\n");
    EXPECT_EQ(setConfigValue("{}", kFile, "gateway.mode", json::Var(std::string("local"))),
              "{ gateway: { mode: \"local\" } }");
    EXPECT_EQ(setConfigValue("{ a: 1 }", kFile, "b", json::Var(2)), "{ a: 1, b: 2 }");
}

TEST(ConfigEditor, RemovingAMemberTakesItsCommaAndItsLine) {
    EXPECT_EQ(unsetConfigValue(kText, kFile, "gateway.port"),
              "{\n  // the operator's note\n  gateway: {\n    mode: 'local', // why local\n  },\n"
              "  \"agents\": { defaults: {} },\n}\n");
    EXPECT_EQ(unsetConfigValue("{ a: 1, b: 2 }", kFile, "a"), "{ b: 2 }");
    EXPECT_EQ(unsetConfigValue("{ a: 1, \"b-c\": 2 }", kFile, "b-c"), "{ a: 1 }");
    EXPECT_EQ(unsetConfigValue("{ a: 1 }", kFile, "zzz"), "{ a: 1 }");
}

TEST(ConfigEditor, APathThroughAValueThatIsNotAnObjectIsRefused) {
    try {
        setConfigValue(kText, kFile, "gateway.port.value", json::Var(1));
        FAIL() << "set inside a number";
    } catch (const ConfigError& e) {
        EXPECT_EQ(std::string(e.what()), kFile +
                                             ":5:11: gateway.port: is not an object, so gateway.port.value "
                                             "cannot be set inside it");
    }
    EXPECT_THROW(setConfigValue("[1]", kFile, "a", json::Var(1)), ConfigError);
}
