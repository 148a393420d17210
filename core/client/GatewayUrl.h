// Gateway URLs as operators type them.
#pragma once

#include <string>

namespace openclaw::client {

/// http:// becomes ws:// and https:// becomes wss://, as the reference CLI accepts them; anything else
/// is returned as it is (the connection says what is wrong with it).
inline std::string normalizeGatewayUrl(const std::string& url) {
    if (url.rfind("http://", 0) == 0) return "ws://" + url.substr(7);
    if (url.rfind("https://", 0) == 0) return "wss://" + url.substr(8);
    return url;
}

} // namespace openclaw::client
