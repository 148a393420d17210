// Latency samples and the figures the benchmark prints.
#pragma once

#include <algorithm>
#include <cstddef>
#include <fstream>
#include <string>
#include <vector>

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

} // namespace openclaw::bench
