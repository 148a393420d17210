// The recorder of a -DOPENCLAW_TEXT_TRACE=ON build (bench/text-order.sh): GCC's -finstrument-functions calls
// __cyg_profile_func_enter at every function entry; this keeps each function's first call, in order, and at
// exit (or when a plugin is unloaded: each module links its own copy) appends "<object> <offset>" lines to
// the file named by OPENCLAW_TEXT_TRACE. Nothing here may be instrumented, or it would call itself.
#include <dlfcn.h>

#include <climits>
#include <cstdlib>

#include <atomic>
#include <cstdint>
#include <cstdio>

#define OPENCLAW_NO_TRACE __attribute__((no_instrument_function))

namespace {

constexpr std::size_t kSlots = std::size_t{1} << 18; // far more functions than the gateway has
void* g_seen[kSlots];                                // open addressing on the function's address
void* g_order[kSlots];                               // first calls, in order
std::size_t g_count = 0;
std::atomic_flag g_busy = ATOMIC_FLAG_INIT; // a spin lock: the hook runs before any mutex could exist

OPENCLAW_NO_TRACE bool insertOnce(void* fn) {
    auto slot = (reinterpret_cast<std::uintptr_t>(fn) >> 4) * 0x9E3779B97F4A7C15ULL;
    for (std::size_t probe = 0; probe < kSlots; ++probe) {
        void*& cell = g_seen[(slot + probe) & (kSlots - 1)];
        if (cell == fn) return false;
        if (cell == nullptr) {
            cell = fn;
            return true;
        }
    }
    return false; // full: the trace is a hint for the linker, a missing tail only orders less
}

OPENCLAW_NO_TRACE void writeTrace() {
    const char* path = std::getenv("OPENCLAW_TEXT_TRACE");
    if (path == nullptr || g_count == 0) return;
    std::FILE* out = std::fopen(path, "a");
    if (out == nullptr) return;
    for (std::size_t i = 0; i < g_count; ++i) {
        Dl_info info{};
        if (::dladdr(g_order[i], &info) == 0 || info.dli_fname == nullptr) continue;
        const auto offset =
            reinterpret_cast<std::uintptr_t>(g_order[i]) - reinterpret_cast<std::uintptr_t>(info.dli_fbase);
        char object[PATH_MAX]; // a plugin is opened through <exe>/../lib/...: the script matches real paths
        const char* name = ::realpath(info.dli_fname, object) != nullptr ? object : info.dli_fname;
        std::fprintf(out, "%s %016lx\n", name, static_cast<unsigned long>(offset));
    }
    std::fclose(out);
}

__attribute__((destructor)) OPENCLAW_NO_TRACE void writeTraceAtExit() {
    writeTrace();
}

} // namespace

// The names are GCC's hooks, reserved on purpose.
// NOLINTNEXTLINE(bugprone-reserved-identifier)
extern "C" OPENCLAW_NO_TRACE void __cyg_profile_func_enter(void* fn, void* /*site*/) {
    while (g_busy.test_and_set(std::memory_order_acquire)) {
    }
    if (g_count < kSlots && insertOnce(fn)) g_order[g_count++] = fn;
    g_busy.clear(std::memory_order_release);
}

// NOLINTNEXTLINE(bugprone-reserved-identifier)
extern "C" OPENCLAW_NO_TRACE void __cyg_profile_func_exit(void* /*fn*/, void* /*site*/) {}
