#include "json/RawJson.h"

#include <simdjson.h>

#include <string>
#include <vector>

namespace openclaw::json {

namespace {

namespace od = simdjson::ondemand;
using simdjson::error_code;

/// Documents above this size get a parser of their own, freed after: a thread keeps buffers only for the
/// frames it meets every day.
constexpr size_t kKeptCapacity = 1 << 20;

/// simdjson reads up to SIMDJSON_PADDING bytes past the end: the text is copied into a buffer that has them
/// (one copy of a small frame costs less than keeping every caller's buffer padded).
class PaddedInput {
  public:
    std::string_view load(std::string_view text, std::string_view before = {}, std::string_view after = {}) {
        buf_.clear();
        buf_.reserve(before.size() + text.size() + after.size() + simdjson::SIMDJSON_PADDING);
        buf_.append(before).append(text).append(after);
        return buf_;
    }
    size_t capacity() const { return buf_.capacity(); }
    void release() {
        if (buf_.capacity() > kKeptCapacity) std::string().swap(buf_);
    }

  private:
    std::string buf_;
};

/// One parser and input buffer per thread, reused from one document to the next.
struct Reader {
    od::parser parser;
    PaddedInput input;
    std::vector<RawMember> members;
};

Reader& threadReader() {
    thread_local Reader reader;
    return reader;
}

RawKind kindOf(od::json_type t) {
    switch (t) {
    case od::json_type::object:
        return RawKind::Object;
    case od::json_type::array:
        return RawKind::Array;
    case od::json_type::string:
        return RawKind::String;
    case od::json_type::number:
        return RawKind::Number;
    case od::json_type::boolean:
        return RawKind::Boolean;
    case od::json_type::null:
        break;
    }
    return RawKind::Null;
}

error_code walk(od::value v, int depth);

error_code walkObject(od::value v, int depth) {
    if (depth > kMaxDepth) return simdjson::DEPTH_ERROR;
    od::object o;
    SIMDJSON_TRY(v.get_object().get(o));
    for (auto member : o) {
        od::field f;
        SIMDJSON_TRY(std::move(member).get(f));
        std::string_view key;
        SIMDJSON_TRY(f.unescaped_key().get(key)); // checks the key's escapes
        SIMDJSON_TRY(walk(f.value(), depth));
    }
    return simdjson::SUCCESS;
}

error_code walkArray(od::value v, int depth) {
    if (depth > kMaxDepth) return simdjson::DEPTH_ERROR;
    od::array a;
    SIMDJSON_TRY(v.get_array().get(a));
    for (auto element : a) {
        od::value e;
        SIMDJSON_TRY(element.get(e));
        SIMDJSON_TRY(walk(e, depth));
    }
    return simdjson::SUCCESS;
}

/// Validates one value and everything in it; `depth` is the nesting of the containers around it. Numbers
/// are parsed (not only scanned) so that what json::parse refuses (1e400, 20-digit integers) is refused here.
error_code walk(od::value v, int depth) {
    od::json_type t{};
    SIMDJSON_TRY(v.type().get(t));
    switch (t) {
    case od::json_type::object:
        return walkObject(v, depth + 1);
    case od::json_type::array:
        return walkArray(v, depth + 1);
    case od::json_type::string:
        return v.get_string().error();
    case od::json_type::number:
        return v.get_number().error();
    case od::json_type::boolean:
        return v.get_bool().error();
    case od::json_type::null: {
        bool isNull = false;
        SIMDJSON_TRY(v.is_null().get(isNull));
        return isNull ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
    }
    }
    return simdjson::INCORRECT_TYPE;
}

bool isJsonSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/// Nothing may follow the document's last value.
bool atEnd(od::document& doc) {
    const char* next = nullptr;
    return doc.current_location().get(next) == simdjson::OUT_OF_BOUNDS;
}

/// Reads one member's value: validates it and records its raw text. A container's text ends where the
/// document stands after it; a scalar's is its token.
error_code readMember(od::document& doc, od::field& f, RawMember& m) {
    SIMDJSON_TRY(f.unescaped_key().get(m.key));
    od::value v = f.value();
    od::json_type t{};
    SIMDJSON_TRY(v.type().get(t));
    m.kind = kindOf(t);
    const std::string_view token = v.raw_json_token();
    const error_code checked = m.kind == RawKind::String ? v.get_string().get(m.text) : walk(v, 1);
    if (checked != simdjson::SUCCESS) return checked;
    if (m.kind == RawKind::Object || m.kind == RawKind::Array) {
        const char* end = nullptr;
        SIMDJSON_TRY(doc.current_location().get(end));
        m.raw = trimWhitespace(std::string_view(token.data(), static_cast<size_t>(end - token.data())));
    } else {
        m.raw = trimWhitespace(token);
    }
    return simdjson::SUCCESS;
}

error_code readMembers(od::document& doc, std::vector<RawMember>& members) {
    od::object o;
    SIMDJSON_TRY(doc.get_object().get(o));
    for (auto member : o) {
        od::field f;
        SIMDJSON_TRY(std::move(member).get(f));
        RawMember m;
        SIMDJSON_TRY(readMember(doc, f, m));
        members.push_back(m);
    }
    return atEnd(doc) ? simdjson::SUCCESS : simdjson::TRAILING_CONTENT;
}

/// Runs `read` over `text` with this thread's parser, or a parser of its own for a large document.
template <typename Read>
bool withDocument(std::string_view text, std::string_view before, std::string_view after, Read read) {
    Reader& r = threadReader();
    const std::string_view input = r.input.load(text, before, after);
    od::parser own;
    od::parser& parser = input.size() > kKeptCapacity ? own : r.parser;
    od::document doc;
    bool ok = parser.iterate(input.data(), input.size(), r.input.capacity()).get(doc) == simdjson::SUCCESS &&
              read(doc, r);
    r.input.release();
    return ok;
}

/// A number as json::parse has always typed it: an integer (no fraction, no exponent) is Int64, or UInt64
/// above INT64_MAX; anything else a double. Out of range is an error (POCO wrapped or clamped those).
error_code numberValue(od::value v, Var& out) {
    const std::string_view token = trimWhitespace(v.raw_json_token());
    if (token.find_first_of(".eE") == std::string_view::npos) {
        if (token.front() == '-') {
            int64_t i = 0;
            SIMDJSON_TRY(v.get_int64().get(i));
            out = static_cast<Poco::Int64>(i);
            return simdjson::SUCCESS;
        }
        uint64_t u = 0;
        SIMDJSON_TRY(v.get_uint64().get(u));
        if (u <= static_cast<uint64_t>(INT64_MAX))
            out = static_cast<Poco::Int64>(u);
        else
            out = static_cast<Poco::UInt64>(u);
        return simdjson::SUCCESS;
    }
    double d = 0;
    SIMDJSON_TRY(v.get_double().get(d));
    out = d;
    return simdjson::SUCCESS;
}

error_code treeOf(od::value v, int depth, Var& out);

error_code objectTree(od::value v, int depth, Var& out) {
    if (depth > kMaxDepth) return simdjson::DEPTH_ERROR;
    od::object o;
    SIMDJSON_TRY(v.get_object().get(o));
    ObjectPtr tree = makeObject();
    for (auto member : o) {
        od::field f;
        SIMDJSON_TRY(std::move(member).get(f));
        std::string_view key;
        SIMDJSON_TRY(f.unescaped_key().get(key));
        const std::string name(key); // the key's view dies with the next string read
        Var child;
        SIMDJSON_TRY(treeOf(f.value(), depth, child));
        tree->set(name, child); // a repeated key keeps its first place and its last value, as before
    }
    out = tree;
    return simdjson::SUCCESS;
}

error_code arrayTree(od::value v, int depth, Var& out) {
    if (depth > kMaxDepth) return simdjson::DEPTH_ERROR;
    od::array a;
    SIMDJSON_TRY(v.get_array().get(a));
    ArrayPtr tree = makeArray();
    for (auto element : a) {
        od::value e;
        SIMDJSON_TRY(element.get(e));
        Var child;
        SIMDJSON_TRY(treeOf(e, depth, child));
        tree->add(child);
    }
    out = tree;
    return simdjson::SUCCESS;
}

error_code treeOf(od::value v, int depth, Var& out) {
    od::json_type t{};
    SIMDJSON_TRY(v.type().get(t));
    switch (t) {
    case od::json_type::object:
        return objectTree(v, depth + 1, out);
    case od::json_type::array:
        return arrayTree(v, depth + 1, out);
    case od::json_type::string: {
        std::string_view text;
        SIMDJSON_TRY(v.get_string().get(text));
        out = std::string(text);
        return simdjson::SUCCESS;
    }
    case od::json_type::number:
        return numberValue(v, out);
    case od::json_type::boolean: {
        bool b = false;
        SIMDJSON_TRY(v.get_bool().get(b));
        out = b;
        return simdjson::SUCCESS;
    }
    case od::json_type::null: {
        bool isNull = false;
        SIMDJSON_TRY(v.is_null().get(isNull));
        out = Var();
        return isNull ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
    }
    }
    return simdjson::INCORRECT_TYPE;
}

} // namespace

std::string_view trimWhitespace(std::string_view text) {
    while (!text.empty() && isJsonSpace(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && isJsonSpace(text.back()))
        text.remove_suffix(1);
    return text;
}

bool readObject(std::string_view text, const std::function<void(const RawMember&)>& visit) {
    return withDocument(text, {}, {}, [&](od::document& doc, Reader& r) {
        r.members.clear();
        if (readMembers(doc, r.members) != simdjson::SUCCESS) return false;
        for (const RawMember& m : r.members)
            visit(m);
        return true;
    });
}

std::optional<Var> readTree(std::string_view text, std::string& error) {
    std::optional<Var> tree;
    error_code failed = simdjson::SUCCESS;
    // Wrapped in an array, as isValid does, so a scalar reads like any other value.
    const bool read = withDocument(text, "[", "]", [&](od::document& doc, Reader&) {
        od::array a;
        if ((failed = doc.get_array().get(a))) return false;
        for (auto element : a) {
            od::value v;
            Var value;
            if ((failed = element.get(v)) || (failed = treeOf(v, 0, value))) return false;
            if (tree) return (failed = simdjson::TRAILING_CONTENT), false;
            tree = std::move(value);
        }
        if (!tree) return (failed = simdjson::EMPTY), false;
        return atEnd(doc) || ((failed = simdjson::TRAILING_CONTENT), false);
    });
    if (read) return tree;
    error = failed ? simdjson::error_message(failed) : "not one JSON value";
    return std::nullopt;
}

bool isValid(std::string_view text) {
    // Wrapped in an array so a scalar document reads like any other value.
    return withDocument(text, "[", "]", [](od::document& doc, Reader&) {
        od::array a;
        if (doc.get_array().get(a) != simdjson::SUCCESS) return false;
        size_t n = 0;
        for (auto element : a) {
            od::value v;
            if (element.get(v) != simdjson::SUCCESS || walk(v, 0) != simdjson::SUCCESS) return false;
            ++n;
        }
        return n == 1 && atEnd(doc);
    });
}

} // namespace openclaw::json
