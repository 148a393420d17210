// Human output helpers: ANSI colour and a progress spinner, both only on a terminal, never with
// --json, --no-color or NO_COLOR.
#pragma once

#include <atomic>
#include <string>
#include <thread>

namespace openclaw::cli {

/// Colours text when enabled.
class Paint {
  public:
    explicit Paint(bool enabled) : on_(enabled) {}
    std::string ok(const std::string& s) const { return wrap("32", s); }
    std::string bad(const std::string& s) const { return wrap("31", s); }
    std::string warn(const std::string& s) const { return wrap("33", s); }
    std::string dim(const std::string& s) const { return wrap("2", s); }
    std::string bold(const std::string& s) const { return wrap("1", s); }

  private:
    std::string wrap(const char* code, const std::string& s) const {
        return on_ ? "\033[" + std::string(code) + "m" + s + "\033[0m" : s;
    }
    bool on_;
};

/// A spinner on stderr while work runs; does nothing unless stderr is a terminal and enabled.
class Spinner {
  public:
    Spinner(bool enabled, std::string label);
    ~Spinner();
    Spinner(const Spinner&) = delete;
    Spinner& operator=(const Spinner&) = delete;
    /// Stops and erases the spinner line.
    void stop();

  private:
    std::atomic<bool> running_{false};
    std::thread thread_;
    std::string label_;
};

} // namespace openclaw::cli
