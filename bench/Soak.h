// The soak: mixed RPC load from well-behaved clients, connection churn, bad frames and garbage, and
// optional SIGUSR1 restarts, for a bounded time; reports errors seen by good clients and RSS over time.
#pragma once

#include "BenchClient.h"

#include <string>

namespace openclaw::bench {

struct SoakOptions {
    Target target;
    std::string label;
    int pid = 0;             ///< the gateway (RSS samples; SIGUSR1)
    double seconds = 60;     ///< total duration
    int goodClients = 8;     ///< connections doing sequential RPCs
    double restartEvery = 0; ///< seconds between SIGUSR1 (0 = never)
};

/// Runs the soak and prints one JSON line. Exit code 1 when a good client saw an error.
int soakScenario(const SoakOptions& o);

} // namespace openclaw::bench
