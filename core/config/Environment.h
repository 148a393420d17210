// The process environment as a value, so path and precedence rules stay pure and testable.
#pragma once

#include <initializer_list>
#include <map>
#include <optional>
#include <string>

namespace openclaw::config {

/// A snapshot of environment variables.
class Environment {
  public:
    Environment() = default;
    explicit Environment(std::map<std::string, std::string> vars) : vars_(std::move(vars)) {}
    /// Environment({{"NAME", "value"}, …})
    Environment(std::initializer_list<std::pair<const std::string, std::string>> vars) : vars_(vars) {}

    /// Snapshot of the current process environment.
    static Environment fromProcess();

    /// The value of `name`, or nothing when unset. An empty value counts as unset.
    std::optional<std::string> get(const std::string& name) const;
    /// Sets a variable in this snapshot.
    void set(const std::string& name, const std::string& value) { vars_[name] = value; }

  private:
    std::map<std::string, std::string> vars_;
};

} // namespace openclaw::config
