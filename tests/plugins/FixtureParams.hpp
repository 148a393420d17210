// What the test fixture plugins read from flat JSON params and config (they need no JSON library).
#pragma once

#include <cstdlib>
#include <string>

namespace fixture {

/// {"key":N} in a flat JSON object, or `fallback`.
inline long intParam(const std::string& json, const std::string& key, long fallback = 0) {
    const size_t at = json.find("\"" + key + "\":");
    return at == std::string::npos ? fallback : std::strtol(json.c_str() + at + key.size() + 3, nullptr, 10);
}

/// {"key":"text"} in a flat JSON object (no escapes), or "".
inline std::string stringParam(const std::string& json, const std::string& key) {
    size_t at = json.find("\"" + key + "\":\"");
    if (at == std::string::npos) return "";
    at += key.size() + 4;
    return json.substr(at, json.find('"', at) - at);
}

} // namespace fixture
