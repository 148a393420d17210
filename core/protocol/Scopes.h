// Operator scopes and roles, and whether a set of granted scopes satisfies a required one.
#pragma once

#include <string>
#include <vector>

namespace openclaw::protocol {

namespace scope {
inline const std::string kAdmin = "operator.admin";
inline const std::string kRead = "operator.read";
inline const std::string kWrite = "operator.write";
inline const std::string kApprovals = "operator.approvals";
inline const std::string kQuestions = "operator.questions";
inline const std::string kPairing = "operator.pairing";
inline const std::string kTalkSecrets = "operator.talk.secrets";
/// Not an operator scope: a method registered with it is for node sessions only (node.invoke.result, …).
inline const std::string kNodeRole = "node";
} // namespace scope

/// Every operator scope, in the order the reference CLI requests them.
const std::vector<std::string>& allOperatorScopes();

/// True when `granted` satisfies `required` ("" needs nothing; admin satisfies all; write implies read).
bool hasScope(const std::vector<std::string>& granted, const std::string& required);

/// The scopes a connection gets: requested known scopes, none for probe-mode clients.
std::vector<std::string> grantScopes(const std::vector<std::string>& requested,
                                     const std::string& clientMode);

} // namespace openclaw::protocol
