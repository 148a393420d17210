#include "json/Json.h"

#include "json/RawJson.h"

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace openclaw::json {

ObjectPtr makeObject() {
    return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
}
ArrayPtr makeArray() {
    return new Poco::JSON::Array();
}

ObjectPtr asObject(const Var& v) {
    if (v.type() == typeid(ObjectPtr)) return v.extract<ObjectPtr>();
    return nullptr;
}
ArrayPtr asArray(const Var& v) {
    if (v.type() == typeid(ArrayPtr)) return v.extract<ArrayPtr>();
    return nullptr;
}
bool isString(const Var& v) {
    return !v.isEmpty() && v.isString();
}
bool isBool(const Var& v) {
    return !v.isEmpty() && v.type() == typeid(bool);
}
bool isNumber(const Var& v) {
    return !v.isEmpty() && v.isNumeric() && !isBool(v);
}
bool isInteger(const Var& v) {
    if (!isNumber(v)) return false;
    if (v.isInteger()) return true;
    double d = v.convert<double>();
    return std::isfinite(d) && std::floor(d) == d;
}

std::optional<long long> asInt64(const Var& v) {
    if (!isInteger(v)) return std::nullopt;
    try {
        if (v.isInteger()) return static_cast<long long>(v.convert<Poco::Int64>());
    } catch (const Poco::Exception&) {
        return std::nullopt; // an unsigned 64-bit value above the signed range
    }
    const double d = v.convert<double>();
    // 2^63 is exactly representable; anything at or beyond it does not fit.
    if (d < -9223372036854775808.0 || d >= 9223372036854775808.0) return std::nullopt;
    return static_cast<long long>(d);
}

std::string typeName(const Var& v) {
    if (v.isEmpty()) return "null";
    if (asObject(v)) return "object";
    if (asArray(v)) return "array";
    if (isBool(v)) return "boolean";
    if (isNumber(v)) return "number";
    if (isString(v)) return "string";
    return "unknown";
}

void appendMember(std::string& out, std::string_view key, std::string_view value) {
    out += ",\"";
    out += key;
    out += "\":";
    appendQuoted(out, value);
}

void appendQuoted(std::string& out, std::string_view s) {
    out += '"';
    for (unsigned char c : s) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    out += '"';
}

namespace {

void number(std::string& out, const Var& v) {
    if (v.isInteger()) {
        if (v.isSigned())
            out += std::to_string(v.convert<Poco::Int64>());
        else
            out += std::to_string(v.convert<Poco::UInt64>());
        return;
    }
    double d = v.convert<double>();
    if (!std::isfinite(d)) {
        out += "null"; // as JSON.stringify does
        return;
    }
    if (std::floor(d) == d && std::fabs(d) < 1e15) {
        out += std::to_string(static_cast<long long>(d));
        return;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", d);
    // Shortest representation that round-trips, like JS.
    for (int prec = 1; prec <= 17; ++prec) {
        char t[32];
        std::snprintf(t, sizeof t, "%.*g", prec, d);
        if (std::strtod(t, nullptr) == d) {
            out += t;
            return;
        }
    }
    out += buf;
}

void write(std::string& out, const Var& v, int indent, int depth) {
    auto newline = [&](int d) {
        if (indent <= 0) return;
        out += '\n';
        out.append(static_cast<size_t>(indent) * static_cast<size_t>(d), ' ');
    };
    if (v.isEmpty()) {
        out += "null";
    } else if (ObjectPtr o = asObject(v)) {
        if (o->size() == 0) {
            out += "{}";
            return;
        }
        out += '{';
        bool first = true;
        for (const auto& key : o->getNames()) {
            if (!first) out += ',';
            first = false;
            newline(depth + 1);
            appendQuoted(out, key);
            out += indent > 0 ? ": " : ":";
            write(out, o->get(key), indent, depth + 1);
        }
        newline(depth);
        out += '}';
    } else if (ArrayPtr a = asArray(v)) {
        if (a->size() == 0) {
            out += "[]";
            return;
        }
        out += '[';
        for (size_t i = 0; i < a->size(); ++i) {
            if (i) out += ',';
            newline(depth + 1);
            write(out, a->get(static_cast<unsigned>(i)), indent, depth + 1);
        }
        newline(depth);
        out += ']';
    } else if (isBool(v)) {
        out += v.extract<bool>() ? "true" : "false";
    } else if (isNumber(v)) {
        number(out, v);
    } else {
        appendQuoted(out, v.convert<std::string>());
    }
}

} // namespace

std::string stringify(const Var& v, int indent) {
    std::string out;
    write(out, v, indent, 0);
    return out;
}

std::optional<Var> tryParse(const std::string& text) {
    try {
        return parse(text);
    } catch (const std::invalid_argument&) {
        return std::nullopt;
    }
}

Var parse(const std::string& text) {
    std::string error;
    if (std::optional<Var> tree = readTree(text, error)) return *tree;
    throw std::invalid_argument("not valid JSON: " + error);
}

std::optional<std::string> getString(const ObjectPtr& o, const std::string& key) {
    if (!o || !o->has(key)) return std::nullopt;
    Var v = o->get(key);
    if (!isString(v)) return std::nullopt;
    return v.convert<std::string>();
}
std::optional<long long> getInt(const ObjectPtr& o, const std::string& key) {
    if (!o || !o->has(key)) return std::nullopt;
    Var v = o->get(key);
    return asInt64(v);
}
std::optional<bool> getBool(const ObjectPtr& o, const std::string& key) {
    if (!o || !o->has(key)) return std::nullopt;
    Var v = o->get(key);
    if (!isBool(v)) return std::nullopt;
    return v.extract<bool>();
}
ObjectPtr getObject(const ObjectPtr& o, const std::string& key) {
    if (!o || !o->has(key)) return nullptr;
    return asObject(o->get(key));
}
ArrayPtr getArray(const ObjectPtr& o, const std::string& key) {
    if (!o || !o->has(key)) return nullptr;
    return asArray(o->get(key));
}

Var deepCopy(const Var& v) {
    if (ObjectPtr o = asObject(v)) {
        ObjectPtr c = makeObject();
        for (const auto& k : o->getNames())
            c->set(k, deepCopy(o->get(k)));
        return c;
    }
    if (ArrayPtr a = asArray(v)) {
        ArrayPtr c = makeArray();
        for (size_t i = 0; i < a->size(); ++i)
            c->add(deepCopy(a->get(static_cast<unsigned>(i))));
        return c;
    }
    return v;
}

} // namespace openclaw::json
