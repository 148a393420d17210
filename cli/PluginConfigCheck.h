// What `config validate` says about plugins beyond the config's own schema: load paths that are not folders,
// and each enabled plugin's config section checked against that plugin's schema, at its place in the file.
#pragma once

#include "config/GatewayConfig.h"

#include <string>
#include <vector>

namespace openclaw::cli {

/// Problems with the plugins part of a valid config, each naming where (file:line:col when the section is in
/// `configPath`) and what to do; empty when there are none.
std::vector<std::string> pluginConfigProblems(const config::GatewayConfigPtr& cfg,
                                              const std::string& configPath);

} // namespace openclaw::cli
