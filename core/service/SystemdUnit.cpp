#include "service/SystemdUnit.h"

#include <stdexcept>

namespace openclaw::service {

namespace {
std::string escapePercent(const std::string& s) {
    std::string out;
    for (char c : s)
        out += c == '%' ? std::string("%%") : std::string(1, c);
    return out;
}
} // namespace

std::string systemdQuote(const std::string& arg) {
    bool plain = !arg.empty() && arg.find_first_of(" \t\"'\\") == std::string::npos;
    std::string a = escapePercent(arg);
    if (plain) return a;
    std::string out = "\"";
    for (char c : a) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

std::string renderSystemdUnit(const ServiceSpec& spec) {
    std::string exec;
    for (const auto& a : spec.argv) {
        if (a.find('\n') != std::string::npos) throw std::invalid_argument("argument contains a line break");
        exec += (exec.empty() ? "" : " ") + systemdQuote(a);
    }
    std::string out;
    out += "[Unit]\n";
    out += "Description=" + spec.description + "\n";
    out += "After=network-online.target\n";
    out += "Wants=network-online.target\n";
    out += "StartLimitBurst=5\n";
    out += "StartLimitIntervalSec=60\n\n";
    out += "[Service]\n";
    out += "ExecStart=" + exec + "\n";
    out += "Restart=always\n";
    out += "RestartSec=5\n";
    out += "RestartPreventExitStatus=78\n";
    out += "SuccessExitStatus=0 143\n";
    out += "TimeoutStopSec=30\n";
    out += "KillMode=mixed\n";
    out += "EnvironmentFile=-" + spec.environmentFile + "\n";
    for (const auto& [k, v] : spec.env) {
        if (v.find('\n') != std::string::npos)
            throw std::invalid_argument("environment value contains a line break");
        out += "Environment=" + systemdQuote(k + "=" + v) + "\n";
    }
    out += "\n[Install]\n";
    out += "WantedBy=default.target\n";
    return out;
}

} // namespace openclaw::service
