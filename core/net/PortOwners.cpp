#include "net/PortOwners.h"

#include <chrono>
#include <csignal>
#include <dirent.h>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace openclaw::net {

namespace {

/// inode -> local address for sockets in LISTEN state on the port.
void readTable(const std::string& file, int port, bool v6, std::map<std::string, std::string>& out) {
    std::ifstream in(file);
    std::string line;
    std::getline(in, line); // header
    while (std::getline(in, line)) {
        std::istringstream ss(line);
        std::string sl, local, remote, state, queues, timer, retr, uid, timeout, inode;
        ss >> sl >> local >> remote >> state >> queues >> timer >> retr >> uid >> timeout >> inode;
        if (state != "0A") continue; // LISTEN
        size_t colon = local.find(':');
        if (colon == std::string::npos) continue;
        int p = static_cast<int>(std::stoul(local.substr(colon + 1), nullptr, 16));
        if (port != 0 && p != port) continue;
        std::string hex = local.substr(0, colon);
        std::string addr;
        if (!v6 && hex.size() == 8) {
            unsigned long ip = std::stoul(hex, nullptr, 16);
            addr = std::to_string(ip & 0xff) + "." + std::to_string((ip >> 8) & 0xff) + "." +
                   std::to_string((ip >> 16) & 0xff) + "." + std::to_string((ip >> 24) & 0xff);
        } else {
            addr = hex == "00000000000000000000000000000000"   ? "[::]"
                   : hex == "00000000000000000000000001000000" ? "[::1]"
                                                               : "[" + hex + "]";
        }
        out[inode] = addr + ":" + std::to_string(p);
    }
}

} // namespace

std::vector<PortOwner> findPortOwners(int port) {
    std::map<std::string, std::string> inodes;
    readTable("/proc/net/tcp", port, false, inodes);
    readTable("/proc/net/tcp6", port, true, inodes);
    std::vector<PortOwner> owners;
    if (inodes.empty()) return owners;
    DIR* proc = ::opendir("/proc");
    if (!proc) return owners;
    while (dirent* e = ::readdir(proc)) {
        int pid = std::atoi(e->d_name);
        if (pid <= 0) continue;
        std::string fdDir = std::string("/proc/") + e->d_name + "/fd";
        DIR* fds = ::opendir(fdDir.c_str());
        if (!fds) continue;
        while (dirent* f = ::readdir(fds)) {
            char target[256];
            std::string link = fdDir + "/" + f->d_name;
            ssize_t n = ::readlink(link.c_str(), target, sizeof target - 1);
            if (n <= 0) continue;
            std::string t(target, static_cast<size_t>(n));
            if (t.rfind("socket:[", 0) != 0) continue;
            std::string inode = t.substr(8, t.size() - 9);
            auto it = inodes.find(inode);
            if (it == inodes.end()) continue;
            PortOwner o;
            o.pid = pid;
            std::ifstream comm(std::string("/proc/") + e->d_name + "/comm");
            std::getline(comm, o.command);
            std::ifstream cmdline(std::string("/proc/") + e->d_name + "/cmdline", std::ios::binary);
            std::string raw((std::istreambuf_iterator<char>(cmdline)), std::istreambuf_iterator<char>());
            for (char& ch : raw)
                if (ch == '\0') ch = ' ';
            while (!raw.empty() && raw.back() == ' ')
                raw.pop_back();
            o.commandLine = raw;
            o.address = it->second;
            bool dup = false;
            for (const auto& x : owners)
                dup = dup || (x.pid == pid && x.address == o.address);
            if (!dup) owners.push_back(o);
        }
        ::closedir(fds);
    }
    ::closedir(proc);
    return owners;
}

} // namespace openclaw::net
