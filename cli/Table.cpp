#include "Table.h"

#include <algorithm>

namespace openclaw::cli {

namespace {

size_t widthOf(const std::string& s) {
    size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++n; // count code points, not bytes
    return n;
}

std::string repeat(const std::string& unit, size_t n) {
    std::string out;
    for (size_t i = 0; i < n; ++i)
        out += unit;
    return out;
}

std::string rule(const std::vector<size_t>& widths, const char* left, const char* mid, const char* right) {
    std::string out = left;
    for (size_t i = 0; i < widths.size(); ++i)
        out += repeat("─", widths[i] + 2) + (i + 1 < widths.size() ? mid : right);
    return out + "\n";
}

std::string line(const std::vector<size_t>& widths, const std::vector<std::string>& cells) {
    std::string out = "│";
    for (size_t i = 0; i < widths.size(); ++i) {
        const std::string cell = i < cells.size() ? cells[i] : "";
        out += " " + cell + std::string(widths[i] - widthOf(cell), ' ') + " │";
    }
    return out + "\n";
}

} // namespace

std::string renderTable(const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string>>& rows) {
    std::vector<size_t> widths;
    widths.reserve(header.size());
    for (const std::string& h : header)
        widths.push_back(widthOf(h));
    for (const auto& row : rows)
        for (size_t i = 0; i < widths.size() && i < row.size(); ++i)
            widths[i] = std::max(widths[i], widthOf(row[i]));
    std::string out = rule(widths, "┌", "┬", "┐") + line(widths, header) + rule(widths, "├", "┼", "┤");
    for (const auto& row : rows)
        out += line(widths, row);
    return out + rule(widths, "└", "┴", "┘");
}

std::string ageOf(long long atMs, long long nowMs) {
    const long long s = std::max(0LL, (nowMs - atMs) / 1000);
    if (s < 60) return "just now";
    if (s < 3600) return std::to_string(s / 60) + "m ago";
    if (s < 86400) return std::to_string(s / 3600) + "h ago";
    return std::to_string(s / 86400) + "d ago";
}

} // namespace openclaw::cli
