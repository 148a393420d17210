// What the config commands say about plugins beyond the config's own schema: load paths that are not folders,
// manifests that cannot be read, and each enabled plugin's config section checked against that plugin's
// schema, at its place in the file. `config validate` looks at all of it; `config set`/`unset` and
// `plugins enable` at what their edit touches, and refuse the edit (nothing written) when it is wrong.
#pragma once

#include "config/Document.h"
#include "config/GatewayConfig.h"

#include <string>
#include <vector>

namespace openclaw::cli {

/// Which plugin problems a check looks at.
struct PluginCheckScope {
    bool discovery = true;  ///< load paths that are not folders, manifests that cannot be read
    bool configs = true;    ///< enabled plugins' config sections against their schemas
    std::string onlyPlugin; ///< with configs: this plugin's section only ("" = every enabled plugin's)

    /// What an edit at `keyPath` can break: nothing outside plugins.*, one plugin's section for
    /// plugins.entries.<id>.*, everything for the rest of plugins.*.
    static PluginCheckScope ofEdit(const std::string& keyPath);
};

/// Problems with the plugins part of a valid config, each naming where (file:line:col when `doc` holds the
/// section) and what to do; empty when there are none.
std::vector<std::string> pluginConfigProblems(const config::GatewayConfigPtr& cfg,
                                              const config::Document* doc,
                                              const PluginCheckScope& scope = {});

/// For config writes (config::ExtraCheck): throws the first problem in `scope` as a ConfigError (with how
/// many more there are), so the edit is refused and nothing is written.
void requirePluginConfigs(const config::GatewayConfig& cfg, const config::Document& doc,
                          const PluginCheckScope& scope);

} // namespace openclaw::cli
