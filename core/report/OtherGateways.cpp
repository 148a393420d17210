#include "report/OtherGateways.h"

#include "net/PortOwners.h"

#include <filesystem>

namespace openclaw::report {

namespace {

void addProcesses(int ownPort, std::vector<OtherGateway>& out) {
    for (const net::PortOwner& o : net::findPortOwners(0)) {
        const bool looksLike = o.command.find("openclaw") != std::string::npos ||
                               o.commandLine.find("openclaw") != std::string::npos;
        if (!looksLike || o.address.size() < 2) continue;
        if (o.address.substr(o.address.rfind(':') + 1) == std::to_string(ownPort)) continue;
        out.push_back({"process", o.command, "pid " + std::to_string(o.pid) + " listening on " + o.address});
    }
}

void addUnits(const std::string& dir, std::vector<OtherGateway>& out) {
    std::error_code ec;
    // A folder that is missing or unreadable holds no units we could report.
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.find("openclaw") == std::string::npos && name.find("clawdbot") == std::string::npos)
            continue;
        out.push_back({"unit", name, dir + "/" + name});
    }
}

} // namespace

std::vector<OtherGateway> findOtherGateways(int ownPort, const std::string& home) {
    std::vector<OtherGateway> out;
    addProcesses(ownPort, out);
    for (const std::string& dir : {home + "/.config/systemd/user", std::string("/etc/systemd/system"),
                                   std::string("/lib/systemd/system")})
        addUnits(dir, out);
    return out;
}

} // namespace openclaw::report
