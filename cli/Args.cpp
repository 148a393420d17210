#include "Args.h"

#include <cstdlib>

namespace openclaw::cli {

Args Args::parse(const std::vector<std::string>& argv, size_t begin, const std::vector<OptionSpec>& specs) {
    Args a;
    auto find = [&](const std::string& name) -> const OptionSpec* {
        for (const auto& s : specs)
            if (s.name == name) return &s;
        return nullptr;
    };
    for (size_t i = begin; i < argv.size(); ++i) {
        const std::string& arg = argv[i];
        if (arg == "--") {
            for (++i; i < argv.size(); ++i)
                a.positionals_.push_back(argv[i]);
            break;
        }
        if (arg == "-h" && find("help")) { // every command takes -h for --help
            a.values_["help"] = "true";
            continue;
        }
        if (arg.rfind("--", 0) != 0 || arg.size() == 2) {
            a.positionals_.push_back(arg);
            continue;
        }
        std::string name = arg.substr(2);
        std::optional<std::string> inlineValue;
        size_t eq = name.find('=');
        if (eq != std::string::npos) {
            inlineValue = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        const OptionSpec* spec = find(name);
        if (!spec) throw UsageError("OpenClaw does not recognize option \"--" + name + "\".");
        if (!spec->takesValue) {
            if (inlineValue) throw UsageError("option \"--" + name + "\" takes no value");
            a.values_[name] = "true";
            continue;
        }
        if (inlineValue) {
            a.values_[name] = *inlineValue;
        } else if (i + 1 < argv.size()) {
            a.values_[name] = argv[++i];
        } else {
            throw UsageError("option \"--" + name + " <" + spec->valueName + ">\" argument missing");
        }
    }
    return a;
}

std::optional<std::string> Args::value(const std::string& name) const {
    auto it = values_.find(name);
    if (it == values_.end()) return std::nullopt;
    return it->second;
}

std::optional<long long> Args::integer(const std::string& name) const {
    auto v = value(name);
    if (!v) return std::nullopt;
    char* end = nullptr;
    long long n = std::strtoll(v->c_str(), &end, 10);
    if (v->empty() || *end) throw UsageError("option --" + name + ": \"" + *v + "\" is not an integer");
    return n;
}

std::string renderHelp(const std::string& usage, const std::string& summary,
                       const std::vector<OptionSpec>& specs) {
    std::string out = "Usage: " + usage + "\n\n" + summary + "\n";
    if (!specs.empty()) out += "\nOptions:\n";
    for (const auto& s : specs) {
        std::string left = std::string(s.name == "help" ? "  -h, --" : "  --") + s.name +
                           (s.takesValue ? " <" + s.valueName + ">" : "");
        if (left.size() < 34)
            left.append(34 - left.size(), ' ');
        else
            left += "  ";
        out += left + s.help + "\n";
    }
    return out;
}

} // namespace openclaw::cli
