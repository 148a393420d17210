#include "json/Schema.h"

#include <stdexcept>

namespace openclaw::json {

namespace {

/// Validation stops descending past depth 64 (SchemaValidator.cpp), so nodes below it are never looked at;
/// one level more, so that a root which only holds schemas (the config schema's sections) loses nothing.
constexpr int kMaxDepth = 65;

SchemaType typeKind(const std::string& name) {
    if (name == "object") return SchemaType::Object;
    if (name == "array") return SchemaType::Array;
    if (name == "string") return SchemaType::String;
    if (name == "number") return SchemaType::Number;
    if (name == "integer") return SchemaType::Integer;
    if (name == "boolean") return SchemaType::Boolean;
    if (name == "null") return SchemaType::Null;
    return SchemaType::Other;
}

/// A keyword's value as text: strings as they are, anything else as JSON (Var's own conversion, which
/// is what a schema's "type" names were always read with).
std::string asText(const Var& v) {
    if (v.isEmpty()) return "null";
    if (asObject(v) || asArray(v)) return stringify(v);
    return v.convert<std::string>();
}

class Compiler {
  public:
    explicit Compiler(CompiledSchema& out) : out_(out) {}

    /// Adds `schema` and everything under it; returns its node (kNoSchemaNode when it is not an object).
    std::uint32_t add(const Var& schema, int depth) {
        ObjectPtr s = asObject(schema);
        if (!s || depth > kMaxDepth) return kNoSchemaNode;
        const auto index = static_cast<std::uint32_t>(out_.nodes.size());
        out_.nodes.emplace_back();
        SchemaNode node;
        readType(s, node);
        readValues(s, node);
        readBounds(s, node);
        readObject(s, node, depth);
        readArray(s, node, depth);
        readBranches(s, node, depth);
        out_.nodes[index] = node;
        return index;
    }

  private:
    SchemaText keep(std::string_view text) { return out_.keep(text); }

    /// Appends `items` to `table` (one of the shared tables) and returns where they sit: nested schemas are
    /// compiled before their parent's entries are appended, so a node's entries stay contiguous.
    template <typename T> static SchemaSpan appendSpan(std::vector<T>& table, const std::vector<T>& items) {
        const SchemaSpan span{static_cast<std::uint32_t>(table.size()),
                              static_cast<std::uint32_t>(items.size())};
        table.insert(table.end(), items.begin(), items.end());
        return span;
    }

    SchemaSpan strings(const std::vector<std::string>& texts) {
        std::vector<SchemaText> kept;
        kept.reserve(texts.size());
        for (const auto& t : texts)
            kept.push_back(keep(t));
        return appendSpan(out_.strings, kept);
    }

    void readType(const ObjectPtr& s, SchemaNode& node) {
        if (!s->has("type")) return;
        const Var t = s->get("type");
        std::vector<std::string> names;
        if (ArrayPtr a = asArray(t)) {
            for (size_t i = 0; i < a->size(); ++i)
                names.push_back(asText(a->get(static_cast<unsigned>(i))));
        } else {
            names.push_back(asText(t));
        }
        node.hasType = true;
        node.typeText = keep(stringify(t));
        std::vector<SchemaTypeName> kinds;
        kinds.reserve(names.size());
        for (const auto& name : names)
            kinds.push_back({typeKind(name), keep(name)});
        node.types = appendSpan(out_.typeNames, kinds);
    }

    /// "enum", "const", "pattern".
    void readValues(const ObjectPtr& s, SchemaNode& node) {
        if (ArrayPtr e = getArray(s, "enum")) {
            std::vector<std::string> options;
            for (size_t i = 0; i < e->size(); ++i)
                options.push_back(stringify(e->get(static_cast<unsigned>(i))));
            node.hasEnum = true;
            node.enumValues = strings(options);
            node.enumText = keep(stringify(e));
        }
        if (s->has("const")) {
            node.hasConst = true;
            node.constText = keep(stringify(s->get("const")));
        }
        if (auto p = getString(s, "pattern")) {
            node.hasPattern = true;
            node.pattern = keep(*p);
        }
    }

    SchemaBound bound(const ObjectPtr& s, const char* key) {
        if (!s->has(key)) return {};
        const Var v = s->get(key);
        if (!isNumber(v)) return {}; // checkSchema refuses it
        return {true, v.convert<double>(), keep(stringify(v))};
    }

    static SchemaCount count(const ObjectPtr& s, const char* key) {
        auto n = getInt(s, key);
        return n ? SchemaCount{true, *n} : SchemaCount{};
    }

    void readBounds(const ObjectPtr& s, SchemaNode& node) {
        node.minimum = bound(s, "minimum");
        node.maximum = bound(s, "maximum");
        node.exclusiveMinimum = bound(s, "exclusiveMinimum");
        node.minLength = count(s, "minLength");
        node.maxLength = count(s, "maxLength");
        node.minItems = count(s, "minItems");
        node.maxItems = count(s, "maxItems");
    }

    /// "properties", "required", "additionalProperties".
    void readObject(const ObjectPtr& s, SchemaNode& node, int depth) {
        if (ObjectPtr props = getObject(s, "properties")) {
            std::vector<SchemaProperty> mine;
            for (const auto& key : props->getNames())
                mine.push_back({keep(key), add(props->get(key), depth + 1)});
            node.properties = appendSpan(out_.properties, mine);
        }
        if (ArrayPtr req = getArray(s, "required")) {
            std::vector<std::string> keys;
            for (size_t i = 0; i < req->size(); ++i)
                keys.push_back(asText(req->get(static_cast<unsigned>(i))));
            node.required = strings(keys);
        }
        if (!s->has("additionalProperties")) return;
        const Var ap = s->get("additionalProperties");
        if (isBool(ap) && !ap.extract<bool>()) {
            node.extra = SchemaExtra::Refused;
        } else if (asObject(ap)) {
            node.extra = SchemaExtra::Schema;
            node.extraNode = add(ap, depth + 1);
        }
    }

    void readArray(const ObjectPtr& s, SchemaNode& node, int depth) {
        if (ObjectPtr items = getObject(s, "items")) node.items = add(items, depth + 1);
    }

    SchemaSpan branches(const ArrayPtr& list, int depth) {
        std::vector<std::uint32_t> refs;
        for (size_t i = 0; i < list->size(); ++i)
            refs.push_back(add(list->get(static_cast<unsigned>(i)), depth + 1));
        return appendSpan(out_.nodeRefs, refs);
    }

    void readBranches(const ObjectPtr& s, SchemaNode& node, int depth) {
        if (ArrayPtr any = getArray(s, "anyOf")) {
            node.hasAnyOf = true;
            node.anyOf = branches(any, depth);
        }
        if (ArrayPtr one = getArray(s, "oneOf")) {
            node.hasOneOf = true;
            node.oneOf = branches(one, depth);
        }
    }

    CompiledSchema& out_;
};

} // namespace

SchemaTables CompiledSchema::tables() const {
    return {nodes.data(), typeNames.data(), properties.data(), strings.data(), nodeRefs.data(), text.data()};
}

SchemaText CompiledSchema::keep(std::string_view piece) {
    const SchemaText at{static_cast<std::uint32_t>(text.size()), static_cast<std::uint32_t>(piece.size())};
    text.append(piece);
    return at;
}

void graftSchema(const ObjectPtr& root, const std::string& path, const Var& schema) {
    ObjectPtr node = getObject(root, "properties");
    std::string rest = path;
    while (node) {
        const size_t dot = rest.find('.');
        const std::string key = rest.substr(0, dot);
        if (dot == std::string::npos) {
            node->set(key, schema);
            return;
        }
        node = getObject(getObject(node, key), "properties");
        rest = rest.substr(dot + 1);
    }
    throw std::invalid_argument("cannot graft a schema at " + path + ": no properties to hold it before " +
                                rest);
}

CompiledSchema compileSchema(const Var& schema) {
    CompiledSchema out;
    Compiler compiler(out);
    if (compiler.add(schema, 0) == kNoSchemaNode) out.nodes.emplace_back(); // a root that checks nothing
    return out;
}

} // namespace openclaw::json
