// Secrets out of what is shown: config.get, `openclaw config get`, and the ws log's request params.
#pragma once

#include "json/Json.h"

namespace openclaw::config {

/// A copy of `v` with secret-looking values (keys containing token, password, secret, apiKey, privateKey,
/// credential; strings and SecretRef objects) replaced by "__OPENCLAW_REDACTED__", as the reference does.
json::Var redactSecrets(const json::Var& v);

} // namespace openclaw::config
