// What an auth or admission plugin answered for one connect step, read without a tree: most connects are
// decided by a flag of it (`ok`, `defer`, `pass`), and only a refusal or an admission with facts needs more.
#pragma once

#include <optional>
#include <string>

namespace openclaw::server {

/// The flags of a connect step's answer.
struct StepFlags {
    bool ok = false;    ///< the credentials are good / the connect is admitted
    bool defer = false; ///< not this plugin's to decide (auth overlay), or ask again on a worker (admission)
    bool pass = false;  ///< an admission plugin lets the next one decide
};

/// The flags of `answer`; nothing when it is not one JSON object. A flag is true only when its member is the
/// boolean true (the last one, when repeated), as json::getBool reads a tree of it.
std::optional<StepFlags> readStepFlags(const std::string& answer);

} // namespace openclaw::server
