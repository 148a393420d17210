// A JSON Schema read once into flat tables: keywords become typed fields where they are parsed, so that
// validating compares no keyword names and builds no tree. The same tables come from two places: a schema
// compiled at run time (a plugin's manifest: compileSchema) and the reference config schema, compiled at
// build time into constant data (config/ReferenceSchemaGen.cpp), which costs a starting process neither
// parsing nor memory. Pure.
#pragma once

#include "json/Json.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace openclaw::json {

/// A value of "type".
enum class SchemaType : std::uint8_t { Object, Array, String, Number, Integer, Boolean, Null, Other };

/// What "additionalProperties" allows for keys outside "properties".
enum class SchemaExtra : std::uint8_t {
    Any,     ///< absent, true, or neither a boolean nor an object
    Refused, ///< false
    Schema   ///< an object: the schema every other key's value must satisfy
};

/// No node: a child that is not an object (or lies deeper than validation goes) and so checks nothing.
inline constexpr std::uint32_t kNoSchemaNode = 0xFFFFFFFFu;

/// A piece of the schema's text: an offset into SchemaTables::text (offsets, not pointers, so that the tables
/// compiled into the binary are constants the loader never relocates).
struct SchemaText {
    std::uint32_t offset = 0;
    std::uint32_t size = 0;
};

/// A run of entries in one of the tables.
struct SchemaSpan {
    std::uint32_t begin = 0;
    std::uint32_t count = 0;
};

/// One entry of "type": its kind and its name as written (for messages).
struct SchemaTypeName {
    SchemaType kind = SchemaType::Other;
    SchemaText name;
};

/// One entry of "properties".
struct SchemaProperty {
    SchemaText name;
    std::uint32_t node = kNoSchemaNode;
};

/// "minimum", "maximum" or "exclusiveMinimum": its value and how the schema wrote it.
struct SchemaBound {
    bool present = false;
    double value = 0;
    SchemaText text;
};

/// "minLength", "maxLength", "minItems" or "maxItems" (present only when an integer).
struct SchemaCount {
    bool present = false;
    long long value = 0;
};

/// One schema object.
struct SchemaNode {
    bool hasType = false;
    SchemaSpan types;      ///< into SchemaTables::typeNames
    SchemaText typeText;   ///< "type" as JSON, for describing a branch
    SchemaSpan properties; ///< into SchemaTables::properties, in the schema's order
    SchemaSpan required;   ///< into SchemaTables::strings
    SchemaExtra extra = SchemaExtra::Any;
    std::uint32_t extraNode = kNoSchemaNode;
    std::uint32_t items = kNoSchemaNode;
    bool hasAnyOf = false;
    SchemaSpan anyOf; ///< into SchemaTables::nodeRefs
    bool hasOneOf = false;
    SchemaSpan oneOf; ///< into SchemaTables::nodeRefs
    bool hasEnum = false;
    SchemaSpan enumValues; ///< into SchemaTables::strings, each as JSON
    SchemaText enumText;   ///< "enum" as JSON
    bool hasConst = false;
    SchemaText constText; ///< "const" as JSON
    SchemaBound minimum;
    SchemaBound maximum;
    SchemaBound exclusiveMinimum;
    SchemaCount minLength;
    SchemaCount maxLength;
    SchemaCount minItems;
    SchemaCount maxItems;
    bool hasPattern = false;
    SchemaText pattern;
};

/// The tables of one compiled schema; node 0 is its root.
struct SchemaTables {
    const SchemaNode* nodes = nullptr;
    const SchemaTypeName* typeNames = nullptr;
    const SchemaProperty* properties = nullptr;
    const SchemaText* strings = nullptr;
    const std::uint32_t* nodeRefs = nullptr;
    const char* text = nullptr;

    /// The characters of `t`.
    std::string_view view(SchemaText t) const { return {text + t.offset, t.size}; }
};

/// A schema compiled at run time: owns its tables and the text they point into.
class CompiledSchema {
  public:
    CompiledSchema() = default;
    CompiledSchema(const CompiledSchema&) = delete;
    CompiledSchema& operator=(const CompiledSchema&) = delete;
    CompiledSchema(CompiledSchema&&) = default;
    CompiledSchema& operator=(CompiledSchema&&) = default;

    /// The tables (valid while this object lives and is not modified).
    SchemaTables tables() const;

    std::vector<SchemaNode> nodes;
    std::vector<SchemaTypeName> typeNames;
    std::vector<SchemaProperty> properties;
    std::vector<SchemaText> strings;
    std::vector<std::uint32_t> nodeRefs;
    std::string text; ///< every piece of text the tables refer to, one after the other

    /// Appends `piece` to the text and returns where it is.
    SchemaText keep(std::string_view piece);
};

/// Puts `schema` at the dotted `path` ("gateway.limits") of `root`'s properties, each step but the last
/// through an existing property's "properties". Throws std::invalid_argument when a step is missing.
void graftSchema(const ObjectPtr& root, const std::string& path, const Var& schema);

/// Compiles `schema` (a schema object; anything else gives a root that checks nothing). Keywords this
/// validator does not know are ignored here; checkSchema reports them.
CompiledSchema compileSchema(const Var& schema);

} // namespace openclaw::json
