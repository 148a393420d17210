#include "server/StepVerdict.h"

#include "json/RawJson.h"

namespace openclaw::server {

std::optional<StepFlags> readStepFlags(const std::string& answer) {
    StepFlags flags;
    const bool object = json::readObject(answer, [&flags](const json::RawMember& m) {
        bool* flag = m.key == "ok"      ? &flags.ok
                     : m.key == "defer" ? &flags.defer
                     : m.key == "pass"  ? &flags.pass
                                        : nullptr;
        if (flag) *flag = m.kind == json::RawKind::Boolean && m.raw == "true";
    });
    if (!object) return std::nullopt;
    return flags;
}

} // namespace openclaw::server
