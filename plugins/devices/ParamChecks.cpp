#include "ParamChecks.hpp"

#include "openclaw/plugin.hpp"

#include <algorithm>

namespace openclaw::devices {

void invalidRequest(const std::string& message) {
    throw openclaw::RpcError("INVALID_REQUEST", message);
}

void closedParams(const std::string& method, const Poco::JSON::Object::Ptr& p,
                  const std::vector<std::string>& allowed) {
    for (const std::string& k : p->getNames())
        if (std::find(allowed.begin(), allowed.end(), k) == allowed.end())
            invalidRequest("invalid " + method + " params: at root: unexpected property '" + k + "'");
}

std::string requiredString(const std::string& method, const Poco::JSON::Object::Ptr& p,
                           const std::string& key, Text kind) {
    const std::string at = "invalid " + method + " params: at /" + key + ": ";
    if (!p->has(key))
        invalidRequest("invalid " + method + " params: must have required property '" + key + "'");
    const bool isString = p->get(key).isString();
    const bool empty = isString && p->getValue<std::string>(key).empty();
    if (kind == Text::NonEmptyOnce && (!isString || empty)) invalidRequest(at + "must be a non-empty string");
    if (!isString) invalidRequest(at + "must be string");
    if (kind == Text::NonEmpty && empty) invalidRequest(at + "must NOT have fewer than 1 characters");
    return p->getValue<std::string>(key);
}

} // namespace openclaw::devices
