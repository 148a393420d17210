// A parsed config file: the JSON value tree plus where each value came from (file, line, column).
#pragma once

#include "json/Json.h"

#include <map>
#include <stdexcept>
#include <string>

namespace openclaw::config {

/// 1-based line and column of a value in its source file (0 when unknown).
struct Position {
    int line = 0;
    int column = 0;
    std::string file;  ///< the file, when it is not the document's own (a merged native settings file)
    size_t offset = 0; ///< byte offset of the value in its text (JSON5 documents; for edits in place)
};

/// A config error that names the place: `file:line:col: key.path: message`.
class ConfigError : public std::runtime_error {
  public:
    ConfigError(std::string file, Position pos, std::string keyPath, std::string message);
    const std::string& file() const { return file_; }
    Position position() const { return pos_; }
    const std::string& keyPath() const { return keyPath_; }
    const std::string& message() const { return message_; }

  private:
    std::string file_;
    Position pos_;
    std::string keyPath_;
    std::string message_;
};

/// A parsed document. Key paths use dots for members and [i] for array elements:
/// "gateway.auth.token", "plugins.allow[0]".
struct Document {
    std::string file;                          ///< where the text came from ("" for none)
    json::Var root;                            ///< the root value (an object for config files)
    std::map<std::string, Position> positions; ///< key path -> position of its value

    /// The position of a key path, or of its nearest recorded ancestor.
    Position positionOf(const std::string& keyPath) const;
    /// Builds a ConfigError located at keyPath.
    ConfigError error(const std::string& keyPath, const std::string& message) const;
};

/// Merges `over` into `base`: objects member by member, anything else replaced whole; the positions of
/// what `over` brought point into its file. (The native settings file over openclaw.json.)
void mergeDocument(Document& base, const Document& over);

/// The value at a dot path of object members ("gateway.auth.token") below `root`; empty when absent.
json::Var valueAtPath(const json::Var& root, const std::string& dotPath);

/// Joins a parent key path and a member name.
std::string childPath(const std::string& parent, const std::string& key);
/// Joins a parent key path and an array index.
std::string indexPath(const std::string& parent, size_t index);

} // namespace openclaw::config
