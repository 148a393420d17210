// openclaw.json holds exactly what the reference OpenClaw's schema allows
// (shared/reference/config-schema.json, compiled in): every key it defines in the sections the gateway owns
// is accepted and typed as it says, anything else is refused at its place with the nearest known key. The
// native settings file merges over it.
#include "Process.h"

#include "config/ConfigLoader.h"
#include "config/ConfigSchema.h"
#include "config/Json5Parser.h"

#include <gtest/gtest.h>

#include <iostream>
#include <optional>
#include <set>

using namespace openclaw;
using namespace openclaw::config;

namespace {

const std::string kSchemaFile = std::string(OPENCLAW_SHARED_DIR) + "/reference/config-schema.json";

Document doc(const std::string& text, const std::string& file = "/h/.openclaw/openclaw.json") {
    return parseJson5(text, file);
}

/// The ConfigError checkConfigDocument throws for `text` ("" when it accepts it).
std::string refusal(const std::string& text, ConfigRole role = ConfigRole::Shared) {
    try {
        checkConfigDocument(doc(text), role, "/h/.openclaw/native.json5");
        return "";
    } catch (const ConfigError& e) {
        return e.what();
    }
}

std::optional<json::Var> sampleFor(const json::ObjectPtr& s);

/// An object with each property its schema requires (nothing when one of them has no sample).
json::ObjectPtr sampleObject(const json::ObjectPtr& s) {
    json::ObjectPtr o = json::makeObject();
    json::ObjectPtr props = json::getObject(s, "properties");
    if (json::ArrayPtr required = json::getArray(s, "required"))
        for (size_t i = 0; props && i < required->size(); ++i) {
            const std::string key = required->get(static_cast<unsigned>(i)).convert<std::string>();
            auto v = sampleFor(json::getObject(props, key));
            if (!v) return nullptr;
            o->set(key, *v);
        }
    return o;
}

/// A value the schema accepts; nothing when the test cannot make one (a pattern, a format).
std::optional<json::Var> sampleFor(const json::ObjectPtr& s) {
    if (!s) return std::nullopt;
    if (s->has("const")) return s->get("const");
    if (json::ArrayPtr e = json::getArray(s, "enum")) return e->get(0);
    for (const char* k : {"anyOf", "oneOf"})
        if (json::ArrayPtr any = json::getArray(s, k))
            for (size_t i = 0; i < any->size(); ++i)
                if (auto v = sampleFor(json::asObject(any->get(static_cast<unsigned>(i))))) return v;
    std::string type = json::getString(s, "type").value_or("");
    if (type.empty())
        if (json::ArrayPtr types = json::getArray(s, "type")) type = types->get(0).convert<std::string>();
    if (type == "boolean") return json::Var(true);
    if (type == "integer" || type == "number") {
        long long n =
            json::getInt(s, "minimum").value_or(json::getInt(s, "exclusiveMinimum").value_or(0) + 1);
        return json::Var(static_cast<Poco::Int64>(n));
    }
    if (type == "string" && !s->has("pattern") && !s->has("format"))
        return json::Var(std::string(static_cast<size_t>(json::getInt(s, "minLength").value_or(1)), 'x'));
    if (type == "array") return json::Var(json::makeArray());
    if (type == "object")
        if (json::ObjectPtr o = sampleObject(s)) return json::Var(o);
    return std::nullopt;
}

/// A config holding `value` at `path`, and on the way each property an object there requires (nothing
/// when one of those has no sample).
std::optional<json::Var> configWith(const json::ObjectPtr& sections, const std::string& path,
                                    const json::Var& value) {
    json::ObjectPtr root = json::makeObject();
    json::ObjectPtr node = root;
    json::ObjectPtr props = sections;
    std::string rest = path;
    for (size_t dot = rest.find('.'); dot != std::string::npos; dot = rest.find('.')) {
        const std::string key = rest.substr(0, dot);
        json::ObjectPtr schema = json::getObject(props, key);
        json::ObjectPtr next = sampleObject(schema);
        if (!next) return std::nullopt;
        node->set(key, next);
        node = next;
        props = json::getObject(schema, "properties");
        rest = rest.substr(dot + 1);
    }
    node->set(rest, value);
    return json::Var(root);
}

/// The JSON types a schema allows by itself (its type, or its branches' types and consts).
std::set<std::string> ownTypes(const json::ObjectPtr& s) {
    std::set<std::string> out;
    if (!s) return out;
    if (auto t = json::getString(s, "type")) out.insert(*t);
    if (json::ArrayPtr types = json::getArray(s, "type"))
        for (size_t i = 0; i < types->size(); ++i)
            out.insert(types->get(static_cast<unsigned>(i)).convert<std::string>());
    if (s->has("const")) out.insert(json::typeName(s->get("const")));
    for (const char* k : {"anyOf", "oneOf"})
        if (json::ArrayPtr any = json::getArray(s, k))
            for (size_t i = 0; i < any->size(); ++i)
                for (const auto& t : ownTypes(json::asObject(any->get(static_cast<unsigned>(i)))))
                    out.insert(t);
    return out;
}

/// A value of a JSON type the schema does not allow (nothing when it allows them all).
std::optional<json::Var> wrongTypeFor(const json::ObjectPtr& s) {
    const std::set<std::string> allowed = ownTypes(s);
    if (allowed.empty()) return std::nullopt;
    if (!allowed.count("string")) return json::Var(std::string("not-this-type"));
    if (!allowed.count("array")) return json::Var(json::makeArray());
    if (!allowed.count("object")) return json::Var(json::makeObject());
    if (!allowed.count("boolean")) return json::Var(true);
    return std::nullopt;
}

struct Leaf {
    std::string path;
    json::ObjectPtr schema;
};

/// Every property path the schema defines, depth first (properties of objects, not free-form maps).
void collect(const json::ObjectPtr& s, const std::string& path, std::vector<Leaf>& out) {
    out.push_back({path, s});
    if (json::ObjectPtr props = json::getObject(s, "properties"))
        for (const auto& k : props->getNames())
            collect(json::asObject(props->get(k)), path + "." + k, out);
}

} // namespace

/// A schema without its annotations (title, description, examples, $comment): what is checked.
json::Var withoutAnnotations(const json::Var& v, bool propertyMap = false) {
    if (json::ObjectPtr o = json::asObject(v)) {
        json::ObjectPtr out = json::makeObject();
        for (const auto& k : o->getNames()) {
            if (!propertyMap && (k == "title" || k == "description" || k == "examples" || k == "$comment"))
                continue;
            out->set(k, withoutAnnotations(o->get(k), !propertyMap && k == "properties"));
        }
        return out;
    }
    if (json::ArrayPtr a = json::asArray(v)) {
        json::ArrayPtr out = json::makeArray();
        for (size_t i = 0; i < a->size(); ++i)
            out->add(withoutAnnotations(a->get(static_cast<unsigned>(i))));
        return out;
    }
    return v;
}

// The compiled-in copy keeps only what the check uses (compiled into tables at build time: SchemaTablesTest).
TEST(ConfigSchema, TheCompiledInCopyIsTheReferencesSchemaLessItsAnnotations) {
    const std::string shared = test::readFile(kSchemaFile);
    ASSERT_FALSE(shared.empty()) << kSchemaFile;
    const std::string ours =
        test::readFile(std::string(OPENCLAW_SOURCE_DIR) + "/core/config/reference-config-schema.json");
    EXPECT_EQ(json::stringify(withoutAnnotations(json::parse(ours))),
              json::stringify(withoutAnnotations(json::parse(shared))))
        << "core/config/reference-config-schema.json is not " << kSchemaFile
        << " without its titles and descriptions: regenerate it (see docs/operator.md)";
}

TEST(ConfigSchema, EveryTopLevelKeyTheReferenceAcceptsIsAccepted) {
    json::ObjectPtr schema = json::asObject(json::parse(test::readFile(kSchemaFile)));
    json::ArrayPtr keys = json::getArray(schema, "topLevelKeys");
    ASSERT_TRUE(keys);
    ASSERT_GT(keys->size(), 30u);
    for (size_t i = 0; i < keys->size(); ++i) {
        const std::string key = keys->get(static_cast<unsigned>(i)).convert<std::string>();
        // Sections the gateway does not use hold anything the rest of OpenClaw wants.
        if (key == "gateway" || key == "discovery" || key == "plugins" || key == "logging" ||
            key == "commands")
            continue;
        EXPECT_EQ(refusal("{ '" + key + "': { anything: [1, 'two'] } }"), "") << key;
    }
}

TEST(ConfigSchema, EveryKeyOfTheOwnedSectionsIsAcceptedAndTypedAsTheReferenceSays) {
    json::ObjectPtr props =
        json::getObject(json::asObject(json::parse(test::readFile(kSchemaFile))), "properties");
    ASSERT_TRUE(props);
    std::vector<Leaf> leaves;
    for (const std::string section : {"gateway", "discovery", "plugins", "logging", "commands"})
        collect(json::getObject(props, section), section, leaves);
    size_t accepted = 0;
    size_t typed = 0;
    for (const Leaf& leaf : leaves) {
        std::optional<json::Var> sample = sampleFor(leaf.schema);
        std::optional<json::Var> config = sample ? configWith(props, leaf.path, *sample) : std::nullopt;
        if (!config) continue;
        Document d;
        d.file = "/h/openclaw.json";
        d.root = *config;
        try {
            checkConfigDocument(d, ConfigRole::Shared, "native.json5");
            ++accepted;
        } catch (const ConfigError& e) {
            ADD_FAILURE() << leaf.path << " = " << json::stringify(*sample) << " refused: " << e.what();
        }
        std::optional<json::Var> wrong = wrongTypeFor(leaf.schema);
        if (!wrong) continue;
        d.root = *configWith(props, leaf.path, *wrong);
        try {
            checkConfigDocument(d, ConfigRole::Shared, "native.json5");
            ADD_FAILURE() << leaf.path << " accepted a " << json::typeName(*wrong);
        } catch (const ConfigError& e) {
            EXPECT_EQ(e.keyPath().rfind(leaf.path, 0), 0u) << leaf.path << ": " << e.what();
            ++typed;
        }
    }
    // Nearly all of them: only pattern- or format-checked strings (and what requires them) have no sample.
    std::cout << "[ schema   ] " << leaves.size() << " keys, " << accepted << " accepted with a valid value, "
              << typed << " refused with a wrong type\n";
    EXPECT_GT(accepted * 10, leaves.size() * 9) << accepted << " of " << leaves.size();
    EXPECT_GT(typed * 10, leaves.size() * 8) << typed << " of " << leaves.size();
}

TEST(ConfigSchema, AMisspeltKeyAtAnyDepthIsRefusedWithTheNearestKnownKey) {
    EXPECT_EQ(
        refusal("{\n  gateway: {\n    auth: { tokn: 'x' },\n  },\n}"),
        "/h/.openclaw/openclaw.json:3:19: gateway.auth.tokn: unknown key (did you mean gateway.auth.token?)");
    EXPECT_EQ(
        refusal("{ agentz: {} }"),
        "/h/.openclaw/openclaw.json:1:11: agentz: unknown top-level key; OpenClaw refuses it (did you mean "
        "agents?)");
    EXPECT_NE(refusal("{ gateway: { controlUi: { alowedOrigins: [] } } }")
                  .find("gateway.controlUi.alowedOrigins: unknown key (did you mean "
                        "gateway.controlUi.allowedOrigins?)"),
              std::string::npos);
    EXPECT_NE(
        refusal("{ discovery: { mdns: { mode: 'loud' } } }").find("discovery.mdns.mode: must be one of"),
        std::string::npos);
    EXPECT_NE(refusal("{ gateway: { zzzz: 1 } }").find("gateway.zzzz: unknown key (allowed here: "),
              std::string::npos);
}

TEST(ConfigSchema, OurOwnSettingsBelongInTheNativeFileAndTheirOldPlacesWarn) {
    const std::string own = "{ gateway: { limits: { maxSessions: 5 } }, plugins: { initTimeoutMs: 500 } }";
    EXPECT_TRUE(
        checkConfigDocument(doc(own, "/h/native.json5"), ConfigRole::Native, "/h/native.json5").empty());
    auto warnings = checkConfigDocument(doc(own), ConfigRole::Shared, "/h/.openclaw/native.json5");
    ASSERT_EQ(warnings.size(), 2u);
    EXPECT_EQ(warnings[0],
              "/h/.openclaw/openclaw.json:1:22: gateway.limits is the gateway's own setting: move it to "
              "gateway.limits in /h/.openclaw/native.json5 (OpenClaw's `config validate` refuses it here "
              "and `doctor --fix` deletes it); read from here for now");
    auto moved = checkConfigDocument(doc("{ gateway: { tailscale: { resetOnExit: true } } }"),
                                     ConfigRole::Shared, "/h/.openclaw/native.json5");
    ASSERT_EQ(moved.size(), 1u);
    EXPECT_NE(
        moved[0].find("move it to plugins.entries.tailscale.config.resetOnExit in /h/.openclaw/native.json5"),
        std::string::npos);
    // Still typed where they are.
    EXPECT_NE(refusal("{ gateway: { limits: { maxSessions: 0 } } }", ConfigRole::Native)
                  .find("gateway.limits.maxSessions: must be >= 1"),
              std::string::npos);
    EXPECT_NE(refusal("{ gateway: { limits: { maxSesions: 2 } } }", ConfigRole::Native)
                  .find("did you mean gateway.limits.maxSessions?"),
              std::string::npos);
}

TEST(ConfigSchema, TheNativeFileMergesOverOpenclawJsonAndItsErrorsPointIntoIt) {
    Document shared = doc("{ gateway: { mode: 'local', port: 20000, auth: { token: 'A' } } }");
    Document native = doc("{\n  gateway: {\n    port: 20001,\n  },\n}", "/h/.openclaw/native.json5");
    mergeDocument(shared, native);
    json::ObjectPtr g = json::getObject(json::asObject(shared.root), "gateway");
    EXPECT_EQ(json::getInt(g, "port"), 20001);
    EXPECT_EQ(json::getString(json::getObject(g, "auth"), "token"), "A"); // untouched keys stay
    EXPECT_EQ(json::getString(g, "mode"), "local");
    EXPECT_EQ(shared.error("gateway.port", "x").what(),
              std::string("/h/.openclaw/native.json5:3:11: gateway.port: x"));
    EXPECT_EQ(std::string(shared.error("gateway.mode", "y").what()).rfind("/h/.openclaw/openclaw.json:1:", 0),
              0u);
}
