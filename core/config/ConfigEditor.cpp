#include "config/ConfigEditor.h"

#include "config/Document.h"
#include "config/Json5Parser.h"

#include <cctype>

namespace openclaw::config {

namespace {

bool isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/// Past whitespace and comments from i.
size_t skipBlank(const std::string& t, size_t i) {
    while (i < t.size()) {
        if (isSpace(t[i])) {
            ++i;
        } else if (t.compare(i, 2, "//") == 0) {
            while (i < t.size() && t[i] != '\n')
                ++i;
        } else if (t.compare(i, 2, "/*") == 0) {
            size_t end = t.find("*/", i + 2);
            i = end == std::string::npos ? t.size() : end + 2;
        } else {
            break;
        }
    }
    return i;
}

/// Past a quoted string starting at i (the quote).
size_t skipString(const std::string& t, size_t i) {
    const char quote = t[i++];
    while (i < t.size() && t[i] != quote)
        i += t[i] == '\\' ? 2 : 1;
    return i + 1;
}

/// Past the value starting at i (the parser's recorded offset): a string, a bracketed value, or a scalar.
size_t valueEnd(const std::string& t, size_t i) {
    if (i >= t.size()) return i;
    if (t[i] == '"' || t[i] == '\'') return skipString(t, i);
    if (t[i] == '{' || t[i] == '[') {
        int depth = 0;
        while (i < t.size()) {
            const size_t next = skipBlank(t, i);
            if (next != i) {
                i = next;
                continue;
            }
            const char c = t[i];
            if (c == '"' || c == '\'') {
                i = skipString(t, i);
                continue;
            }
            if (c == '{' || c == '[') ++depth;
            if (c == '}' || c == ']') --depth;
            ++i;
            if (depth == 0) return i;
        }
        return i;
    }
    while (i < t.size() && !isSpace(t[i]) && t[i] != ',' && t[i] != '}' && t[i] != ']' &&
           t.compare(i, 2, "//") != 0 && t.compare(i, 2, "/*") != 0)
        ++i;
    return i;
}

/// The last character before i that is not whitespace or inside a comment (npos when none).
size_t lastSignificantBefore(const std::string& t, size_t open, size_t i) {
    size_t last = std::string::npos;
    for (size_t k = skipBlank(t, open + 1); k < i; k = skipBlank(t, k)) {
        if (t[k] == '"' || t[k] == '\'') {
            k = skipString(t, k);
            last = k - 1;
            continue;
        }
        last = k++;
    }
    return last;
}

bool isIdentifier(const std::string& key) {
    if (key.empty() || std::isdigit(static_cast<unsigned char>(key[0]))) return false;
    for (char c : key)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '$') return false;
    return true;
}

std::string renderKey(const std::string& key) {
    if (isIdentifier(key)) return key;
    std::string quoted;
    json::appendQuoted(quoted, key);
    return quoted;
}

std::vector<std::string> splitPath(const std::string& path) {
    std::vector<std::string> parts;
    size_t start = 0;
    for (size_t dot = path.find('.'); dot != std::string::npos; dot = path.find('.', start)) {
        parts.push_back(path.substr(start, dot - start));
        start = dot + 1;
    }
    parts.push_back(path.substr(start));
    return parts;
}

/// The leading whitespace of the line holding offset i.
std::string indentOf(const std::string& t, size_t i) {
    size_t lineStart = t.rfind('\n', i == 0 ? 0 : i - 1);
    lineStart = lineStart == std::string::npos ? 0 : lineStart + 1;
    size_t k = lineStart;
    while (k < t.size() && (t[k] == ' ' || t[k] == '\t'))
        ++k;
    return t.substr(lineStart, k - lineStart);
}

/// Inserts `key: value` as the last member of the object whose '{' is at `open`.
std::string insertMember(const std::string& t, size_t open, const std::string& key, const json::Var& value) {
    const size_t close = valueEnd(t, open) - 1;
    const size_t last = lastSignificantBefore(t, open, close);
    const bool empty = last == std::string::npos;
    const bool oneLine = t.find('\n', open) > close;
    const std::string member = renderKey(key) + ": " + renderJson5(value);
    if (oneLine) {
        if (empty) return t.substr(0, open + 1) + " " + member + " " + t.substr(close);
        const bool comma = t[last] == ',';
        return t.substr(0, last + 1) + (comma ? " " : ", ") + member + t.substr(last + 1);
    }
    if (empty) {
        const std::string indent = indentOf(t, open) + "  ";
        return t.substr(0, open + 1) + "\n" + indent + member + t.substr(open + 1);
    }
    const std::string indent = indentOf(t, last);
    const bool comma = t[last] == ',';
    // After a comment that ends the last member's line, not before it.
    size_t at = last + 1;
    const size_t eol = t.find('\n', at);
    if (eol != std::string::npos && eol < close && skipBlank(t, at) > eol) at = eol;
    // A file that ends members with a comma gets one after the new member too.
    return t.substr(0, last + 1) + (comma ? "" : ",") + t.substr(last + 1, at - last - 1) + "\n" + indent +
           member + (comma ? "," : "") + t.substr(at);
}

Document parseObject(const std::string& text, const std::string& file) {
    Document doc = parseJson5(text, file);
    if (!json::asObject(doc.root))
        throw doc.error("", "the config file must hold an object at the top level");
    return doc;
}

} // namespace

std::string renderJson5(const json::Var& value) {
    if (json::ObjectPtr o = json::asObject(value)) {
        std::string out = "{";
        bool first = true;
        for (const auto& k : o->getNames()) {
            out += std::string(first ? " " : ", ") + renderKey(k) + ": " + renderJson5(o->get(k));
            first = false;
        }
        return out + (first ? "}" : " }");
    }
    if (json::ArrayPtr a = json::asArray(value)) {
        std::string out = "[";
        for (size_t i = 0; i < a->size(); ++i)
            out += (i ? ", " : "") + renderJson5(a->get(static_cast<unsigned>(i)));
        return out + "]";
    }
    return json::stringify(value);
}

std::string setConfigValue(const std::string& text, const std::string& file, const std::string& path,
                           const json::Var& value) {
    Document doc = parseObject(text, file);
    const std::vector<std::string> parts = splitPath(path);
    // The deepest object on the path that exists.
    json::ObjectPtr node = json::asObject(doc.root);
    std::string at;
    size_t depth = 0;
    for (; depth < parts.size(); ++depth) {
        if (!node->has(parts[depth])) break;
        const std::string child = at.empty() ? parts[depth] : at + "." + parts[depth];
        if (depth + 1 == parts.size()) {
            const size_t start = doc.positions.at(child).offset;
            return text.substr(0, start) + renderJson5(value) + text.substr(valueEnd(text, start));
        }
        node = json::asObject(node->get(parts[depth]));
        if (!node) throw doc.error(child, "is not an object, so " + path + " cannot be set inside it");
        at = child;
    }
    // Build what is missing below `at`, innermost first, and insert it there.
    json::Var inner = value;
    for (size_t k = parts.size() - 1; k > depth; --k) {
        json::ObjectPtr wrap = json::makeObject();
        wrap->set(parts[k], inner);
        inner = wrap;
    }
    const size_t open = at.empty() ? skipBlank(text, 0) : doc.positions.at(at).offset;
    return insertMember(text, open, parts[depth], inner);
}

std::string unsetConfigValue(const std::string& text, const std::string& file, const std::string& path) {
    Document doc = parseObject(text, file);
    auto it = doc.positions.find(path);
    if (it == doc.positions.end()) return text;
    const size_t start = it->second.offset;
    const size_t end = valueEnd(text, start);
    // Back from the value over the colon to the key's first character.
    size_t k = text.rfind(':', start);
    if (k == std::string::npos) return text;
    while (k > 0 && isSpace(text[k - 1]))
        --k;
    size_t keyStart = k;
    if (keyStart > 0 && (text[keyStart - 1] == '"' || text[keyStart - 1] == '\'')) {
        const char quote = text[keyStart - 1];
        keyStart = text.rfind(quote, keyStart - 2);
    } else {
        while (keyStart > 0 && (std::isalnum(static_cast<unsigned char>(text[keyStart - 1])) ||
                                text[keyStart - 1] == '_' || text[keyStart - 1] == '$'))
            --keyStart;
    }
    // The member goes with its own comma, or the one before it when it was the last member.
    size_t cut = end;
    const size_t after = skipBlank(text, end);
    if (after < text.size() && text[after] == ',') {
        cut = after + 1;
        while (cut < text.size() && text[cut] == ' ' && keyStart > 0 && text[keyStart - 1] == ' ')
            ++cut; // `{ a: 1, b: 2 }` without a: `{ b: 2 }`
    } else {
        size_t before = keyStart;
        while (before > 0 && isSpace(text[before - 1]))
            --before;
        if (before > 0 && text[before - 1] == ',') keyStart = before - 1;
    }
    std::string out = text.substr(0, keyStart) + text.substr(cut);
    // A line left blank by the removal goes too.
    size_t lineStart = out.rfind('\n', keyStart == 0 ? 0 : keyStart - 1);
    lineStart = lineStart == std::string::npos ? 0 : lineStart + 1;
    size_t lineEnd = out.find('\n', keyStart);
    if (lineEnd != std::string::npos) {
        bool blank = true;
        for (size_t i = lineStart; i < lineEnd && blank; ++i)
            blank = out[i] == ' ' || out[i] == '\t';
        if (blank) out.erase(lineStart, lineEnd - lineStart + 1);
    }
    return out;
}

} // namespace openclaw::config
