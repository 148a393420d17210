#include "log/Logger.h"
#include "log/Throttle.h"

#include "json/Json.h"

#include <Poco/File.h>
#include <Poco/Path.h>

#include <chrono>
#include <ctime>
#include <fcntl.h>
#include <unistd.h>

namespace openclaw::log {

std::string timestamp() {
    using namespace std::chrono;
    auto now = system_clock::now();
    std::time_t t = system_clock::to_time_t(now);
    int ms = static_cast<int>(duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000);
    std::tm tm{};
    localtime_r(&t, &tm);
    long off = tm.tm_gmtoff / 60;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03d%c%02ld:%02ld", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms, off < 0 ? '-' : '+',
                  std::labs(off) / 60, std::labs(off) % 60);
    return buf;
}

const char* levelName(Level level) {
    switch (level) {
    case Level::Debug:
        return "debug";
    case Level::Info:
        return "info";
    case Level::Warn:
        return "warn";
    case Level::Error:
        return "error";
    }
    return "info";
}

Logger& Logger::get() {
    static Logger logger;
    return logger;
}

Logger::~Logger() {
    if (file_) std::fclose(file_);
}

void Logger::setConsole(const ConsoleOptions& opts) {
    std::lock_guard<std::mutex> lock(mu_);
    console_ = opts;
    updateWants();
}

bool Logger::openFile(const std::string& path) {
    std::lock_guard<std::mutex> lock(mu_);
    if (file_) std::fclose(file_);
    file_ = nullptr;
    path_.clear();
    updateWants();
    if (path.empty()) return true;
    try {
        Poco::File(Poco::Path(path).parent()).createDirectories();
    } catch (const std::exception&) {
        return false; // the caller says which file could not be opened
    }
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) return false;
    file_ = ::fdopen(fd, "a");
    if (!file_) {
        ::close(fd);
        return false;
    }
    path_ = path;
    updateWants();
    return true;
}

std::string Logger::filePath() const {
    std::lock_guard<std::mutex> lock(mu_);
    return path_;
}

void Logger::setFileLevel(Level level) {
    std::lock_guard<std::mutex> lock(mu_);
    fileLevel_ = level;
    updateWants();
}

bool Logger::wants(Level level) const {
    const int l = static_cast<int>(level);
    return l >= wantsFileFrom_.load(std::memory_order_relaxed) ||
           l >= wantsConsoleFrom_.load(std::memory_order_relaxed);
}

void Logger::updateWants() {
    wantsFileFrom_ = file_ ? static_cast<int>(fileLevel_) : 1000;
    wantsConsoleFrom_ = console_.quiet     ? 1000
                        : console_.verbose ? static_cast<int>(Level::Debug)
                                           : static_cast<int>(Level::Info);
}

void Logger::write(Level level, const std::string& subsystem, const std::string& message) {
    std::string ts = timestamp();
    std::lock_guard<std::mutex> lock(mu_);
    if (file_ && level >= fileLevel_) {
        json::ObjectPtr rec = json::makeObject();
        rec->set("time", ts);
        rec->set("level", std::string(levelName(level)));
        rec->set("subsystem", subsystem);
        rec->set("message", message);
        std::string line = json::stringify(rec) + "\n";
        std::fwrite(line.data(), 1, line.size(), file_);
        std::fflush(file_);
    }
    if (console_.quiet) return;
    if (level == Level::Debug && !console_.verbose) return;
    if (!console_.onlySubsystem.empty() && subsystem != console_.onlySubsystem) return;
    std::string line = ts + " " + (subsystem.empty() ? "" : "[" + subsystem + "] ") + message + "\n";
    std::FILE* out = level >= Level::Warn ? stderr : stdout;
    std::fwrite(line.data(), 1, line.size(), out);
    std::fflush(out);
}

} // namespace openclaw::log

namespace openclaw::log {

void errorThrottled(const std::string& subsystem, const std::string& message) {
    static Throttle throttle;
    long long held = 0;
    if (!throttle.allow(subsystem + '\n' + message, held)) return;
    Logger::get().error(
        subsystem,
        message + (held ? " (" + std::to_string(held) + " more like it in the last minute)" : std::string()));
}

} // namespace openclaw::log
