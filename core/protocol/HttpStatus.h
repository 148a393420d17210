// The reason phrase of an HTTP status code, for the responses the gateway and its plugins' routes write.
#pragma once

namespace openclaw::protocol {

/// "OK" for 200, "Not Found" for 404, …; "Unknown" for a code without a registered phrase.
const char* httpReason(int status);

} // namespace openclaw::protocol
