#include "server/StartupSignals.h"

#include <csignal>
#include <ctime>

namespace openclaw::server {

StartupSignals::StartupSignals() : thread_([this] { watch(); }) {}

StartupSignals::~StartupSignals() {
    finish();
}

int StartupSignals::finish() {
    done_ = true;
    if (thread_.joinable()) thread_.join();
    return signal_.load();
}

void StartupSignals::watch() {
    sigset_t stops;
    sigemptyset(&stops);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGTERM);
    // Short waits so that the destructor never waits long for the thread.
    const timespec slice{0, 50L * 1000 * 1000};
    while (!done_) {
        int sig = ::sigtimedwait(&stops, nullptr, &slice);
        if (sig > 0) {
            signal_ = sig;
            return;
        }
    }
}

} // namespace openclaw::server
