// simdjson On-Demand over this thread's reader: for a pure reader elsewhere (the connect params) that walks
// one small document its own way, with the parser and padded buffer the request path already keeps.
#pragma once

#include <simdjson.h>

#include <functional>
#include <string_view>

namespace openclaw::json {

/// Parses `text` as one document with this thread's On-Demand parser and runs `read` on it; the first error
/// of the two, or SUCCESS. The document, and every view read from it, lives only during `read`, which must
/// not read another document on this thread. On-Demand checks only what `read` walks: run it on text that is
/// already known to be valid JSON (isValid, or a frame's params as parseFrame leaves them).
simdjson::error_code
readDocument(std::string_view text,
             const std::function<simdjson::error_code(simdjson::ondemand::document&)>& read);

} // namespace openclaw::json
