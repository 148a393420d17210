// Latency samples and the figures the benchmark prints.
#pragma once

#include <algorithm>
#include <cstddef>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

namespace openclaw::bench {

/// Microsecond samples; percentiles by nearest rank.
class Samples {
  public:
    void add(double us) { values_.push_back(us); }
    size_t size() const { return values_.size(); }
    /// q in [0,1]; 0 when empty.
    double percentile(double q) {
        if (values_.empty()) return 0;
        std::sort(values_.begin(), values_.end());
        size_t rank = static_cast<size_t>(q * static_cast<double>(values_.size() - 1) + 0.5);
        return values_[std::min(rank, values_.size() - 1)];
    }
    double max() { return values_.empty() ? 0 : *std::max_element(values_.begin(), values_.end()); }

  private:
    std::vector<double> values_;
};

/// Resident set size of a process in KiB (VmRSS), or -1 when unknown.
inline long rssKib(int pid, const char* field = "VmRSS:") {
    if (pid <= 0) return -1;
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::string(field).size()));
    return -1;
}

/// CPU time (user + system, all threads) a process has used so far, in microseconds; -1 when unknown.
/// Resolution is the kernel's clock tick (10 ms): take it around runs of seconds.
inline double cpuMicros(int pid) {
    if (pid <= 0) return -1;
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const size_t close = stat.rfind(')'); // the command name may hold spaces and parentheses
    if (close == std::string::npos) return -1;
    std::istringstream fields(stat.substr(close + 2));
    std::string field;
    double utime = 0, stime = 0;
    // After the name: state is field 3; utime and stime are fields 14 and 15.
    for (int i = 3; i <= 15 && fields >> field; ++i) {
        if (i == 14) utime = std::stod(field);
        if (i == 15) stime = std::stod(field);
    }
    const long hz = ::sysconf(_SC_CLK_TCK);
    return hz > 0 ? (utime + stime) * 1e6 / static_cast<double>(hz) : -1;
}

} // namespace openclaw::bench
