// Scenarios that start processes: a gateway's start-up (spawn -> /readyz -> first hello-ok, then
// idle RSS) and a command's wall time and peak RSS (the CLI's `gateway health`).
#pragma once

#include "BenchClient.h"

#include <string>
#include <vector>

namespace openclaw::bench {

/// Spawns argv, times /readyz = 200 and the first hello-ok from spawn, waits settleSeconds, reads the
/// RSS of the process tree, stops it (SIGTERM, then SIGKILL). Prints one JSON line; returns an exit code.
int startupScenario(const Target& target, const std::string& label, const std::vector<std::string>& argv,
                    double settleSeconds);

/// Runs argv `runs` times (output discarded): wall time and peak RSS of each run. Prints one JSON line.
int execScenario(const std::string& label, const std::vector<std::string>& argv, int runs);

/// Sum of VmRSS (KiB) of pid and all its descendants; count receives how many processes.
long treeRssKib(int pid, int* count = nullptr);

} // namespace openclaw::bench
