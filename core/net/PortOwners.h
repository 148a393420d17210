// Who listens on a TCP port on this machine (from /proc), for `gateway run --force` and status.
#pragma once

#include <string>
#include <vector>

namespace openclaw::net {

/// A process with a listening socket on the port.
struct PortOwner {
    int pid = 0;
    std::string command;     ///< /proc/<pid>/comm
    std::string address;     ///< local address as "ip:port"
    std::string commandLine; ///< /proc/<pid>/cmdline, spaces between arguments
};

/// Every process listening on `port` (TCP, IPv4 and IPv6; 0 = any port). Processes we may not
/// inspect are skipped.
std::vector<PortOwner> findPortOwners(int port);

} // namespace openclaw::net
