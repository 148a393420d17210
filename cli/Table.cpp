#include "Table.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string_view>

namespace openclaw::cli {

namespace {

constexpr size_t kPadding = 1;

/// The code points of UTF-8 text, each as its bytes.
std::vector<std::string> codePoints(const std::string& s) {
    std::vector<std::string> out;
    for (unsigned char c : s) {
        if ((c & 0xC0) == 0x80 && !out.empty())
            out.back() += static_cast<char>(c);
        else
            out.emplace_back(1, static_cast<char>(c));
    }
    return out;
}

size_t widthOf(const std::string& s) {
    return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

bool printableAscii(const std::string& s) {
    if (s.empty() || s.front() == ' ' || s.back() == ' ') return false;
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= ' ' && c <= '~'; });
}

std::string rtrim(std::string s) {
    while (!s.empty() && s.back() == ' ')
        s.pop_back();
    return s;
}

/// Greedy wrapping at the last break character that fits; a word longer than the width is cut.
class Wrapper {
  public:
    explicit Wrapper(size_t width) : width_(width) {}

    std::vector<std::string> wrap(const std::string& text) {
        bool afterCr = false;
        for (std::string cp : codePoints(text)) {
            if (cp == "\t") cp = " ";
            if (cp == "\n" && afterCr) {
                afterCr = false;
                continue;
            }
            if (cp == "\n" || cp == "\r") {
                afterCr = cp == "\r";
                flush(buf_.size());
                lineHasOutput_ = false;
                continue;
            }
            accept(cp);
        }
        if (!buf_.empty()) flush(buf_.size());
        return lines_.empty() ? std::vector<std::string>{""} : lines_;
    }

  private:
    void accept(const std::string& cp) {
        if (buf_.size() + 1 > width_ && !buf_.empty()) {
            flush(lastBreak_ == 0 ? buf_.size() : lastBreak_);
            if (buf_.size() + 1 > width_ && !buf_.empty()) flush(buf_.size());
        }
        if (buf_.empty() && cp == " ") return;
        buf_.push_back(cp);
        if (cp == " " || cp == "/" || cp == "-" || cp == "_" || cp == ".") lastBreak_ = buf_.size();
    }
    void flush(size_t count) {
        std::string line;
        for (size_t i = 0; i < count; ++i)
            line += buf_[i];
        if (!buf_.empty() || !lineHasOutput_) {
            lines_.push_back(rtrim(line));
            lineHasOutput_ = true;
        }
        buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(count));
        lastBreak_ = 0;
    }

    size_t width_;
    std::vector<std::string> buf_, lines_;
    size_t lastBreak_ = 0; ///< 0: no break character in the buffer
    bool lineHasOutput_ = false;
};

std::vector<std::string> wrapCell(const std::string& text, size_t width) {
    if (text.size() <= width && printableAscii(text)) return {text};
    return Wrapper(width).wrap(text);
}

/// Takes `over` columns of room from the widest of `which` that stay above their minimum.
void shrink(std::vector<size_t>& widths, const std::vector<size_t>& which, const std::vector<size_t>& minimum,
            size_t& over) {
    while (over > 0) {
        std::optional<size_t> widest;
        for (size_t i : which)
            if (widths[i] > minimum[i] && (!widest || widths[i] > widths[*widest])) widest = i;
        if (!widest) return;
        --widths[*widest];
        --over;
    }
}

/// Shares `extra` columns of room among the flexible columns, evenly.
void grow(std::vector<size_t>& widths, const std::vector<size_t>& flexible, size_t extra) {
    if (flexible.empty()) return;
    while (extra > 0) {
        const size_t round = std::max<size_t>(1, extra / flexible.size());
        for (size_t i : flexible) {
            const size_t amount = std::min(round, extra);
            widths[i] += amount;
            extra -= amount;
            if (extra == 0) break;
        }
    }
}

bool startsToken(char before) {
    return std::string_view(" \t\n(\"'`:=[{,").find(before) != std::string_view::npos;
}

/// After the home path: the end, a separator, or closing punctuation that ends the token.
bool endsHome(const std::string& text, size_t end) {
    if (end == text.size() || text[end] == '/' || text[end] == '\\') return true;
    size_t p = end;
    while (p < text.size() && std::string_view(")\"'`:,;.]}").find(text[p]) != std::string_view::npos)
        ++p;
    return p > end && (p == text.size() || std::isspace(static_cast<unsigned char>(text[p])));
}

/// Every cell of a table passes through this: the home folder of whoever runs the CLI, shortened.
std::string displayCell(const std::string& text) {
    const char* explicitHome = std::getenv("OPENCLAW_HOME");
    if (explicitHome && *explicitHome) return homeShortened(text, explicitHome, "$OPENCLAW_HOME");
    const char* home = std::getenv("HOME");
    return home ? homeShortened(text, home, "~") : text;
}

std::vector<size_t> layout(const std::vector<Column>& columns,
                           const std::vector<std::vector<std::string>>& rows, size_t width) {
    const size_t n = columns.size();
    std::vector<size_t> widths(n), preferred(n), absolute(n), flexible, fixed;
    for (size_t i = 0; i < n; ++i) {
        const size_t header = widthOf(columns[i].header);
        size_t cell = 0;
        for (const auto& row : rows)
            cell = std::max(cell, i < row.size() ? widthOf(row[i]) : 0);
        widths[i] = std::max(columns[i].minWidth, std::max(header, cell) + 2 * kPadding);
        preferred[i] = std::max({columns[i].minWidth, header + 2 * kPadding, size_t{3}});
        absolute[i] = std::max(header + 2 * kPadding, size_t{3});
        (columns[i].flex ? flexible : fixed).push_back(i);
    }
    size_t total = n + 1;
    for (size_t w : widths)
        total += w;
    if (total > width) {
        size_t over = total - width;
        shrink(widths, flexible, preferred, over);
        shrink(widths, flexible, absolute, over);
        shrink(widths, fixed, preferred, over);
        shrink(widths, fixed, absolute, over);
        total = width + over;
    }
    if (total < width) grow(widths, flexible, width - total);
    return widths;
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
        out += repeat("─", widths[i]) + (i + 1 < widths.size() ? mid : right);
    return out + "\n";
}

/// One row, as many lines as its tallest wrapped cell.
std::string rowLines(const std::vector<size_t>& widths, const std::vector<std::string>& cells) {
    std::vector<std::vector<std::string>> wrapped;
    size_t height = 1;
    for (size_t i = 0; i < widths.size(); ++i) {
        const size_t inner = std::max<size_t>(1, widths[i] - 2 * kPadding);
        wrapped.push_back(wrapCell(i < cells.size() ? cells[i] : "", inner));
        height = std::max(height, wrapped.back().size());
    }
    std::string out;
    for (size_t line = 0; line < height; ++line) {
        out += "│";
        for (size_t i = 0; i < widths.size(); ++i) {
            const size_t inner = std::max<size_t>(1, widths[i] - 2 * kPadding);
            std::string text = line < wrapped[i].size() ? wrapped[i][line] : "";
            const std::vector<std::string> cps = codePoints(text);
            if (cps.size() > inner) { // a cell wider than its column is cut
                text.clear();
                for (size_t k = 0; k < inner; ++k)
                    text += cps[k];
            }
            out += " " + text + std::string(inner - std::min(inner, widthOf(text)), ' ') + " │";
        }
        out += "\n";
    }
    return out;
}

} // namespace

std::string homeShortened(const std::string& text, const std::string& home, const std::string& prefix) {
    std::string h = home;
    while (h.size() > 1 && h.back() == '/')
        h.pop_back();
    if (h.empty() || h == "/") return text;
    std::string out;
    size_t cursor = 0;
    for (size_t at = text.find(h); at != std::string::npos; at = text.find(h, cursor)) {
        const bool whole = (at == 0 || startsToken(text[at - 1])) && endsHome(text, at + h.size());
        out += text.substr(cursor, at - cursor) + (whole ? prefix : h);
        cursor = at + h.size();
    }
    return out + text.substr(cursor);
}

std::string renderTable(const std::vector<Column>& columns,
                        const std::vector<std::vector<std::string>>& given, size_t width) {
    std::vector<std::vector<std::string>> rows = given;
    for (auto& row : rows)
        for (std::string& cell : row)
            cell = displayCell(cell);
    const std::vector<size_t> widths = layout(columns, rows, width);
    std::vector<std::string> header;
    header.reserve(columns.size());
    for (const Column& c : columns)
        header.push_back(c.header);
    std::string out = rule(widths, "┌", "┬", "┐") + rowLines(widths, header) + rule(widths, "├", "┼", "┤");
    for (const auto& row : rows)
        out += rowLines(widths, row);
    return out + rule(widths, "└", "┴", "┘");
}

size_t terminalTableWidth() {
    winsize size{};
    if (::isatty(STDOUT_FILENO) && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
        return std::max<size_t>(60, size.ws_col);
    return 120;
}

std::string ageOf(long long atMs, long long nowMs) {
    const double seconds = std::floor(static_cast<double>(std::max(0LL, nowMs - atMs)) / 1000.0 + 0.5);
    const double minutes = std::floor(seconds / 60.0 + 0.5);
    if (minutes < 1) return "just now";
    if (minutes < 60) return std::to_string(static_cast<long long>(minutes)) + "m ago";
    const double hours = std::floor(minutes / 60.0 + 0.5);
    if (hours < 48) return std::to_string(static_cast<long long>(hours)) + "h ago";
    return std::to_string(static_cast<long long>(std::floor(hours / 24.0 + 0.5))) + "d ago";
}

} // namespace openclaw::cli
