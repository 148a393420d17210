// libFuzzer target: `gateway call --params` (strict JSON) and our JSON writer on whatever it parses.
#include "json/Json.h"

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace openclaw;
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        json::Var v = json::parse(text);
        std::string once = json::stringify(v, 2);
        // What we write must read back to the same text.
        if (json::stringify(json::parse(once), 2) != once) __builtin_trap();
    } catch (const std::invalid_argument&) {
    }
    return 0;
}
