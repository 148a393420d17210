#include "service/CommandRunner.h"

#include "process/Subprocess.h"

namespace openclaw::service {

CommandResult ProcessRunner::run(const std::vector<std::string>& argv) {
    process::Spec spec;
    spec.argv = argv;
    spec.timeout = std::chrono::milliseconds(timeoutMs_);
    process::Result r = process::run(spec);
    CommandResult out;
    out.exitCode = r.started && !r.timedOut ? r.exitCode : -1;
    out.out = std::move(r.out);
    out.err = r.started ? std::move(r.err) : r.startError;
    return out;
}

} // namespace openclaw::service
