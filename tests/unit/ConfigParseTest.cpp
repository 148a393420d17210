// JSON5 and YAML parsing: every JSON5 feature, positions of values, and errors with line:column.
#include "config/ConfigLoader.h"
#include "config/Json5Parser.h"
#include "config/YamlParser.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace openclaw;
using namespace openclaw::config;

namespace {
json::ObjectPtr obj(const Document& d) {
    return json::asObject(d.root);
}
} // namespace

TEST(Json5, ParsesEveryJson5Feature) {
    const std::string text = R"(// a real OpenClaw file
{
  /* block comment */
  gateway: {
    mode: 'local',            // single quotes, unquoted key
    port: 0x4965,             // hex
    "bind": "loopback",
    ratio: .5, big: +1e3, neg: -2., inf: Infinity, nan: NaN,
    text: 'it\'s "quoted" \x41\u00e9 \
continued',
    list: [1, 2, 3,],         // trailing comma in array
  },                          // trailing comma in object
  $weird_key: null, ünï: true,
}
)";
    Document d = parseJson5(text, "/tmp/openclaw.json");
    json::ObjectPtr g = json::getObject(obj(d), "gateway");
    ASSERT_TRUE(g);
    EXPECT_EQ(json::getString(g, "mode"), "local");
    EXPECT_EQ(json::getInt(g, "port"), 0x4965);
    EXPECT_EQ(json::getString(g, "bind"), "loopback");
    EXPECT_DOUBLE_EQ(g->get("ratio").convert<double>(), 0.5);
    EXPECT_DOUBLE_EQ(g->get("big").convert<double>(), 1000.0);
    EXPECT_DOUBLE_EQ(g->get("neg").convert<double>(), -2.0);
    EXPECT_TRUE(std::isinf(g->get("inf").convert<double>()));
    EXPECT_TRUE(std::isnan(g->get("nan").convert<double>()));
    EXPECT_EQ(json::getString(g, "text"), "it's \"quoted\" A\xC3\xA9 continued");
    EXPECT_EQ(json::getArray(g, "list")->size(), 3u);
    EXPECT_TRUE(obj(d)->get("$weird_key").isEmpty());
    EXPECT_EQ(json::getBool(obj(d), "\xC3\xBCn\xC3\xAF"), true);
    // Key order is kept.
    EXPECT_EQ(g->getNames().front(), "mode");
}

TEST(Json5, RecordsPositionsOfValues) {
    Document d = parseJson5("{\n  gateway: {\n    port: 1234,\n  },\n}\n", "f.json");
    Position p = d.positionOf("gateway.port");
    EXPECT_EQ(p.line, 3);
    EXPECT_EQ(p.column, 11);
    // Unknown paths fall back to the nearest ancestor.
    EXPECT_EQ(d.positionOf("gateway.nothing.here").line, 2);
}

struct BadJson5 {
    const char* text;
    int line;
    int column;
    const char* needle;
};

void PrintTo(const BadJson5& c, std::ostream* os) {
    *os << c.needle;
}

class Json5Errors : public ::testing::TestWithParam<BadJson5> {};

TEST_P(Json5Errors, NameFileLineAndColumn) {
    const BadJson5& c = GetParam();
    try {
        parseJson5(c.text, "/etc/oc.json");
        FAIL() << "expected an error for: " << c.text;
    } catch (const ConfigError& e) {
        EXPECT_EQ(e.file(), "/etc/oc.json");
        EXPECT_EQ(e.position().line, c.line) << e.what();
        EXPECT_EQ(e.position().column, c.column) << e.what();
        EXPECT_NE(std::string(e.what()).find(c.needle), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("/etc/oc.json:" + std::to_string(c.line)), std::string::npos);
    }
}

INSTANTIATE_TEST_SUITE_P(Cases, Json5Errors,
                         ::testing::Values(BadJson5{"{ a: 1\n  b: 2 }", 2, 3, "expected ',' or '}'"},
                                           BadJson5{"{ a: 'open }", 1, 6, "unterminated string"},
                                           BadJson5{"{ a: tru }", 1, 6, "strings must be quoted"},
                                           BadJson5{"[1, 2", 1, 1, "unterminated array"},
                                           BadJson5{"{ a: 1, a: 2 }", 1, 9, "duplicate key"},
                                           BadJson5{"/* never closed", 1, 1, "unterminated /* comment"},
                                           BadJson5{"", 1, 1, "empty document"},
                                           BadJson5{"{} extra", 1, 4, "after the end"},
                                           BadJson5{"{ a: 01x }", 1, 6, "invalid character in number"}));

TEST(Json5, RefusesHostileNesting) {
    std::string deep(100000, '[');
    EXPECT_THROW(parseJson5(deep, "deep.json"), ConfigError);
}

TEST(Yaml, ParsesTypesAndPositions) {
    Document d =
        parseYaml("gateway:\n  mode: local\n  port: 19000\n  tls: {enabled: true}\n  token: \"123\"\n"
                  "plugins:\n  allow: [auth-token, bonjour]\n",
                  "/x/openclaw.yaml");
    json::ObjectPtr g = json::getObject(obj(d), "gateway");
    EXPECT_EQ(json::getString(g, "mode"), "local");
    EXPECT_EQ(json::getInt(g, "port"), 19000);
    EXPECT_EQ(json::getBool(json::getObject(g, "tls"), "enabled"), true);
    EXPECT_EQ(json::getString(g, "token"), "123"); // quoted stays a string
    EXPECT_EQ(json::getArray(json::getObject(obj(d), "plugins"), "allow")->size(), 2u);
    EXPECT_EQ(d.positionOf("gateway.port").line, 3);
}

TEST(Yaml, ErrorsNameLineAndColumn) {
    try {
        parseYaml("gateway:\n  list: [a, b\n  other: 1\n", "/x/openclaw.yaml");
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_EQ(e.file(), "/x/openclaw.yaml");
        EXPECT_GT(e.position().line, 1);
        EXPECT_NE(std::string(e.what()).find("/x/openclaw.yaml:"), std::string::npos);
    }
}

TEST(EnvSubstitution, ReplacesAndEscapes) {
    Document d = parseJson5(
        "{ gateway: { auth: { token: '${MY_TOKEN}' }, note: '$${NOT_A_VAR} ${MY_TOKEN}x' } }", "f");
    Environment env({{"MY_TOKEN", "s3cret"}});
    substituteEnv(d, env);
    json::ObjectPtr g = json::getObject(obj(d), "gateway");
    EXPECT_EQ(json::getString(json::getObject(g, "auth"), "token"), "s3cret");
    EXPECT_EQ(json::getString(g, "note"), "${NOT_A_VAR} s3cretx");
}

TEST(EnvSubstitution, MissingVariableIsAnErrorAtTheKey) {
    Document d = parseJson5("{\n gateway: {\n  auth: { token: '${NOPE_NOT_SET}' } } }", "f.json");
    try {
        substituteEnv(d, Environment());
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_EQ(e.keyPath(), "gateway.auth.token");
        EXPECT_EQ(e.position().line, 3);
        EXPECT_NE(std::string(e.what()).find("NOPE_NOT_SET"), std::string::npos);
    }
}
