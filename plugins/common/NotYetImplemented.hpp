// Shared by plugins whose capability is declared (so the ABI, manifest and loading are real and
// tested) but whose behaviour lands in a later issue: every capability call fails with a clear
// message instead of pretending to work.
#pragma once

#include "openclaw/plugin.hpp"

#include <stdexcept>
#include <string>

namespace openclaw::pending {

/// Throws the "not implemented yet" error for `what` in plugin `id`.
[[noreturn]] inline void notYet(const std::string& id, const std::string& what) {
    throw std::runtime_error(id + " plugin: " + what + " is not implemented in this build yet");
}

} // namespace openclaw::pending
