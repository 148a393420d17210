// The checks of a method's params, worded as the reference's schema validator words them ("invalid <method>
// params: at root: unexpected property 'x'", "must have required property 'x'", "at /x: must be string"): the
// params of device.*, node.* and the node relay are closed objects.
#pragma once

#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

namespace openclaw::devices {

/// Throws RpcError INVALID_REQUEST with `message`.
[[noreturn]] void invalidRequest(const std::string& message);

/// Refuses a key not in `allowed`.
void closedParams(const std::string& method, const Poco::JSON::Object::Ptr& p,
                  const std::vector<std::string>& allowed);

/// How a required string parameter may be.
enum class Text {
    Any,          ///< any string ("must be string")
    NonEmpty,     ///< "must be string", then "must NOT have fewer than 1 characters"
    NonEmptyOnce, ///< one message for both: "must be a non-empty string"
};

/// The required string parameter `key`.
std::string requiredString(const std::string& method, const Poco::JSON::Object::Ptr& p,
                           const std::string& key, Text kind);

} // namespace openclaw::devices
