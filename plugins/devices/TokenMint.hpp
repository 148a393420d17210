// Device tokens without storing them: a token is HMAC-SHA256(the gateway's secret, "<device
// id>|<role>|<generation>") in base64url (43 characters, the reference's length), so the same token is handed
// again on every connect until a rotation or revocation bumps the generation. OpenSSL: built into
// devices-core.so.
#pragma once

#include <string>

namespace openclaw::devices {

/// The token of one device's role at one generation.
std::string mintToken(const std::string& secret, const std::string& deviceId, const std::string& role,
                      unsigned generation);
/// `n` bytes from the system's random source (throws when it fails).
std::string randomBytes(size_t n);
/// Equal, in time that does not depend on where they differ.
bool sameSecret(const std::string& a, const std::string& b);

} // namespace openclaw::devices
