// The protocol's `ts` fields: wall-clock milliseconds since the Unix epoch.
#pragma once

#include <chrono>

namespace openclaw::protocol {

/// Now, as the `ts` of frames, presence and health carry it.
inline long long nowMs() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

} // namespace openclaw::protocol
