// Small text helpers the bundled plugins share. Plugin-side code: the standard library only, never the core
// (plugins are built against the SDK alone).
#pragma once

#include <algorithm>
#include <cctype>
#include <string>

namespace openclaw::plugin_text {

/// `s` without leading and trailing spaces, tabs, CRs and LFs.
inline std::string trimmed(const std::string& s) {
    const size_t b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

/// `s` in ASCII lower case.
inline std::string lowered(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

} // namespace openclaw::plugin_text
