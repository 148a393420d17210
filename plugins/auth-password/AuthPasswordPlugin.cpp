// auth-password: serves gateway.auth.mode "password" (connect.params.auth.password).
#include "../common/SharedSecretAuth.hpp"

namespace {

const openclaw::auth::SecretKind kPassword = {
    "password",
    "password",
    "OPENCLAW_GATEWAY_PASSWORD",
    "AUTH_PASSWORD_MISMATCH",
    "password_mismatch",
    "unauthorized: gateway password mismatch (use this gateway's gateway.auth.password)"};

class AuthPasswordPlugin : public openclaw::auth::SharedSecretAuth {
  public:
    explicit AuthPasswordPlugin(openclaw::Host host) : SharedSecretAuth(host, kPassword) {}
};

} // namespace

OPENCLAW_AUTH_PLUGIN(AuthPasswordPlugin, "auth-password", "Password auth", "0.1.0", 0, "password")
