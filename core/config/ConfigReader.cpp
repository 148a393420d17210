#include "config/ConfigReader.h"

#include "config/Paths.h"
#include "files/AtomicFile.h"

namespace openclaw::config {

std::optional<std::string> Reader::secret(const std::string& path, const Environment& env,
                                          const std::string& home) const {
    json::Var v = at(path);
    if (v.isEmpty()) return std::nullopt;
    if (json::isString(v)) return v.convert<std::string>();
    json::ObjectPtr ref = json::asObject(v);
    if (!ref) throw error(path, "expected a string or a SecretRef object, got " + json::typeName(v));
    auto source = json::getString(ref, "source");
    auto id = json::getString(ref, "id");
    if (!source || !id) throw error(path, "a SecretRef needs \"source\" and \"id\"");
    if (*source == "env") {
        auto value = env.get(*id);
        if (!value) throw error(path, "SecretRef env:" + *id + " is not set (fails closed)");
        return value;
    }
    if (*source == "file") {
        std::optional<std::string> text = files::readWholeFile(expandHome(*id, home));
        if (!text) throw error(path, "SecretRef file " + *id + " cannot be read");
        std::string s = std::move(*text);
        while (!s.empty() && (s.back() == '\n' || s.back() == '\r'))
            s.pop_back();
        return s;
    }
    throw error(path, "SecretRef source \"" + *source + "\" is not supported (use \"env\" or \"file\")");
}

} // namespace openclaw::config
