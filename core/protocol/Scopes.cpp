#include "protocol/Scopes.h"

#include <algorithm>

namespace openclaw::protocol {

const std::vector<std::string>& allOperatorScopes() {
    static const std::vector<std::string> all = {scope::kAdmin,      scope::kRead,      scope::kWrite,
                                                 scope::kApprovals,  scope::kQuestions, scope::kPairing,
                                                 scope::kTalkSecrets};
    return all;
}

bool hasScope(const std::vector<std::string>& granted, const std::string& required) {
    if (required.empty()) return true;
    auto has = [&](const std::string& s) {
        return std::find(granted.begin(), granted.end(), s) != granted.end();
    };
    if (has(required) || has(scope::kAdmin)) return true;
    return required == scope::kRead && has(scope::kWrite);
}

std::vector<std::string> grantScopes(const std::vector<std::string>& requested,
                                     const std::string& clientMode) {
    std::vector<std::string> out;
    if (clientMode == "probe") return out; // the reference grants a probe no operator scope
    const auto& known = allOperatorScopes();
    for (const auto& s : requested)
        if (std::find(known.begin(), known.end(), s) != known.end() &&
            std::find(out.begin(), out.end(), s) == out.end())
            out.push_back(s);
    return out;
}

} // namespace openclaw::protocol
