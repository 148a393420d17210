// `openclaw --dev gateway run`: the dev profile's config and workspace, created when missing.
#pragma once

#include "config/Paths.h"

namespace openclaw::server {

/// Creates the dev config (a fresh token, shown once on the terminal) and workspace when missing;
/// `reset` first wipes the dev state. Throws std::runtime_error when a file cannot be written.
void prepareDevProfile(const config::Paths& paths, bool reset);

} // namespace openclaw::server
