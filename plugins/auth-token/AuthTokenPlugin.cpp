// auth-token: serves gateway.auth.mode "token" (connect.params.auth.token).
#include "../common/SharedSecretAuth.hpp"

namespace {

const openclaw::auth::SecretKind kToken = {
    "token",
    "token",
    "OPENCLAW_GATEWAY_TOKEN",
    "AUTH_TOKEN_MISMATCH",
    "token_mismatch",
    "unauthorized: gateway token mismatch (use this gateway's gateway.auth.token or pair the device)"};

class AuthTokenPlugin : public openclaw::auth::SharedSecretAuth {
  public:
    explicit AuthTokenPlugin(openclaw::Host host) : SharedSecretAuth(host, kToken) {}
};

} // namespace

OPENCLAW_AUTH_PLUGIN(AuthTokenPlugin, "auth-token", "Token auth", "0.1.0", 0, "token")
