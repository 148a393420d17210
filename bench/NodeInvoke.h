// The node-invoke scenario: one process plays an operator and a node (a device with an Ed25519 key, silently
// paired on loopback), approves the node's surface, then times `node.invoke` round trips through the gateway
// (operator → gateway → node.invoke.request → the node's node.invoke.result → gateway → operator).
#pragma once

#include "BenchClient.h"
#include "Stats.h"

#include <string>

namespace openclaw::devices {
class DeviceKey;
}

namespace openclaw::bench {

/// What the scenario measured.
struct NodeInvokeFigures {
    int count = 0, errors = 0;
    Samples roundTripUs;
    double ratePerSecond = 0;
    std::string firstError;
};

/// A node's connect params: role node, the one command it serves (system.which), and the device proof of
/// `key` over this socket's challenge, signed with the shared token as the reference's node host signs.
std::string nodeConnectParams(const devices::DeviceKey& key, const Target& target, const std::string& nonce,
                              long long ts);

/// Runs `count` sequential invokes of system.which against the gateway at `target` (a shared token).
NodeInvokeFigures runNodeInvoke(const Target& target, int count);

} // namespace openclaw::bench
