#include "config/YamlParser.h"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstdlib>
#include <regex>

namespace openclaw::config {

namespace {

Position positionOf(const YAML::Node& n) {
    YAML::Mark m = n.Mark();
    if (m.line < 0) return {};
    return {m.line + 1, m.column + 1};
}

json::Var scalar(const YAML::Node& n) {
    const std::string& s = n.Scalar();
    if (n.Tag() == "!") return s; // quoted: always a string
    static const std::regex kInt("^[-+]?[0-9]+$");
    static const std::regex kHex("^0x[0-9a-fA-F]+$");
    static const std::regex kFloat("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$");
    if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return json::Var();
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
    if (std::regex_match(s, kInt)) {
        errno = 0;
        long long v = std::strtoll(s.c_str(), nullptr, 10);
        if (errno == 0) return static_cast<Poco::Int64>(v);
    }
    if (std::regex_match(s, kHex)) return static_cast<Poco::Int64>(std::strtoll(s.c_str() + 2, nullptr, 16));
    if (std::regex_match(s, kFloat)) return std::strtod(s.c_str(), nullptr);
    return s;
}

json::Var convert(const YAML::Node& n, const std::string& path, Document& doc, int depth) {
    if (depth > 256) throw ConfigError(doc.file, positionOf(n), path, "nesting deeper than 256 levels");
    doc.positions[path] = positionOf(n);
    switch (n.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
        return json::Var();
    case YAML::NodeType::Scalar:
        return scalar(n);
    case YAML::NodeType::Sequence: {
        json::ArrayPtr a = json::makeArray();
        for (const YAML::Node& item : n)
            a->add(convert(item, indexPath(path, a->size()), doc, depth + 1));
        return a;
    }
    case YAML::NodeType::Map: {
        json::ObjectPtr o = json::makeObject();
        for (const auto& kv : n) {
            if (!kv.first.IsScalar())
                throw ConfigError(doc.file, positionOf(kv.first), path, "mapping keys must be plain strings");
            std::string key = kv.first.Scalar();
            if (o->has(key))
                throw ConfigError(doc.file, positionOf(kv.first), path, "duplicate key '" + key + "'");
            o->set(key, convert(kv.second, childPath(path, key), doc, depth + 1));
        }
        return o;
    }
    }
    return json::Var();
}

} // namespace

Document parseYaml(const std::string& text, const std::string& file) {
    Document doc;
    doc.file = file;
    try {
        YAML::Node root = YAML::Load(text);
        doc.root = convert(root, "", doc, 0);
    } catch (const YAML::Exception& e) {
        Position pos = e.mark.line >= 0 ? Position{e.mark.line + 1, e.mark.column + 1} : Position{};
        throw ConfigError(file, pos, "", e.msg);
    }
    if (doc.root.isEmpty()) doc.root = json::makeObject(); // an empty file is an empty config
    return doc;
}

} // namespace openclaw::config
