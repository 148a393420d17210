#include "config/Json5Parser.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace openclaw::config {

namespace {

constexpr int kMaxDepth = 256;

class Parser {
  public:
    Parser(const std::string& text, const std::string& file) : s_(text), file_(file) {}

    Document run() {
        doc_.file = file_;
        skipSpace();
        if (atEnd()) fail("empty document: expected a JSON5 value");
        doc_.root = value("", 0);
        skipSpace();
        if (!atEnd()) fail(std::string("unexpected '") + cur() + "' after the end of the document");
        return std::move(doc_);
    }

  private:
    const std::string& s_;
    const std::string& file_;
    size_t i_ = 0;
    int line_ = 1;
    int col_ = 1;
    Document doc_;

    bool atEnd() const { return i_ >= s_.size(); }
    char cur() const { return atEnd() ? '\0' : s_[i_]; }
    char peek(size_t n = 1) const { return i_ + n < s_.size() ? s_[i_ + n] : '\0'; }
    Position here() const { return {line_, col_, {}, i_}; }

    void advance() {
        if (atEnd()) return;
        if (s_[i_] == '\n') {
            ++line_;
            col_ = 1;
        } else if ((static_cast<unsigned char>(s_[i_]) & 0xC0) != 0x80) {
            ++col_; // count UTF-8 code points, not bytes
        }
        ++i_;
    }

    [[noreturn]] void fail(const std::string& msg, Position at = {}) const {
        throw ConfigError(file_, at.line ? at : here(), "", msg);
    }

    void skipSpace() {
        while (!atEnd()) {
            char c = cur();
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
                advance();
            } else if (static_cast<unsigned char>(c) == 0xC2 && static_cast<unsigned char>(peek()) == 0xA0) {
                advance(); // U+00A0 no-break space
                advance();
            } else if (static_cast<unsigned char>(c) == 0xEF && static_cast<unsigned char>(peek()) == 0xBB &&
                       static_cast<unsigned char>(peek(2)) == 0xBF) {
                advance(); // byte-order mark
                advance();
                advance();
            } else if (c == '/' && peek() == '/') {
                while (!atEnd() && cur() != '\n')
                    advance();
            } else if (c == '/' && peek() == '*') {
                Position start = here();
                advance();
                advance();
                while (!(cur() == '*' && peek() == '/')) {
                    if (atEnd()) fail("unterminated /* comment", start);
                    advance();
                }
                advance();
                advance();
            } else {
                break;
            }
        }
    }

    json::Var value(const std::string& path, int depth) {
        if (depth > kMaxDepth) fail("nesting deeper than 256 levels");
        doc_.positions[path] = here();
        char c = cur();
        if (c == '{') return object(path, depth);
        if (c == '[') return array(path, depth);
        if (c == '"' || c == '\'') return string();
        if (c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9')) return number();
        if (isIdentStart(c)) {
            Position at = here();
            std::string word = identifier();
            if (word == "true") return true;
            if (word == "false") return false;
            if (word == "null") return json::Var();
            if (word == "Infinity") return std::numeric_limits<double>::infinity();
            if (word == "NaN") return std::numeric_limits<double>::quiet_NaN();
            fail("unexpected word '" + word + "' (strings must be quoted)", at);
        }
        if (atEnd()) fail("unexpected end of input: expected a value");
        fail(std::string("unexpected '") + c + "': expected a value");
    }

    json::Var object(const std::string& path, int depth) {
        Position open = here();
        advance(); // {
        json::ObjectPtr obj = json::makeObject();
        while (true) {
            skipSpace();
            if (atEnd()) fail("unterminated object (missing '}')", open);
            if (cur() == '}') {
                advance();
                return obj;
            }
            Position keyPos = here();
            std::string key;
            if (cur() == '"' || cur() == '\'')
                key = string();
            else if (isIdentStart(cur()))
                key = identifier();
            else
                fail(std::string("unexpected '") + cur() + "': expected a key or '}'");
            skipSpace();
            if (cur() != ':') fail("expected ':' after key '" + key + "'");
            advance();
            skipSpace();
            std::string childKey = childPath(path, key);
            if (obj->has(key)) fail("duplicate key '" + key + "'", keyPos);
            obj->set(key, value(childKey, depth + 1));
            skipSpace();
            if (cur() == ',') {
                advance();
            } else if (cur() != '}') {
                if (atEnd()) fail("unterminated object (missing '}')", open);
                fail(std::string("unexpected '") + cur() + "': expected ',' or '}'");
            }
        }
    }

    json::Var array(const std::string& path, int depth) {
        Position open = here();
        advance(); // [
        json::ArrayPtr arr = json::makeArray();
        while (true) {
            skipSpace();
            if (atEnd()) fail("unterminated array (missing ']')", open);
            if (cur() == ']') {
                advance();
                return arr;
            }
            arr->add(value(indexPath(path, arr->size()), depth + 1));
            skipSpace();
            if (cur() == ',') {
                advance();
            } else if (cur() != ']') {
                if (atEnd()) fail("unterminated array (missing ']')", open);
                fail(std::string("unexpected '") + cur() + "': expected ',' or ']'");
            }
        }
    }

    static bool isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' ||
               (static_cast<unsigned char>(c) >= 0x80);
    }
    static bool isIdentPart(char c) { return isIdentStart(c) || (c >= '0' && c <= '9'); }

    std::string identifier() {
        std::string out;
        while (!atEnd() && isIdentPart(cur())) {
            out += cur();
            advance();
        }
        return out;
    }

    static void appendUtf8(std::string& out, unsigned cp) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }

    unsigned hexDigits(int n) {
        unsigned v = 0;
        for (int k = 0; k < n; ++k) {
            char c = cur();
            unsigned d;
            if (c >= '0' && c <= '9')
                d = static_cast<unsigned>(c - '0');
            else if (c >= 'a' && c <= 'f')
                d = static_cast<unsigned>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                d = static_cast<unsigned>(c - 'A' + 10);
            else
                fail("invalid hex digit in escape");
            v = v * 16 + d;
            advance();
        }
        return v;
    }

    std::string string() {
        const Position open = here();
        const char quote = cur();
        advance();
        std::string out;
        while (true) {
            if (atEnd()) fail("unterminated string", open);
            const char c = cur();
            if (c == quote) {
                advance();
                return out;
            }
            if (c == '\n' || c == '\r') fail("line break inside a string (escape it with \\)", open);
            advance();
            if (c == '\\')
                escape(out, open);
            else
                out += c;
        }
    }

    /// One escape, the backslash already read.
    void escape(std::string& out, const Position& open) {
        const char e = cur();
        if (const char simple = simpleEscape(e)) {
            out += simple;
            advance();
            return;
        }
        switch (e) {
        case '0':
            if (peek() >= '0' && peek() <= '9') fail("octal escapes are not allowed");
            out += '\0';
            advance();
            return;
        case 'x':
            advance();
            appendUtf8(out, hexDigits(2));
            return;
        case 'u':
            advance();
            appendUtf8(out, unicodeEscape());
            return;
        case '\r': // line continuation
            advance();
            if (cur() == '\n') advance();
            return;
        case '\n':
            advance();
            return;
        case '\0':
            if (atEnd()) fail("unterminated string", open);
            break;
        default:
            if (e >= '1' && e <= '9') fail("octal escapes are not allowed");
        }
        out += e; // any other character stands for itself
        advance();
    }

    static char simpleEscape(char e) {
        switch (e) {
        case 'n':
            return '\n';
        case 't':
            return '\t';
        case 'r':
            return '\r';
        case 'b':
            return '\b';
        case 'f':
            return '\f';
        case 'v':
            return '\v';
        default:
            return 0;
        }
    }

    /// The code point of \uXXXX (after the `u`), joined with a following low surrogate \uXXXX.
    unsigned unicodeEscape() {
        unsigned cp = hexDigits(4);
        if (cp >= 0xD800 && cp <= 0xDBFF && cur() == '\\' && peek() == 'u') {
            advance();
            advance();
            const unsigned lo = hexDigits(4);
            if (lo >= 0xDC00 && lo <= 0xDFFF) cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        }
        return cp;
    }

    json::Var number() {
        const Position start = here();
        const size_t begin = i_;
        bool negative = false;
        if (cur() == '+' || cur() == '-') {
            negative = cur() == '-';
            advance();
        }
        if (isIdentStart(cur())) return namedNumber(negative, start);
        if (cur() == '0' && (peek() == 'x' || peek() == 'X')) return hexNumber(negative, start);
        const bool isFloat = decimalDigits(start);
        if (isIdentStart(cur())) fail("invalid character in number", start);
        std::string text = s_.substr(begin, i_ - begin);
        if (text[0] == '+') text.erase(0, 1);
        if (!isFloat) {
            errno = 0;
            char* end = nullptr;
            const long long v = std::strtoll(text.c_str(), &end, 10);
            if (errno == 0) return static_cast<Poco::Int64>(v);
        }
        return std::strtod(text.c_str(), nullptr);
    }

    /// Infinity or NaN (after the sign).
    json::Var namedNumber(bool negative, const Position& start) {
        const std::string word = identifier();
        if (word == "Infinity")
            return negative ? -std::numeric_limits<double>::infinity()
                            : std::numeric_limits<double>::infinity();
        if (word == "NaN") return std::numeric_limits<double>::quiet_NaN();
        fail("invalid number", start);
    }

    /// 0x… (after the sign).
    json::Var hexNumber(bool negative, const Position& start) {
        advance();
        advance();
        const size_t digits = i_;
        while (std::isxdigit(static_cast<unsigned char>(cur())))
            advance();
        if (i_ == digits) fail("invalid hex number", start);
        const std::string hex = s_.substr(digits, i_ - digits);
        if (hex.size() > 15) fail("hex number too large", start);
        const long long v = std::stoll(hex, nullptr, 16);
        return static_cast<Poco::Int64>(negative ? -v : v);
    }

    /// Reads the digits, fraction and exponent of a decimal number; true when it has a fraction or exponent.
    bool decimalDigits(const Position& start) {
        bool isFloat = false;
        const size_t intDigits = skipDigits();
        size_t fracDigits = 0;
        if (cur() == '.') {
            isFloat = true;
            advance();
            fracDigits = skipDigits();
        }
        if (intDigits == 0 && fracDigits == 0) fail("invalid number", start);
        if (cur() == 'e' || cur() == 'E') {
            isFloat = true;
            advance();
            if (cur() == '+' || cur() == '-') advance();
            if (skipDigits() == 0) fail("invalid exponent in number", start);
        }
        return isFloat;
    }

    size_t skipDigits() {
        size_t n = 0;
        for (; cur() >= '0' && cur() <= '9'; ++n)
            advance();
        return n;
    }
};

} // namespace

Document parseJson5(const std::string& text, const std::string& file) {
    return Parser(text, file).run();
}

} // namespace openclaw::config
