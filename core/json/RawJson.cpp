#include "json/RawJson.h"

#include "json/OnDemand.h"

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

error_code readValue(od::value v, int depth, Var* out);

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
    const error_code checked =
        m.kind == RawKind::String ? v.get_string().get(m.text) : readValue(v, 1, nullptr);
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

/// Runs `read` over `text` (with `before` and `after` around it) with this thread's parser, or a parser of
/// its own for a large document; the first error, of the parser or of `read`.
template <typename Read>
error_code withDocument(std::string_view text, std::string_view before, std::string_view after, Read read) {
    Reader& r = threadReader();
    const std::string_view input = r.input.load(text, before, after);
    od::parser own;
    od::parser& parser = input.size() > kKeptCapacity ? own : r.parser;
    od::document doc;
    error_code failed = parser.iterate(input.data(), input.size(), r.input.capacity()).get(doc);
    if (!failed) failed = read(doc, r);
    r.input.release();
    return failed;
}

/// A number as json::parse has always typed it: an integer (no fraction, no exponent) is Int64, or UInt64
/// above INT64_MAX; anything else a double. Out of range is an error (POCO wrapped or clamped those).
error_code numberValue(od::value v, Var* out) {
    const std::string_view token = trimWhitespace(v.raw_json_token());
    if (token.find_first_of(".eE") == std::string_view::npos) {
        if (token.front() == '-') {
            int64_t i = 0;
            SIMDJSON_TRY(v.get_int64().get(i));
            if (out) *out = static_cast<Poco::Int64>(i);
            return simdjson::SUCCESS;
        }
        uint64_t u = 0;
        SIMDJSON_TRY(v.get_uint64().get(u));
        if (!out) return simdjson::SUCCESS;
        if (u <= static_cast<uint64_t>(INT64_MAX))
            *out = static_cast<Poco::Int64>(u);
        else
            *out = static_cast<Poco::UInt64>(u);
        return simdjson::SUCCESS;
    }
    double d = 0;
    SIMDJSON_TRY(v.get_double().get(d));
    if (out) *out = d;
    return simdjson::SUCCESS;
}

error_code readObjectValue(od::value v, int depth, Var* out) {
    if (depth > kMaxDepth) return simdjson::DEPTH_ERROR;
    od::object o;
    SIMDJSON_TRY(v.get_object().get(o));
    ObjectPtr tree = out ? makeObject() : nullptr;
    for (auto member : o) {
        od::field f;
        SIMDJSON_TRY(std::move(member).get(f));
        std::string_view key;
        SIMDJSON_TRY(f.unescaped_key().get(key)); // checks the key's escapes
        if (!out) {
            SIMDJSON_TRY(readValue(f.value(), depth, nullptr));
            continue;
        }
        const std::string name(key); // the key's view dies with the next string read
        Var child;
        SIMDJSON_TRY(readValue(f.value(), depth, &child));
        tree->set(name, child); // a repeated key keeps its first place and its last value, as before
    }
    if (out) *out = tree;
    return simdjson::SUCCESS;
}

error_code readArrayValue(od::value v, int depth, Var* out) {
    if (depth > kMaxDepth) return simdjson::DEPTH_ERROR;
    od::array a;
    SIMDJSON_TRY(v.get_array().get(a));
    ArrayPtr tree = out ? makeArray() : nullptr;
    for (auto element : a) {
        od::value e;
        SIMDJSON_TRY(element.get(e));
        Var child;
        SIMDJSON_TRY(readValue(e, depth, out ? &child : nullptr));
        if (out) tree->add(child);
    }
    if (out) *out = tree;
    return simdjson::SUCCESS;
}

/// Reads one value and everything in it, as strictly as json::parse: always validated, and built into `*out`
/// unless `out` is null (validation only: the request path). One reader for both, so what isValid takes
/// json::parse takes. `depth` is the nesting of the containers around the value.
error_code readValue(od::value v, int depth, Var* out) {
    od::json_type t{};
    SIMDJSON_TRY(v.type().get(t));
    switch (t) {
    case od::json_type::object:
        return readObjectValue(v, depth + 1, out);
    case od::json_type::array:
        return readArrayValue(v, depth + 1, out);
    case od::json_type::string: {
        std::string_view text;
        SIMDJSON_TRY(v.get_string().get(text));
        if (out) *out = std::string(text);
        return simdjson::SUCCESS;
    }
    case od::json_type::number:
        return numberValue(v, out);
    case od::json_type::boolean: {
        bool b = false;
        SIMDJSON_TRY(v.get_bool().get(b));
        if (out) *out = b;
        return simdjson::SUCCESS;
    }
    case od::json_type::null: {
        bool isNull = false;
        SIMDJSON_TRY(v.is_null().get(isNull));
        if (out) *out = Var();
        return isNull ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
    }
    }
    return simdjson::INCORRECT_TYPE;
}

/// Reads `text` as exactly one JSON value of any kind, into `*out` unless it is null. It is wrapped in an
/// array so a scalar document reads like any other value.
error_code readOne(std::string_view text, Var* out) {
    return withDocument(text, "[", "]", [out](od::document& doc, Reader&) {
        od::array a;
        SIMDJSON_TRY(doc.get_array().get(a));
        size_t n = 0;
        for (auto element : a) {
            od::value v;
            SIMDJSON_TRY(element.get(v));
            SIMDJSON_TRY(readValue(v, 0, n == 0 ? out : nullptr)); // a second value fails below
            ++n;
        }
        if (n == 0) return simdjson::EMPTY;
        return n > 1 || !atEnd(doc) ? simdjson::TRAILING_CONTENT : simdjson::SUCCESS;
    });
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
    // Visited inside: the views point into the input and the parser, which a large document does not keep.
    return withDocument(text, {}, {}, [&](od::document& doc, Reader& r) {
               r.members.clear();
               SIMDJSON_TRY(readMembers(doc, r.members));
               for (const RawMember& m : r.members)
                   visit(m);
               return simdjson::SUCCESS;
           }) == simdjson::SUCCESS;
}

std::optional<Var> readTree(std::string_view text, std::string& error) {
    Var tree;
    if (const error_code failed = readOne(text, &tree)) {
        error = simdjson::error_message(failed);
        return std::nullopt;
    }
    return tree;
}

simdjson::error_code readDocument(std::string_view text,
                                  const std::function<error_code(od::document&)>& read) {
    return withDocument(text, {}, {}, [&read](od::document& doc, Reader&) { return read(doc); });
}

bool isValid(std::string_view text) {
    return readOne(text, nullptr) == simdjson::SUCCESS;
}

} // namespace openclaw::json
