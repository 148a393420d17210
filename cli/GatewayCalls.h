// The calls a pairing command (`devices`, `nodes`) makes to its gateway: each on a connection of its own with
// the scopes it needs, as the reference's CLI does; failures reported in the reference's words.
#pragma once

#include "Args.h"
#include "Context.h"

#include "client/GatewayError.h"
#include "client/Query.h"
#include "report/SshTunnel.h"

#include <memory>
#include <string>
#include <vector>

namespace openclaw::cli {

/// The options every `devices` and `nodes` command takes.
std::vector<OptionSpec> pairingOptions(std::vector<OptionSpec> own, bool withPassword);

class GatewayCalls {
  public:
    /// Resolves the gateway as the query commands do (--url/--token/--password/--timeout over config).
    GatewayCalls(const Context& ctx, const Args& args);
    /// Calls `method`; returns its payload or throws client::GatewayError.
    json::Var call(const std::string& method, const json::Var& params, std::vector<std::string> scopes);

  private:
    std::unique_ptr<report::TunnelSession> tunnel_;
    client::QueryTarget target_;
};

/// A failed command, as the reference prints it ("[openclaw] Reason: …" on stderr; with `jsonOnStdout`, also
/// {"ok":false,"error":{"type":"cli_error","message"}} on stdout, as its `nodes` commands do). Returns 1.
int commandFailed(const std::string& reason, bool jsonOnStdout);

/// "Reuse the same connection option(s) when rerunning: --url, --token." for the flags given; "" without.
std::string connectionReminder(const Args& args);

/// "openclaw <group> approve <requestId>" (with --timeout when one other than 10000 was given).
std::string approveCommand(const std::string& group, const std::string& requestId, const Args& args);

/// A JSON value printed as the reference prints it (two-space indent).
void printJson(const json::Var& value);

} // namespace openclaw::cli
