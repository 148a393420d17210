// Wire byte buffers that are emptied and filled again for every frame or wake-up.
#pragma once

#include <cstddef>
#include <string>

namespace openclaw::protocol {

/// Empties `s`, keeping its capacity up to `keep` bytes for the next use (small frames then allocate
/// nothing) and giving back more: an idle session should not hold the memory of one large frame.
inline void clearKeeping(std::string& s, size_t keep) {
    if (s.capacity() > keep)
        std::string().swap(s);
    else
        s.clear();
}

} // namespace openclaw::protocol
