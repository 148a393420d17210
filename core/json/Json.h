// JSON values as the whole project uses them: Poco::Dynamic::Var holding Poco::JSON::Object::Ptr,
// Poco::JSON::Array::Ptr, std::string, Int64, double, bool, or empty (null).
#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <optional>
#include <string>
#include <string_view>

namespace openclaw::json {

using Var = Poco::Dynamic::Var;
using ObjectPtr = Poco::JSON::Object::Ptr;
using ArrayPtr = Poco::JSON::Array::Ptr;

/// A new, empty object that keeps its keys in insertion order.
ObjectPtr makeObject();
/// A new, empty array.
ArrayPtr makeArray();

/// Appends `s` as a JSON string literal, quoted and escaped as JSON.stringify does.
void appendQuoted(std::string& out, std::string_view s);

/// Appends `,"key":` and `value` quoted: one more string member of an object being written as text.
void appendMember(std::string& out, std::string_view key, std::string_view value);

/// Serializes like JavaScript's JSON.stringify(v) (indent 0) or JSON.stringify(v, null, indent).
std::string stringify(const Var& v, int indent = 0);

/// Parses strict JSON text (RFC 8259; one value of any kind, nesting up to 128). Throws std::invalid_argument
/// saying what is wrong.
Var parse(const std::string& text);

/// Parses text that may not be JSON at all (a plugin's error text, a log line): nothing when it is not.
std::optional<Var> tryParse(const std::string& text);

/// The object held by v, or null when v is not an object.
ObjectPtr asObject(const Var& v);
/// The array held by v, or null when v is not an array.
ArrayPtr asArray(const Var& v);
/// True when v holds a JSON string.
bool isString(const Var& v);
/// True when v holds an integer or floating-point number (not bool).
bool isNumber(const Var& v);
/// True when v holds an integer (or a float with no fractional part).
bool isInteger(const Var& v);
/// The value as a 64-bit integer: nothing when it is not an integer or does not fit (1e92 is an integer
/// JSON cannot hand to a long long).
std::optional<long long> asInt64(const Var& v);
/// True when v holds a boolean.
bool isBool(const Var& v);
/// JSON type name of v: "object", "array", "string", "number", "boolean" or "null".
std::string typeName(const Var& v);

/// Member lookups that return nothing when the key is missing or of another type.
std::optional<std::string> getString(const ObjectPtr& o, const std::string& key);
std::optional<long long> getInt(const ObjectPtr& o, const std::string& key);
std::optional<bool> getBool(const ObjectPtr& o, const std::string& key);
ObjectPtr getObject(const ObjectPtr& o, const std::string& key);
ArrayPtr getArray(const ObjectPtr& o, const std::string& key);

/// Deep copy of a value (objects and arrays are copied, not shared).
Var deepCopy(const Var& v);

} // namespace openclaw::json
