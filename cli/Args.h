// Command-line parsing: options declared per command (flag or valued), positionals kept in order.
// Unknown options are refused with the reference's wording.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace openclaw::cli {

/// An option a command accepts.
struct OptionSpec {
    std::string name; ///< long name without dashes, e.g. "port"
    bool takesValue;  ///< --port <value>
    std::string help; ///< one line for --help
    std::string valueName = "value";
};

/// Thrown for unknown options or missing values; exit code 1.
class UsageError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// Parsed arguments.
class Args {
  public:
    /// Parses argv[begin..] against specs. Accepts --name value, --name=value, and --no-<flag>
    /// for flags declared as "no-<flag>".
    static Args parse(const std::vector<std::string>& argv, size_t begin,
                      const std::vector<OptionSpec>& specs);

    bool has(const std::string& name) const { return values_.count(name) > 0; }
    std::optional<std::string> value(const std::string& name) const;
    const std::vector<std::string>& positionals() const { return positionals_; }
    /// Integer value of an option; throws UsageError naming the option when not an integer.
    std::optional<long long> integer(const std::string& name) const;

  private:
    std::map<std::string, std::string> values_;
    std::vector<std::string> positionals_;
};

/// Renders a help block for a command.
std::string renderHelp(const std::string& usage, const std::string& summary,
                       const std::vector<OptionSpec>& specs);

} // namespace openclaw::cli
