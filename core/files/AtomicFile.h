// Files read and written whole. Writes are durable: temp file in the same folder, fsync, rename, fsync the
// folder; a crash at any moment leaves the old file or the new one, never a torn one.
#pragma once

#include <optional>
#include <string>

namespace openclaw::files {

/// Writes `content` to `path` atomically with permissions `mode` (creating parent folders, 0700).
/// Throws std::runtime_error naming the path on failure; the old file is then untouched.
void writeFileAtomic(const std::string& path, const std::string& content, unsigned mode = 0600);

/// The whole content of a file; nothing when it cannot be opened (missing, unreadable, a folder).
std::optional<std::string> readWholeFile(const std::string& path);

/// The whole content of a file that must be there; throws std::runtime_error "<path>: cannot be read".
std::string readRequiredFile(const std::string& path);

/// Creates a folder and its parents (mode 0700 for new ones). Throws std::runtime_error on failure.
void makeDirs(const std::string& path);

} // namespace openclaw::files
