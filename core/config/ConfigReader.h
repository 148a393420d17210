// Typed reads of one config document (the loader's only way in): each value read by its dotted path, and a
// value of the wrong type or out of range fails with the key's file:line:col and what is allowed.
#pragma once

#include "config/ConfigLoader.h"
#include "config/Document.h"
#include "config/Environment.h"
#include "config/Modes.h"

#include <optional>
#include <string>
#include <vector>

namespace openclaw::config {

/// "\"a\", \"b\"" for error messages.
inline std::string joinQuoted(const std::vector<std::string>& values) {
    std::string out;
    for (size_t i = 0; i < values.size(); ++i)
        out += (i ? ", " : "") + std::string("\"") + values[i] + "\"";
    return out;
}

/// Typed reads of one document, each failing with the key's position.
class Reader {
  public:
    explicit Reader(const Document* doc) : doc_(doc), empty_(json::makeObject()) {}

    json::ObjectPtr root() const {
        if (!doc_) return empty_;
        json::ObjectPtr o = json::asObject(doc_->root);
        if (!o) throw doc_->error("", "the config file must hold an object at the top level");
        return o;
    }

    json::Var at(const std::string& path) const { return valueAtPath(root(), path); }

    ConfigError error(const std::string& path, const std::string& msg) const {
        if (!doc_) return ConfigError("", {}, path, msg);
        return doc_->error(path, msg);
    }

    json::ObjectPtr object(const std::string& path) const {
        json::Var v = at(path);
        if (v.isEmpty()) return nullptr;
        json::ObjectPtr o = json::asObject(v);
        if (!o) throw error(path, "expected an object, got " + json::typeName(v));
        return o;
    }

    std::optional<std::string> string(const std::string& path) const {
        json::Var v = at(path);
        if (v.isEmpty()) return std::nullopt;
        if (!json::isString(v)) throw error(path, "expected a string, got " + json::typeName(v));
        return v.convert<std::string>();
    }

    /// A word of a closed set (config/Modes.h), as its enum.
    template <typename E> std::optional<E> oneOf(const std::string& path) const {
        auto s = string(path);
        if (!s) return std::nullopt;
        if (auto value = parseName<E>(*s)) return value;
        throw error(path, "invalid value \"" + *s + "\" (allowed: " + joinQuoted(allowedNames<E>()) + ")");
    }

    std::optional<bool> boolean(const std::string& path) const {
        json::Var v = at(path);
        if (v.isEmpty()) return std::nullopt;
        if (!json::isBool(v)) throw error(path, "expected true or false, got " + json::typeName(v));
        return v.extract<bool>();
    }

    std::optional<long long> integer(const std::string& path, long long min, long long max) const {
        json::Var v = at(path);
        if (v.isEmpty()) return std::nullopt;
        if (!json::isInteger(v)) throw error(path, "expected an integer, got " + json::stringify(v));
        const std::optional<long long> fits = json::asInt64(v);
        if (!fits)
            throw error(path, "value " + json::stringify(v) + " is out of range (" + std::to_string(min) +
                                  ".." + std::to_string(max) + ")");
        const long long n = *fits;
        if (n < min || n > max)
            throw error(path, "value " + std::to_string(n) + " is out of range (" + std::to_string(min) +
                                  ".." + std::to_string(max) + ")");
        return n;
    }

    std::vector<std::string> strings(const std::string& path) const {
        json::Var v = at(path);
        std::vector<std::string> out;
        if (v.isEmpty()) return out;
        json::ArrayPtr a = json::asArray(v);
        if (!a) throw error(path, "expected an array of strings, got " + json::typeName(v));
        for (size_t i = 0; i < a->size(); ++i) {
            json::Var item = a->get(static_cast<unsigned>(i));
            if (!json::isString(item)) throw error(indexPath(path, i), "expected a string");
            out.push_back(item.convert<std::string>());
        }
        return out;
    }

    /// A secret: a plain string, or a SecretRef {source:"env"|"file", id}.
    std::optional<std::string> secret(const std::string& path, const Environment& env,
                                      const std::string& home) const;

  private:
    const Document* doc_;
    json::ObjectPtr empty_;
};

} // namespace openclaw::config
