// A JSON Schema is compiled once into flat tables (json/Schema.h) and validated from them. The reference
// config schema is compiled at build time into constants (config/ReferenceSchema.h): these tests check that
// those constants are exactly what compiling the two source files gives now, and what the compiler and the
// validator do with schemas a plugin could ship.
#include "Process.h"

#include "config/ReferenceSchema.h"
#include "json/SchemaValidator.h"

#include <gtest/gtest.h>

using namespace openclaw;

namespace {

std::string source(const std::string& relative) {
    return test::readFile(std::string(OPENCLAW_SOURCE_DIR) + "/" + relative);
}

/// Walks two compiled schemas side by side from one node each and records every difference, with its place.
class SameSchema {
  public:
    SameSchema(const json::SchemaTables& a, const json::SchemaTables& b) : a_(a), b_(b) {}

    void node(std::uint32_t x, std::uint32_t y, const std::string& at) {
        if ((x == json::kNoSchemaNode) != (y == json::kNoSchemaNode)) {
            differences.push_back(at + ": a node on one side only");
            return;
        }
        if (x == json::kNoSchemaNode) return;
        ++visited;
        const json::SchemaNode& n = a_.nodes[x];
        const json::SchemaNode& m = b_.nodes[y];
        scalars(n, m, at);
        texts(n, m, at);
        typeNames(n, m, at);
        strings(n.required, m.required, at + ".required");
        strings(n.enumValues, m.enumValues, at + ".enum");
        properties(n, m, at);
        if (n.extra != m.extra) differences.push_back(at + ".additionalProperties");
        node(n.extraNode, m.extraNode, at + ".additionalProperties");
        node(n.items, m.items, at + ".items");
        refs(n.anyOf, m.anyOf, at + ".anyOf");
        refs(n.oneOf, m.oneOf, at + ".oneOf");
    }

    std::vector<std::string> differences;
    size_t visited = 0;

  private:
    void expect(bool same, const std::string& what) {
        if (!same) differences.push_back(what);
    }

    static bool sameCount(const json::SchemaCount& a, const json::SchemaCount& b) {
        return a.present == b.present && a.value == b.value;
    }

    void scalars(const json::SchemaNode& n, const json::SchemaNode& m, const std::string& at) {
        expect(n.hasType == m.hasType && n.hasAnyOf == m.hasAnyOf && n.hasOneOf == m.hasOneOf &&
                   n.hasEnum == m.hasEnum && n.hasConst == m.hasConst && n.hasPattern == m.hasPattern,
               at + ": which keywords it has");
        for (auto [p, q] : {std::pair{&n.minimum, &m.minimum}, std::pair{&n.maximum, &m.maximum},
                            std::pair{&n.exclusiveMinimum, &m.exclusiveMinimum}})
            expect(p->present == q->present && p->value == q->value && a_.view(p->text) == b_.view(q->text),
                   at + ": a numeric bound");
        expect(sameCount(n.minLength, m.minLength) && sameCount(n.maxLength, m.maxLength) &&
                   sameCount(n.minItems, m.minItems) && sameCount(n.maxItems, m.maxItems),
               at + ": a length or item count");
    }

    void texts(const json::SchemaNode& n, const json::SchemaNode& m, const std::string& at) {
        expect(a_.view(n.typeText) == b_.view(m.typeText), at + ".type");
        expect(a_.view(n.enumText) == b_.view(m.enumText), at + ".enum");
        expect(a_.view(n.constText) == b_.view(m.constText), at + ".const");
        expect(a_.view(n.pattern) == b_.view(m.pattern), at + ".pattern");
    }

    void typeNames(const json::SchemaNode& n, const json::SchemaNode& m, const std::string& at) {
        expect(n.types.count == m.types.count, at + ".type count");
        for (std::uint32_t i = 0; i < n.types.count && i < m.types.count; ++i) {
            const json::SchemaTypeName& p = a_.typeNames[n.types.begin + i];
            const json::SchemaTypeName& q = b_.typeNames[m.types.begin + i];
            expect(p.kind == q.kind && a_.view(p.name) == b_.view(q.name),
                   at + ".type[" + std::to_string(i) + "]");
        }
    }

    void strings(json::SchemaSpan x, json::SchemaSpan y, const std::string& at) {
        expect(x.count == y.count, at + " count");
        for (std::uint32_t i = 0; i < x.count && i < y.count; ++i)
            expect(a_.view(a_.strings[x.begin + i]) == b_.view(b_.strings[y.begin + i]),
                   at + "[" + std::to_string(i) + "]");
    }

    void properties(const json::SchemaNode& n, const json::SchemaNode& m, const std::string& at) {
        expect(n.properties.count == m.properties.count, at + ".properties count");
        for (std::uint32_t i = 0; i < n.properties.count && i < m.properties.count; ++i) {
            const json::SchemaProperty& p = a_.properties[n.properties.begin + i];
            const json::SchemaProperty& q = b_.properties[m.properties.begin + i];
            const std::string name(a_.view(p.name));
            expect(name == b_.view(q.name), at + ".properties[" + std::to_string(i) + "] name");
            node(p.node, q.node, at + "." + name);
        }
    }

    void refs(json::SchemaSpan x, json::SchemaSpan y, const std::string& at) {
        expect(x.count == y.count, at + " count");
        for (std::uint32_t i = 0; i < x.count && i < y.count; ++i)
            node(a_.nodeRefs[x.begin + i], b_.nodeRefs[y.begin + i], at + "[" + std::to_string(i) + "]");
    }

    const json::SchemaTables a_;
    const json::SchemaTables b_;
};

} // namespace

TEST(SchemaTables, TheBuiltInConfigSchemaIsTheTwoSourceFilesCompiledNow) {
    json::ObjectPtr root = json::asObject(json::parse(source("core/config/reference-config-schema.json")));
    json::ObjectPtr own = json::asObject(json::parse(source("core/config/own-config-schema.json")));
    ASSERT_TRUE(root && own);
    for (const auto& path : own->getNames())
        json::graftSchema(root, path, own->get(path));
    const json::CompiledSchema compiled = json::compileSchema(root);
    SameSchema same(compiled.tables(), config::kReferenceSchema);
    same.node(0, 0, "schema");
    EXPECT_EQ(same.differences, std::vector<std::string>{});
    EXPECT_EQ(same.visited, compiled.nodes.size()) << "every node is reachable from the root";
    EXPECT_GT(same.visited, 300u);

    json::ArrayPtr keys = json::getArray(root, "topLevelKeys");
    ASSERT_TRUE(keys);
    ASSERT_EQ(config::kTopLevelKeys.count, keys->size());
    for (std::uint32_t i = 0; i < config::kTopLevelKeys.count; ++i)
        EXPECT_EQ(
            config::kReferenceSchema.view(config::kReferenceSchema.strings[config::kTopLevelKeys.begin + i]),
            keys->get(i).convert<std::string>());
}

TEST(SchemaTables, OwnSettingsAreGraftedWhereTheirPathSaysAndAMissingStepIsRefused) {
    json::ObjectPtr root =
        json::asObject(json::parse(R"({"properties":{"gateway":{"properties":{"a":{}}}}})"));
    json::graftSchema(root, "gateway.limits", json::parse(R"({"type":"object"})"));
    EXPECT_EQ(json::stringify(root),
              R"({"properties":{"gateway":{"properties":{"a":{},"limits":{"type":"object"}}}}})");
    EXPECT_THROW(json::graftSchema(root, "nowhere.limits", json::parse("{}")), std::invalid_argument);
}

TEST(SchemaTables, TheValidatorReadsOnlyTheTablesAndSaysWhatTheSchemaWrote) {
    const json::CompiledSchema s = json::compileSchema(json::parse(
        R"({"type":"object","additionalProperties":false,"required":["port"],"properties":{
              "port":{"type":"integer","minimum":1,"maximum":65535},
              "mode":{"enum":["local","remote"]},
              "ratio":{"type":"number","exclusiveMinimum":0.5},
              "tags":{"type":"array","maxItems":1,"items":{"type":"string","pattern":"^[a-z]+$"}},
              "bind":{"anyOf":[{"const":"loopback"},{"const":"lan"}]}}})"));
    auto v = json::validateSchema(
        s.tables(), 0,
        json::parse(R"({"port":70000,"mode":"lokal","ratio":0.5,"tags":["A","b"],"bind":"x","prot":1})"));
    std::vector<std::string> seen;
    seen.reserve(v.size());
    for (const auto& one : v)
        seen.push_back(one.path + " " + one.message);
    EXPECT_EQ(seen, (std::vector<std::string>{"port must be <= 65535",
                                              "mode must be one of \"local\", \"remote\" (got \"lokal\")",
                                              "ratio must be > 0.5", "tags must have at most 1 items",
                                              "tags[0] must match pattern ^[a-z]+$",
                                              "bind must be \"loopback\" or \"lan\" (got \"x\")",
                                              "prot is not allowed (unknown property)"}));
    ASSERT_FALSE(v.empty());
    EXPECT_TRUE(v.back().unknownKey);
    EXPECT_EQ(v.back().known, (std::vector<std::string>{"port", "mode", "ratio", "tags", "bind"}));
    EXPECT_EQ(json::validateSchema(s.tables(), 0, json::parse("{}")).front().message, "is required");
}

TEST(SchemaTables, WhatIsNotASchemaChecksNothingAndDepthIsBounded) {
    EXPECT_TRUE(json::validateSchema(json::parse("[1,2]"), json::parse(R"({"any":"thing"})")).empty());
    EXPECT_TRUE(
        json::validateSchema(json::parse(R"({"properties":{"a":3}})"), json::parse(R"({"a":"x"})")).empty());
    // A schema nested deeper than validation goes (100 levels of "items") compiles to a bounded number of
    // nodes.
    std::string deep = R"({"type":"string"})";
    for (int i = 0; i < 100; ++i)
        deep = R"({"type":"array","items":)" + deep + "}";
    const json::CompiledSchema s = json::compileSchema(json::parse(deep));
    EXPECT_LE(s.nodes.size(), 66u);
    std::string value = "1";
    for (int i = 0; i < 70; ++i)
        value = "[" + value + "]";
    // Checked down to depth 64; the number 70 arrays deep is never looked at.
    EXPECT_TRUE(json::validateSchema(s.tables(), 0, json::parse(value)).empty());
    EXPECT_EQ(json::validateSchema(s.tables(), 0, json::parse("[2]")).front().message,
              "must be array (got number)");
}

TEST(SchemaTables, ABoundThatIsNotANumberIsRefusedWhenTheSchemaIsChecked) {
    const auto problems =
        json::checkSchema(json::parse(R"({"type":"object","properties":{"n":{"minimum":"5"}}})"));
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0], "properties.n.minimum: must be a number");
}
