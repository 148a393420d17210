// The node-invoke scenario: one process plays an operator and a node (a device with an Ed25519 key, silently
// paired on loopback), approves the node's surface, then times `node.invoke` round trips through the gateway
// (operator → gateway → node.invoke.request → the node's node.invoke.result → gateway → operator).
#pragma once

#include "BenchClient.h"
#include "Stats.h"

#include <string>

namespace openclaw::bench {

/// What the scenario measured.
struct NodeInvokeFigures {
    int count = 0, errors = 0;
    Samples roundTripUs;
    double ratePerSecond = 0;
    std::string firstError;
};

/// Runs `count` sequential invokes of system.which against the gateway at `target` (a shared token).
NodeInvokeFigures runNodeInvoke(const Target& target, int count);

} // namespace openclaw::bench
