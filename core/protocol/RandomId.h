// Random identifiers for the wire: connection ids, challenge nonces, boot ids, request ids.
#pragma once

#include <string>

namespace openclaw::protocol {

/// A random (version 4) UUID in its 36-character text form, from the kernel's getrandom(2) (one system call
/// per 16 ids on a thread, no file opened; every connect asks for two).
std::string randomUuid();

} // namespace openclaw::protocol
