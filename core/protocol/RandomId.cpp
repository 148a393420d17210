#include "protocol/RandomId.h"

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <sys/random.h>

namespace openclaw::protocol {

namespace {

/// Fills `out` from getrandom(2).
void fillRandom(unsigned char* out, size_t len) {
    size_t got = 0;
    while (got < len) {
        const ssize_t n = ::getrandom(out + got, len - got, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw std::runtime_error(std::string("getrandom: ") + std::strerror(errno));
        got += static_cast<size_t>(n);
    }
}

/// Kernel randomness taken 16 ids at a time per thread: every connect asks for two ids, and one system call
/// per id was a tenth of a connect's calls. Each byte is handed out once, then wiped.
void takeRandom(unsigned char* out, size_t len) {
    thread_local unsigned char pool[256];
    thread_local size_t left = 0;
    if (left < len) {
        fillRandom(pool, sizeof pool);
        left = sizeof pool;
    }
    unsigned char* from = pool + (sizeof pool - left);
    std::memcpy(out, from, len);
    std::memset(from, 0, len);
    left -= len;
}

} // namespace

std::string randomUuid() {
    unsigned char b[16];
    takeRandom(b, sizeof b);
    b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40); // version 4
    b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80); // RFC 4122 variant
    static const char* const kHex = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    for (size_t i = 0; i < sizeof b; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        out += kHex[b[i] >> 4];
        out += kHex[b[i] & 0x0F];
    }
    return out;
}

} // namespace openclaw::protocol
