#include "NodePolicy.hpp"

#include <algorithm>

namespace openclaw::devices {

namespace {

/// Allowed on every platform we know of (the reference's Linux defaults).
const std::set<std::string> kPlatformDefaults = {"system.notify", "computer.act"};
/// Commands a desktop node host serves: allowed once approved in its surface.
const std::set<std::string> kDesktopHost = {"system.run",
                                            "system.run.prepare",
                                            "system.which",
                                            "system.execApprovals.get",
                                            "system.execApprovals.set",
                                            "fs.listDir",
                                            "terminal.upload",
                                            "browser.proxy",
                                            "browser.proxy.upload.v1",
                                            "mcp.tools.call.v1",
                                            "agent.cli.claude.run.v1",
                                            "screen.snapshot",
                                            "desktop.stream"};
/// The reference's bundled plugins' node commands (observed: kept in the surface of a Linux node host).
const std::set<std::string> kPluginDefaults = {"ollama.chat", "ollama.models"};
/// Need an explicit gateway.nodes.commands.allow.
const std::set<std::string> kDangerous = {
    "camera.snap",  "camera.clip",   "camera.ptz.control", "screen.record", "contacts.add",
    "calendar.add", "reminders.add", "sms.send",           "sms.search",    "health.summary"};
/// node.invoke needs operator.admin for these (and approving a surface holding them, with the system ones).
const std::set<std::string> kAdminInvoke = {"browser.proxy", "browser.proxy.upload.v1", "fs.listDir",
                                            "terminal.upload"};
const std::set<std::string> kAdminApprove = {"system.run",
                                             "system.run.prepare",
                                             "system.which",
                                             "system.execApprovals.get",
                                             "system.execApprovals.set",
                                             "browser.proxy",
                                             "browser.proxy.upload.v1",
                                             "fs.listDir",
                                             "terminal.upload"};

bool in(const std::set<std::string>& set, const std::string& item) {
    return set.count(item) > 0;
}

std::string familyOf(const std::string& command) {
    return command.substr(0, command.find('.'));
}

} // namespace

bool offerable(const std::string& command, const CommandConfig& config) {
    if (in(config.deny, command)) return false;
    return in(kPlatformDefaults, command) || in(kDesktopHost, command) || in(kDangerous, command) ||
           in(kPluginDefaults, command) || in(config.allow, command);
}

bool allowedNow(const std::string& command, const std::vector<std::string>& approved,
                const CommandConfig& config) {
    if (in(config.deny, command)) return false;
    if (in(config.allow, command)) return true;
    if (in(kDangerous, command)) return false;
    if (in(kDesktopHost, command))
        return std::find(approved.begin(), approved.end(), command) != approved.end();
    return in(kPlatformDefaults, command) || in(kPluginDefaults, command);
}

std::string notAllowedWhy(const std::string& command, const std::string& platform,
                          const CommandConfig& config) {
    const std::string quoted = "\"" + command + "\"";
    if (in(config.deny, command)) return quoted + " is blocked by gateway.nodes.commands.deny";
    if (in(kDangerous, command)) return quoted + " requires explicit gateway.nodes.commands.allow opt-in";
    return quoted + " is not in the allowlist for platform \"" + platform + "\"";
}

std::vector<std::string> requiredApproveScopes(const std::vector<std::string>& commands) {
    if (commands.empty()) return {"operator.pairing"};
    for (const std::string& c : commands)
        if (in(kAdminApprove, c)) return {"operator.pairing", "operator.admin"};
    return {"operator.pairing", "operator.write"};
}

std::string invokeScope(const std::string& command) {
    return in(kAdminInvoke, command) ? "operator.admin" : "operator.write";
}

Surface surfaceOf(const std::vector<std::string>& caps, const std::vector<std::string>& commands,
                  const CommandConfig& config) {
    Surface s;
    std::set<std::string> keptFamilies, withheldFamilies;
    for (const std::string& c : commands) {
        if (offerable(c, config)) {
            s.commands.push_back(c);
            keptFamilies.insert(familyOf(c));
        } else {
            s.withheld.push_back(c);
            withheldFamilies.insert(familyOf(c));
        }
    }
    for (const std::string& cap : caps)
        if (!in(withheldFamilies, cap) || in(keptFamilies, cap)) s.caps.push_back(cap);
    std::sort(s.commands.begin(), s.commands.end());
    return s;
}

} // namespace openclaw::devices
