#include "Terminal.h"

#include <chrono>
#include <cstdio>
#include <unistd.h>

namespace openclaw::cli {

Spinner::Spinner(bool enabled, std::string label) : label_(std::move(label)) {
    if (!enabled || !::isatty(2)) return;
    running_ = true;
    thread_ = std::thread([this] {
        static const char* frames[] = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};
        for (size_t i = 0; running_; ++i) {
            std::fprintf(stderr, "\r%s %s", frames[i % 10], label_.c_str());
            std::fflush(stderr);
            std::this_thread::sleep_for(std::chrono::milliseconds(80));
        }
        std::fprintf(stderr, "\r\033[K");
        std::fflush(stderr);
    });
}

Spinner::~Spinner() {
    stop();
}

void Spinner::stop() {
    running_ = false;
    if (thread_.joinable()) thread_.join();
}

} // namespace openclaw::cli
