#include "json/SchemaValidator.h"

#include <regex>
#include <set>

namespace openclaw::json {

namespace {

std::string child(const std::string& parent, const std::string& key) {
    return parent.empty() ? key : parent + "." + key;
}

bool matchesType(const std::string& type, const json::Var& v) {
    if (type == "object") return json::asObject(v) != nullptr;
    if (type == "array") return json::asArray(v) != nullptr;
    if (type == "string") return json::isString(v);
    if (type == "number") return json::isNumber(v);
    if (type == "integer") return json::isInteger(v);
    if (type == "boolean") return json::isBool(v);
    if (type == "null") return v.isEmpty();
    return false;
}

void validate(const json::ObjectPtr& s, const json::Var& v, const std::string& path,
              std::vector<SchemaViolation>& out, int depth);

/// True when the schema has a type and v is of it.
bool typeMatches(const json::ObjectPtr& s, const json::Var& v) {
    json::Var t = s->get("type");
    if (json::ArrayPtr a = json::asArray(t)) {
        for (size_t i = 0; i < a->size(); ++i)
            if (matchesType(a->get(static_cast<unsigned>(i)).convert<std::string>(), v)) return true;
        return false;
    }
    return matchesType(t.convert<std::string>(), v);
}

/// "a", "b" or c: the allowed values of branches that are consts, else their types.
std::string describeBranches(const json::ArrayPtr& branches) {
    std::string out;
    for (size_t i = 0; i < branches->size(); ++i) {
        json::ObjectPtr b = json::asObject(branches->get(static_cast<unsigned>(i)));
        std::string one = !b                ? "?"
                          : b->has("const") ? json::stringify(b->get("const"))
                          : b->has("type")  ? json::stringify(b->get("type"))
                          : b->has("enum")  ? json::stringify(b->get("enum"))
                                            : "an object of another shape";
        out += (i ? (i + 1 == branches->size() ? " or " : ", ") : "") + one;
    }
    return out;
}

/// anyOf/oneOf: the value must satisfy some branch. When none does, the violations of the branch whose
/// type fits are reported (they say more than "matches no branch"), else the list of what would do.
void validateBranches(const json::ArrayPtr& branches, const json::Var& v, const std::string& path,
                      std::vector<SchemaViolation>& out, int depth) {
    std::vector<SchemaViolation> best;
    bool haveTypedBranch = false;
    for (size_t i = 0; i < branches->size(); ++i) {
        json::ObjectPtr b = json::asObject(branches->get(static_cast<unsigned>(i)));
        std::vector<SchemaViolation> mine;
        validate(b, v, path, mine, depth + 1);
        if (mine.empty()) return;
        const bool typeFits = b && b->has("type") && !b->has("const") && !b->has("enum") && typeMatches(b, v);
        if (typeFits && !haveTypedBranch) {
            best = mine;
            haveTypedBranch = true;
        }
    }
    if (haveTypedBranch) {
        out.insert(out.end(), best.begin(), best.end());
        return;
    }
    out.push_back({path, "must be " + describeBranches(branches) + " (got " + json::stringify(v) + ")"});
}

/// "type": false (and a violation) when `v` has none of the types.
bool checkType(const json::ObjectPtr& s, const json::Var& v, const std::string& path,
               std::vector<SchemaViolation>& out) {
    if (!s->has("type")) return true;
    std::vector<std::string> types;
    json::Var t = s->get("type");
    if (json::ArrayPtr a = json::asArray(t)) {
        for (size_t i = 0; i < a->size(); ++i)
            types.push_back(a->get(static_cast<unsigned>(i)).convert<std::string>());
    } else {
        types.push_back(t.convert<std::string>());
    }
    for (const auto& type : types)
        if (matchesType(type, v)) return true;
    std::string want;
    for (size_t i = 0; i < types.size(); ++i)
        want += (i ? " or " : "") + types[i];
    out.push_back({path, "must be " + want + " (got " + json::typeName(v) + ")"});
    return false;
}

/// "enum" and "const".
void checkValue(const json::ObjectPtr& s, const json::Var& v, const std::string& path,
                std::vector<SchemaViolation>& out) {
    if (json::ArrayPtr e = json::getArray(s, "enum")) {
        bool found = false;
        std::string allowed;
        for (size_t i = 0; i < e->size(); ++i) {
            json::Var option = e->get(static_cast<unsigned>(i));
            allowed += (i ? ", " : "") + json::stringify(option);
            if (json::stringify(option) == json::stringify(v)) found = true;
        }
        if (!found) out.push_back({path, "must be one of " + allowed + " (got " + json::stringify(v) + ")"});
    }
    if (s->has("const") && json::stringify(s->get("const")) != json::stringify(v))
        out.push_back({path, "must equal " + json::stringify(s->get("const"))});
}

/// "minimum", "maximum", "exclusiveMinimum".
void checkNumber(const json::ObjectPtr& s, double d, const std::string& path,
                 std::vector<SchemaViolation>& out) {
    if (s->has("minimum") && d < s->get("minimum").convert<double>())
        out.push_back({path, "must be >= " + json::stringify(s->get("minimum"))});
    if (s->has("maximum") && d > s->get("maximum").convert<double>())
        out.push_back({path, "must be <= " + json::stringify(s->get("maximum"))});
    if (s->has("exclusiveMinimum") && d <= s->get("exclusiveMinimum").convert<double>())
        out.push_back({path, "must be > " + json::stringify(s->get("exclusiveMinimum"))});
}

/// "minLength", "maxLength", "pattern".
void checkString(const json::ObjectPtr& s, const std::string& str, const std::string& path,
                 std::vector<SchemaViolation>& out) {
    if (auto n = json::getInt(s, "minLength"); n && static_cast<long long>(str.size()) < *n)
        out.push_back({path, "must be at least " + std::to_string(*n) + " characters"});
    if (auto n = json::getInt(s, "maxLength"); n && static_cast<long long>(str.size()) > *n)
        out.push_back({path, "must be at most " + std::to_string(*n) + " characters"});
    if (auto p = json::getString(s, "pattern")) {
        try {
            if (!std::regex_search(str, std::regex(*p, std::regex::ECMAScript)))
                out.push_back({path, "must match pattern " + *p});
        } catch (const std::regex_error&) {
            out.push_back({path, "schema pattern is not a valid regular expression: " + *p});
        }
    }
}

/// "minItems", "maxItems", "items".
void checkArray(const json::ObjectPtr& s, const json::ArrayPtr& a, const std::string& path,
                std::vector<SchemaViolation>& out, int depth) {
    if (auto n = json::getInt(s, "minItems"); n && static_cast<long long>(a->size()) < *n)
        out.push_back({path, "must have at least " + std::to_string(*n) + " items"});
    if (auto n = json::getInt(s, "maxItems"); n && static_cast<long long>(a->size()) > *n)
        out.push_back({path, "must have at most " + std::to_string(*n) + " items"});
    if (json::ObjectPtr items = json::getObject(s, "items"))
        for (size_t i = 0; i < a->size(); ++i)
            validate(items, a->get(static_cast<unsigned>(i)), path + "[" + std::to_string(i) + "]", out,
                     depth + 1);
}

/// "required", "properties", "additionalProperties".
void checkObject(const json::ObjectPtr& s, const json::ObjectPtr& o, const std::string& path,
                 std::vector<SchemaViolation>& out, int depth) {
    json::ObjectPtr props = json::getObject(s, "properties");
    if (json::ArrayPtr req = json::getArray(s, "required")) {
        for (size_t i = 0; i < req->size(); ++i) {
            std::string key = req->get(static_cast<unsigned>(i)).convert<std::string>();
            if (!o->has(key)) out.push_back({child(path, key), "is required"});
        }
    }
    for (const auto& key : o->getNames()) {
        if (props && props->has(key)) {
            validate(json::asObject(props->get(key)), o->get(key), child(path, key), out, depth + 1);
        } else if (s->has("additionalProperties")) {
            json::Var ap = s->get("additionalProperties");
            if (json::isBool(ap) && !ap.extract<bool>())
                out.push_back({child(path, key), "is not allowed (unknown property)", true,
                               props ? props->getNames() : std::vector<std::string>{}});
            else if (json::ObjectPtr aps = json::asObject(ap))
                validate(aps, o->get(key), child(path, key), out, depth + 1);
        }
    }
}

void validate(const json::ObjectPtr& s, const json::Var& v, const std::string& path,
              std::vector<SchemaViolation>& out, int depth) {
    if (!s || depth > 64) return;
    for (const char* k : {"anyOf", "oneOf"})
        if (json::ArrayPtr branches = json::getArray(s, k)) validateBranches(branches, v, path, out, depth);
    if (!checkType(s, v, path, out)) return;
    checkValue(s, v, path, out);
    if (json::isNumber(v)) checkNumber(s, v.convert<double>(), path, out);
    if (json::isString(v)) checkString(s, v.convert<std::string>(), path, out);
    if (json::ArrayPtr a = json::asArray(v)) checkArray(s, a, path, out, depth);
    if (json::ObjectPtr o = json::asObject(v)) checkObject(s, o, path, out, depth);
}

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

std::vector<SchemaViolation> validateSchema(const json::Var& schema, const json::Var& value) {
    std::vector<SchemaViolation> out;
    validate(json::asObject(schema), value, "", out, 0);
    return out;
}

std::vector<std::string> checkSchema(const json::Var& schema) {
    std::vector<std::string> out;
    check(schema, "", out, 0);
    return out;
}

} // namespace openclaw::json
