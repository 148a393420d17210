// The gateway's log: console lines `TIMESTAMP [subsystem] message` (as the reference prints them)
// and a JSON-lines file that `logs.tail` serves. Thread-safe.
#pragma once

#include <atomic>
#include <cstdio>
#include <mutex>
#include <string>

namespace openclaw::log {

enum class Level { Debug = 10, Info = 20, Warn = 30, Error = 40 };

/// Console behaviour.
struct ConsoleOptions {
    bool verbose = false;      ///< show debug lines
    std::string onlySubsystem; ///< when set, the console shows only this subsystem (--claude-cli-logs)
    bool quiet = false;        ///< no console output at all
};

/// A process-wide logger. Writes are serialized; the file is append-only JSON lines.
class Logger {
  public:
    /// The process logger.
    static Logger& get();

    /// Sets console options.
    void setConsole(const ConsoleOptions& opts);
    /// Opens (creating folders, mode 0600) the JSON-lines file; "" closes it.
    /// Returns false and leaves file logging off when the file cannot be opened.
    bool openFile(const std::string& path);
    /// The file in use ("" when none).
    std::string filePath() const;

    /// Lowest level written to the file (Info by default; Debug with --verbose).
    void setFileLevel(Level level);
    /// True when a line at this level would go anywhere: callers skip building hot-path lines otherwise.
    bool wants(Level level) const;

    /// Writes one line.
    void write(Level level, const std::string& subsystem, const std::string& message);

    void debug(const std::string& sub, const std::string& m) { write(Level::Debug, sub, m); }
    void info(const std::string& sub, const std::string& m) { write(Level::Info, sub, m); }
    void warn(const std::string& sub, const std::string& m) { write(Level::Warn, sub, m); }
    void error(const std::string& sub, const std::string& m) { write(Level::Error, sub, m); }

    ~Logger();

  private:
    Logger() = default;
    mutable std::mutex mu_;
    ConsoleOptions console_;
    std::FILE* file_ = nullptr;
    Level fileLevel_ = Level::Info;
    // Mirrors of the above for wants(), which reactor threads ask per frame without taking mu_.
    std::atomic<int> wantsFileFrom_{1000}; ///< lowest level the file takes (1000 = no file)
    std::atomic<int> wantsConsoleFrom_{static_cast<int>(Level::Info)}; ///< same for the console
    void updateWants();                                                ///< with mu_ held
    std::string path_;
};

/// Current time as the reference prints it: 2026-11-25T22:18:05.761+00:00 (local offset).
std::string timestamp();

/// Level name for the file ("debug", "info", "warn", "error").
const char* levelName(Level level);

} // namespace openclaw::log
