// libFuzzer target: `gateway call --params` (strict JSON) and our JSON writer on whatever it parses; and the
// plugins' tree-free connect readers (auth secrets, the devices plugin's quick pass) on the same input: no
// crash, and where both readers take a document the secrets read agree with the tree's.
#include "QuickAdmit.hpp"
#include "SharedSecretAuth.hpp"
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
    (void)openclaw::devices::passWithoutDevice(text);
    if (const auto read = openclaw::auth::readSentSecrets(text)) {
        try {
            const auto tree = openclaw::auth::sentSecretsFromTree(text);
            if (tree.token != read->token || tree.password != read->password) __builtin_trap();
        } catch (const std::exception&) {
            // not a JSON object for the tree (the tree-free reader does not check what it skips)
        }
    }
    return 0;
}
