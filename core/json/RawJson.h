// JSON read without a tree (simdjson On-Demand): the request path validates a frame and takes the few
// fields it needs, keeping values as raw text it can hand on or splice into an answer as they are.
#pragma once

#include "json/Json.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace openclaw::json {

/// The deepest nesting of arrays and objects accepted, the same as json::parse (POCO's default), so both
/// readers accept the same documents.
constexpr int kMaxDepth = 128;

/// What a member's value is.
enum class RawKind { Object, Array, String, Number, Boolean, Null };

/// One member of an object read by readObject(). The views are valid only during the visit.
struct RawMember {
    std::string_view key; ///< unescaped
    RawKind kind = RawKind::Null;
    std::string_view raw;  ///< the value's JSON text as written (validated, no surrounding whitespace)
    std::string_view text; ///< for a string: its unescaped text; empty otherwise
};

/// Reads `text` as one JSON object and calls `visit` for each member in document order (a repeated key is
/// visited each time: the last one wins, as in json::parse). The whole document is validated first as
/// strictly as json::parse (UTF-8, escapes, numbers, nesting up to kMaxDepth, nothing after it): false, and
/// no visit at all, when it is not one valid JSON object. `visit` must not read another document on this
/// thread (the views point into this thread's parser).
bool readObject(std::string_view text, const std::function<void(const RawMember&)>& visit);

/// True when `text` is exactly one valid JSON value of any kind (whitespace around it allowed), as strictly
/// as json::parse checks it; no tree is built.
bool isValid(std::string_view text);

/// The tree of one JSON value of any kind (json::parse's reader): objects keep their keys in document order
/// (a repeated key keeps its first place and its last value), integers are Int64 (UInt64 above INT64_MAX),
/// other numbers double. Nothing, and `error` says why, when `text` is not one valid JSON value.
std::optional<Var> readTree(std::string_view text, std::string& error);

/// `text` without the JSON whitespace around it.
std::string_view trimWhitespace(std::string_view text);

} // namespace openclaw::json
