// The device-flood scenario: connects with `count` fresh device keys (node role, a new Ed25519 key each), as
// a flood of strangers would, then reads what the gateway kept (device.pair.list): with silent local pairing
// off each leaves a pending request (bounded per address and in all); with it on each is paired and the ones
// not connected are pruned.
#pragma once

#include "BenchClient.h"

#include <string>

namespace openclaw::bench {

/// What the flood left.
struct FloodFigures {
    int count = 0, admitted = 0, refused = 0;
    int pending = -1, paired = -1; ///< from device.pair.list afterwards (-1: it could not be read)
    double seconds = 0;
    std::string firstError;
};

/// Connects `count` fresh device keys, `parallel` at a time, to the gateway at `target` (a shared token).
FloodFigures runDeviceFlood(const Target& target, int count, int parallel);

} // namespace openclaw::bench
