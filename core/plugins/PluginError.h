// The one error convention of the plugin ABI (1.2): every error a plugin writes to an error sink is one JSON
// object {"code","message","details"?}; a refusal verdict (auth, admission) carries the same fields beside
// "ok":false. 1.0/1.1 plugins may write plain text. Read here, once, for every place the host meets an error.
#pragma once

#include "json/Json.h"

#include <string>

namespace openclaw::plugins {

/// The details code of a failure inside the plugin (an exception, or plain text) rather than a refusal.
inline const std::string kPluginInternalError = "PLUGIN_INTERNAL_ERROR";

/// An error a plugin wrote.
struct PluginError {
    std::string code; ///< "" when the plugin wrote plain text
    std::string message;
    json::Var details; ///< an object, or empty

    /// A failure of the plugin itself (plain text, or details.code PLUGIN_INTERNAL_ERROR), not a refusal it
    /// chose: the gateway logs it.
    bool internal() const;
    /// For logs and the CLI: the message, with the code when the plugin chose one ("message (CODE)").
    std::string text() const;
};

/// Reads what a plugin wrote to an error sink.
PluginError parsePluginError(const std::string& raw);

} // namespace openclaw::plugins
