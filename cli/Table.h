// A box-drawn table for human output (┌─┬─┐), as the reference's `devices` and `nodes` commands print.
#pragma once

#include <string>
#include <vector>

namespace openclaw::cli {

/// Renders rows under a header; cells are plain text (UTF-8 counted by code points).
std::string renderTable(const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string>>& rows);

/// "just now", "5m ago", "3h ago", "2d ago" for a time in ms since the epoch.
std::string ageOf(long long atMs, long long nowMs);

} // namespace openclaw::cli
