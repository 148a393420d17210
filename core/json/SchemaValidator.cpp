#include "json/SchemaValidator.h"

#include <regex>
#include <set>

namespace openclaw::json {

namespace {

std::string child(const std::string& parent, const std::string& key) {
    return parent.empty() ? key : parent + "." + key;
}

bool matchesType(SchemaType type, const json::Var& v) {
    switch (type) {
    case SchemaType::Object:
        return json::asObject(v) != nullptr;
    case SchemaType::Array:
        return json::asArray(v) != nullptr;
    case SchemaType::String:
        return json::isString(v);
    case SchemaType::Number:
        return json::isNumber(v);
    case SchemaType::Integer:
        return json::isInteger(v);
    case SchemaType::Boolean:
        return json::isBool(v);
    case SchemaType::Null:
        return v.isEmpty();
    case SchemaType::Other:
        return false;
    }
    return false;
}

/// One validation over one set of tables.
class Validator {
  public:
    Validator(const SchemaTables& t, std::vector<SchemaViolation>& out) : t_(t), out_(out) {}

    void validate(std::uint32_t node, const json::Var& v, const std::string& path, int depth) {
        if (node == kNoSchemaNode || depth > 64) return;
        const SchemaNode& s = t_.nodes[node];
        if (s.hasAnyOf) validateBranches(s.anyOf, v, path, depth);
        if (s.hasOneOf) validateBranches(s.oneOf, v, path, depth);
        if (!checkType(s, v, path)) return;
        checkValue(s, v, path);
        if (json::isNumber(v)) checkNumber(s, v.convert<double>(), path);
        if (json::isString(v)) checkString(s, v.convert<std::string>(), path);
        if (json::ArrayPtr a = json::asArray(v)) checkArray(s, a, path, depth);
        if (json::ObjectPtr o = json::asObject(v)) checkObject(s, o, path, depth);
    }

  private:
    /// True when the node has a type and v is of it.
    bool typeMatches(const SchemaNode& s, const json::Var& v) const {
        for (std::uint32_t i = 0; i < s.types.count; ++i)
            if (matchesType(t_.typeNames[s.types.begin + i].kind, v)) return true;
        return false;
    }

    /// "a", "b" or c: the allowed values of branches that are consts, else their types.
    std::string describeBranches(SchemaSpan branches) const {
        std::string out;
        for (std::uint32_t i = 0; i < branches.count; ++i) {
            const std::uint32_t b = t_.nodeRefs[branches.begin + i];
            const SchemaNode* n = b == kNoSchemaNode ? nullptr : &t_.nodes[b];
            const std::string_view one = !n            ? "?"
                                         : n->hasConst ? t_.view(n->constText)
                                         : n->hasType  ? t_.view(n->typeText)
                                         : n->hasEnum  ? t_.view(n->enumText)
                                                       : "an object of another shape";
            out += (i ? (i + 1 == branches.count ? " or " : ", ") : "");
            out += one;
        }
        return out;
    }

    /// anyOf/oneOf: the value must satisfy some branch. When none does, the violations of the branch
    /// whose type fits are reported (they say more than "matches no branch"), else the list of what would do.
    void validateBranches(SchemaSpan branches, const json::Var& v, const std::string& path, int depth) {
        std::vector<SchemaViolation> best;
        bool haveTypedBranch = false;
        for (std::uint32_t i = 0; i < branches.count; ++i) {
            const std::uint32_t b = t_.nodeRefs[branches.begin + i];
            std::vector<SchemaViolation> mine;
            Validator(t_, mine).validate(b, v, path, depth + 1);
            if (mine.empty()) return;
            const SchemaNode& n = t_.nodes[b]; // a branch that is no node never fails
            const bool typeFits = n.hasType && !n.hasConst && !n.hasEnum && typeMatches(n, v);
            if (typeFits && !haveTypedBranch) {
                best = mine;
                haveTypedBranch = true;
            }
        }
        if (haveTypedBranch) {
            out_.insert(out_.end(), best.begin(), best.end());
            return;
        }
        out_.push_back({path, "must be " + describeBranches(branches) + " (got " + json::stringify(v) + ")"});
    }

    /// "type": false (and a violation) when `v` has none of the types.
    bool checkType(const SchemaNode& s, const json::Var& v, const std::string& path) {
        if (!s.hasType || typeMatches(s, v)) return true;
        std::string want;
        for (std::uint32_t i = 0; i < s.types.count; ++i) {
            want += (i ? " or " : "");
            want += t_.view(t_.typeNames[s.types.begin + i].name);
        }
        out_.push_back({path, "must be " + want + " (got " + json::typeName(v) + ")"});
        return false;
    }

    /// "enum" and "const".
    void checkValue(const SchemaNode& s, const json::Var& v, const std::string& path) {
        if (!s.hasEnum && !s.hasConst) return;
        const std::string value = json::stringify(v);
        if (s.hasEnum) {
            bool found = false;
            std::string allowed;
            for (std::uint32_t i = 0; i < s.enumValues.count; ++i) {
                const std::string_view option = t_.view(t_.strings[s.enumValues.begin + i]);
                allowed += (i ? ", " : "");
                allowed += option;
                if (option == value) found = true;
            }
            if (!found) out_.push_back({path, "must be one of " + allowed + " (got " + value + ")"});
        }
        if (s.hasConst && t_.view(s.constText) != value)
            out_.push_back({path, "must equal " + std::string(t_.view(s.constText))});
    }

    /// "minimum", "maximum", "exclusiveMinimum".
    void checkNumber(const SchemaNode& s, double d, const std::string& path) {
        if (s.minimum.present && d < s.minimum.value)
            out_.push_back({path, "must be >= " + std::string(t_.view(s.minimum.text))});
        if (s.maximum.present && d > s.maximum.value)
            out_.push_back({path, "must be <= " + std::string(t_.view(s.maximum.text))});
        if (s.exclusiveMinimum.present && d <= s.exclusiveMinimum.value)
            out_.push_back({path, "must be > " + std::string(t_.view(s.exclusiveMinimum.text))});
    }

    /// "minLength", "maxLength", "pattern".
    void checkString(const SchemaNode& s, const std::string& str, const std::string& path) {
        const auto length = static_cast<long long>(str.size());
        if (s.minLength.present && length < s.minLength.value)
            out_.push_back({path, "must be at least " + std::to_string(s.minLength.value) + " characters"});
        if (s.maxLength.present && length > s.maxLength.value)
            out_.push_back({path, "must be at most " + std::to_string(s.maxLength.value) + " characters"});
        if (!s.hasPattern) return;
        const std::string pattern(t_.view(s.pattern));
        try {
            if (!std::regex_search(str, std::regex(pattern, std::regex::ECMAScript)))
                out_.push_back({path, "must match pattern " + pattern});
        } catch (const std::regex_error&) {
            out_.push_back({path, "schema pattern is not a valid regular expression: " + pattern});
        }
    }

    /// "minItems", "maxItems", "items".
    void checkArray(const SchemaNode& s, const json::ArrayPtr& a, const std::string& path, int depth) {
        const auto size = static_cast<long long>(a->size());
        if (s.minItems.present && size < s.minItems.value)
            out_.push_back({path, "must have at least " + std::to_string(s.minItems.value) + " items"});
        if (s.maxItems.present && size > s.maxItems.value)
            out_.push_back({path, "must have at most " + std::to_string(s.maxItems.value) + " items"});
        if (s.items == kNoSchemaNode) return;
        for (size_t i = 0; i < a->size(); ++i)
            validate(s.items, a->get(static_cast<unsigned>(i)), path + "[" + std::to_string(i) + "]",
                     depth + 1);
    }

    const SchemaProperty* property(const SchemaNode& s, const std::string& key) const {
        for (std::uint32_t i = 0; i < s.properties.count; ++i)
            if (t_.view(t_.properties[s.properties.begin + i].name) == key)
                return &t_.properties[s.properties.begin + i];
        return nullptr;
    }

    std::vector<std::string> propertyNames(const SchemaNode& s) const {
        std::vector<std::string> names;
        for (std::uint32_t i = 0; i < s.properties.count; ++i)
            names.emplace_back(t_.view(t_.properties[s.properties.begin + i].name));
        return names;
    }

    /// "required", "properties", "additionalProperties".
    void checkObject(const SchemaNode& s, const json::ObjectPtr& o, const std::string& path, int depth) {
        for (std::uint32_t i = 0; i < s.required.count; ++i) {
            const std::string key(t_.view(t_.strings[s.required.begin + i]));
            if (!o->has(key)) out_.push_back({child(path, key), "is required"});
        }
        for (const auto& key : o->getNames()) {
            if (const SchemaProperty* p = property(s, key)) {
                validate(p->node, o->get(key), child(path, key), depth + 1);
            } else if (s.extra == SchemaExtra::Refused) {
                out_.push_back(
                    {child(path, key), "is not allowed (unknown property)", true, propertyNames(s)});
            } else if (s.extra == SchemaExtra::Schema) {
                validate(s.extraNode, o->get(key), child(path, key), depth + 1);
            }
        }
    }

    const SchemaTables t_; // a copy: six pointers, and callers may pass a temporary
    std::vector<SchemaViolation>& out_;
};

const std::set<std::string> kKeywords = {"type",          "properties", "required", "additionalProperties",
                                         "propertyNames", "anyOf",      "oneOf",    "enum",
                                         "const",         "minimum",    "maximum",  "exclusiveMinimum",
                                         "minLength",     "maxLength",  "pattern",  "items",
                                         "minItems",      "maxItems",   "default",  "description",
                                         "title",         "$schema",    "examples", "format"};

void check(const json::Var& schema, const std::string& path, std::vector<std::string>& out, int depth) {
    json::ObjectPtr s = json::asObject(schema);
    if (!s) {
        out.push_back((path.empty() ? "schema" : path) + ": must be an object");
        return;
    }
    if (depth > 64) return;
    for (const auto& k : s->getNames())
        if (!kKeywords.count(k))
            out.push_back((path.empty() ? "" : path + ".") + k + ": unsupported keyword");
    for (const char* k : {"minimum", "maximum", "exclusiveMinimum"})
        if (s->has(k) && !json::isNumber(s->get(k)))
            out.push_back((path.empty() ? "" : path + ".") + k + ": must be a number");
    if (json::ObjectPtr props = json::getObject(s, "properties"))
        for (const auto& k : props->getNames())
            check(props->get(k), child(path, "properties." + k), out, depth + 1);
    if (s->has("items")) check(s->get("items"), child(path, "items"), out, depth + 1);
    if (json::ObjectPtr ap = json::getObject(s, "additionalProperties"))
        check(ap, child(path, "additionalProperties"), out, depth + 1);
    for (const char* k : {"anyOf", "oneOf"})
        if (json::ArrayPtr branches = json::getArray(s, k))
            for (size_t i = 0; i < branches->size(); ++i)
                check(branches->get(static_cast<unsigned>(i)), child(path, k) + "[" + std::to_string(i) + "]",
                      out, depth + 1);
}

} // namespace

std::vector<SchemaViolation> validateSchema(const SchemaTables& schema, std::uint32_t node,
                                            const json::Var& value) {
    std::vector<SchemaViolation> out;
    Validator(schema, out).validate(node, value, "", 0);
    return out;
}

std::vector<SchemaViolation> validateSchema(const json::Var& schema, const json::Var& value) {
    const CompiledSchema compiled = compileSchema(schema);
    return validateSchema(compiled.tables(), 0, value);
}

std::vector<std::string> checkSchema(const json::Var& schema) {
    std::vector<std::string> out;
    check(schema, "", out, 0);
    return out;
}

} // namespace openclaw::json
