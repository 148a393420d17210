// The portable supervisor: a detached daemon that runs the gateway, restarts it after a crash with
// backoff (never after exit 78, a config error), and stops it with SIGTERM then SIGKILL.
// Its files live in <state>/service/: supervisor.json (what to run), supervisor.pid, gateway.pid,
// state.json (since, restarts, lastExit, running), supervisor.log (its own and the gateway's output).
#pragma once

#include "service/ServiceSpec.h"

#include <string>

namespace openclaw::service {

/// File names inside the service folder.
struct SupervisorFiles {
    explicit SupervisorFiles(std::string dir) : dir(std::move(dir)) {}
    std::string dir;
    std::string spec() const { return dir + "/supervisor.json"; }
    std::string supervisorPid() const { return dir + "/supervisor.pid"; }
    std::string gatewayPid() const { return dir + "/gateway.pid"; }
    std::string state() const { return dir + "/state.json"; }
    std::string log() const { return dir + "/supervisor.log"; }
};

/// Writes the spec (atomically).
void writeSupervisorSpec(const SupervisorFiles& files, const ServiceSpec& spec);
/// Reads the spec; throws std::runtime_error naming the file when unreadable.
ServiceSpec readSupervisorSpec(const SupervisorFiles& files);

/// Runs the supervisor loop in this (already detached) process until stopped. Returns its exit code.
int runSupervisor(const std::string& serviceDir);

/// Reads a pid file; 0 when missing or the process is gone.
int livePid(const std::string& pidFile);

} // namespace openclaw::service
