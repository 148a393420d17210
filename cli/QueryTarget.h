// Which gateway a query command (health, call, events) talks to, and with what credentials: --url/--port/
// --token/--password/--timeout/--tls-fingerprint over config and environment, through an SSH tunnel when
// gateway.mode is remote over SSH.
#pragma once

#include "Args.h"
#include "Context.h"

#include "client/Query.h"
#include "report/SshTunnel.h"

#include <memory>

namespace openclaw::cli {

/// An explicit URL never picks up credentials from config or environment: --url needs its own (else exit 1
/// with the reference's message).
void requireCredentialsWithUrl(const Args& args, const std::string& configPath);

/// The target; with gateway.mode remote over SSH, `tunnel` is opened and the target goes through it.
client::QueryTarget resolveTarget(const Context& ctx, const Args& args,
                                  std::unique_ptr<report::TunnelSession>& tunnel);

} // namespace openclaw::cli
