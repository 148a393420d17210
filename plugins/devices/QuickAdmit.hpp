// The devices plugin's answer for the common connect, read without a tree: most connects carry no device
// and need none, and the admission step is asked for every connect on the connection's thread.
#pragma once

#include <optional>
#include <string>

namespace openclaw::devices {

/// `{"pass":true}` for an admission request whose connect carries no device (no `device` object) and needs
/// none: any role but "node", or a node whose shared credentials were refused (that refusal stands).
/// Nothing when Devices::admit must read the request (a device, a node without one, anything unexpected):
/// the same verdict as Devices::admit whenever it answers (a repeated key: the last one, as in a tree).
std::optional<std::string> passWithoutDevice(const std::string& requestJson);

} // namespace openclaw::devices
