// Which commands a node may offer and be asked to run (reference/nodes-and-devices.md §3.2, §3.5), and which
// operator scopes approving a node's command surface needs. Pure: the unit tests call it directly.
#pragma once

#include <set>
#include <string>
#include <vector>

namespace openclaw::devices {

/// gateway.nodes.commands.
struct CommandConfig {
    std::set<std::string> allow, deny;
};

/// The commands a node's surface may hold at all (what is offered beyond is withheld at connect): the
/// platform's defaults, desktop-host and dangerous commands, the bundled plugins' defaults, `allow`; minus
/// `deny`.
bool offerable(const std::string& command, const CommandConfig& config);

/// Whether a command may run now on a node whose approved surface holds `approved`: the platform's defaults,
/// the bundled plugins' defaults, approved desktop-host commands and `allow`; dangerous ones only when in
/// `allow`; never one in `deny`. Nothing else is consulted.
bool allowedNow(const std::string& command, const std::vector<std::string>& approved,
                const CommandConfig& config);

/// Why a command is not allowed now (the reference's words after `node command not allowed: `).
std::string notAllowedWhy(const std::string& command, const std::string& platform,
                          const CommandConfig& config);

/// The scopes approving a surface with these commands needs (requiredApproveScopes).
std::vector<std::string> requiredApproveScopes(const std::vector<std::string>& commands);

/// The scope node.invoke needs for a command: operator.admin for the admin-only ones, else operator.write.
std::string invokeScope(const std::string& command);

/// The offered commands a surface keeps, and the caps whose commands were all withheld dropped.
struct Surface {
    std::vector<std::string> caps, commands, withheld;
};
Surface surfaceOf(const std::vector<std::string>& caps, const std::vector<std::string>& commands,
                  const CommandConfig& config);

} // namespace openclaw::devices
