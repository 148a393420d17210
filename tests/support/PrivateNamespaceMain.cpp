// main() of the test programs that start their own system daemons (dbus-daemon --system, avahi-daemon):
// the program runs itself again inside a mount and network namespace of its own (util-linux `unshare`),
// with an empty tmpfs over /run and its own loopback. The daemons it starts there have their own
// /run/dbus/system_bus_socket and /run/avahi-daemon, and see only that loopback; the machine's own
// dbus-daemon and avahi-daemon (a Debian desktop runs both) are neither seen nor touched, and nothing the
// test leaves in /run outlives it. Each test process (CTest runs one per test) gets namespaces of its own,
// so these tests can run in parallel.
//
// unshare(2) with CLONE_NEWNS fails in a process that already has threads (sanitizer runtimes may start
// one before main), hence the new exec rather than a call here. The marker variable stays set: it tells
// ChildProcess (Process.cpp) that the system bus here is the test's own.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <net/if.h>
#include <string>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace {

constexpr const char* kMarker = "OPENCLAW_TEST_PRIVATE_NAMESPACE";

bool onlyListing(int argc, char** argv) {
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], "--gtest_list_tests") == 0) return true;
    return false;
}

/// Runs this program again under `unshare --mount --net` (returns only when that fails).
int reexecInNamespaces(int argc, char** argv) {
    if (::getuid() != 0) {
        std::fprintf(stderr,
                     "%s: needs root: it starts its own dbus-daemon --system and avahi-daemon inside a "
                     "private mount and network namespace (run it with sudo)\n",
                     argv[0]);
        return 1;
    }
    char self[4096] = {};
    if (::readlink("/proc/self/exe", self, sizeof self - 1) <= 0) {
        std::fprintf(stderr, "%s: cannot read /proc/self/exe: %s\n", argv[0], std::strerror(errno));
        return 1;
    }
    std::vector<std::string> args = {"/usr/bin/unshare", "--mount", "--net", "--propagation",
                                     "private",          "--",      self};
    for (int i = 1; i < argc; ++i)
        args.emplace_back(argv[i]);
    std::vector<char*> cargs;
    for (auto& a : args)
        cargs.push_back(a.data());
    cargs.push_back(nullptr);
    ::setenv(kMarker, "1", 1);
    ::execv(cargs[0], cargs.data());
    std::fprintf(stderr, "%s: cannot run /usr/bin/unshare (util-linux): %s\n", argv[0], std::strerror(errno));
    return 1;
}

/// An empty /run of this namespace's own: no system bus socket, no avahi-daemon socket or pid file.
bool mountPrivateRun() {
    if (::mount("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") == 0) return true;
    std::fprintf(stderr, "private namespace: cannot mount a tmpfs on /run: %s\n", std::strerror(errno));
    return false;
}

/// A new network namespace starts with its loopback down.
bool loopbackUp() {
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ifreq req{};
    std::snprintf(req.ifr_name, sizeof req.ifr_name, "lo");
    bool ok = fd >= 0 && ::ioctl(fd, SIOCGIFFLAGS, &req) == 0;
    req.ifr_flags = static_cast<short>(req.ifr_flags | IFF_UP);
    ok = ok && ::ioctl(fd, SIOCSIFFLAGS, &req) == 0;
    if (!ok) std::fprintf(stderr, "private namespace: cannot bring lo up: %s\n", std::strerror(errno));
    if (fd >= 0) ::close(fd);
    return ok;
}

} // namespace

int main(int argc, char** argv) {
    if (!onlyListing(argc, argv)) {
        if (std::getenv(kMarker) == nullptr) return reexecInNamespaces(argc, argv);
        if (!mountPrivateRun() || !loopbackUp()) return 1;
    }
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
