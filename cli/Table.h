// A box-drawn table for human output (┌─┬─┐), laid out as the reference's `devices` and `nodes` commands lay
// theirs out: each column as wide as its widest cell (at least its minimum), then fitted to the table width —
// flexible columns shrink first (wrapping their cells at spaces, '/', '-', '_' and '.') and take what is
// left over.
#pragma once

#include <string>
#include <vector>

namespace openclaw::cli {

/// A column: its header, its minimum width (borders' padding included) and whether it gives and takes room.
struct Column {
    std::string header;
    size_t minWidth = 3;
    bool flex = false;
};

/// Renders rows under the columns' headers, `width` characters wide; cells are plain text (UTF-8 counted by
/// code points).
std::string renderTable(const std::vector<Column>& columns, const std::vector<std::vector<std::string>>& rows,
                        size_t width);

/// A cell as the reference shows it: the home folder ($OPENCLAW_HOME, else $HOME) written "~" (or
/// "$OPENCLAW_HOME") where it stands as a whole path or a path's start.
std::string homeShortened(const std::string& text, const std::string& home, const std::string& prefix);

/// The width tables are laid out to: the terminal's (at least 60) when stdout is one, else 120.
size_t terminalTableWidth();

/// "just now", "5m ago", "3h ago", "2d ago" for a time in ms since the epoch (rounded as the reference).
std::string ageOf(long long atMs, long long nowMs);

} // namespace openclaw::cli
