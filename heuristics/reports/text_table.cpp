#include "heuristics/reports/text_table.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>

namespace phonehome {

std::string format_fixed(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

namespace {

// The code point at `at` and the bytes it takes (invalid bytes count as one
// narrow character each).
uint32_t code_point(const std::string &s, size_t at, size_t *len) {
    const auto b = static_cast<unsigned char>(s[at]);
    const size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xe ? 3 : (b >> 3) == 0x1e ? 4 : 1;
    if (n == 1 || at + n > s.size()) {
        *len = 1;
        return b;
    }
    uint32_t cp = b & (0x7f >> n);
    for (size_t i = 1; i < n; ++i) {
        const auto c = static_cast<unsigned char>(s[at + i]);
        if ((c & 0xc0) != 0x80) {
            *len = 1;
            return b;
        }
        cp = cp << 6 | (c & 0x3f);
    }
    *len = n;
    return cp;
}

size_t columns_of(uint32_t cp) {
    const bool wide = (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) ||
                      (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
                      (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x20000 && cp <= 0x3fffd);
    return wide ? 2 : 1;
}

}  // namespace

size_t display_width(const std::string &text) {
    size_t width = 0;
    for (size_t at = 0, len = 0; at < text.size(); at += len) width += columns_of(code_point(text, at, &len));
    return width;
}

size_t widest_line(const std::string &text) {
    size_t widest = 0, start = 0;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        widest = std::max(widest, display_width(text.substr(start, end - start)));
        start = end + 1;
    }
    return widest;
}

std::string fit(const std::string &text, size_t width) {
    if (display_width(text) <= width) return text;
    const size_t keep = width > 3 ? width - 3 : 0;
    std::string out;
    size_t used = 0;
    for (size_t at = 0, len = 0; at < text.size(); at += len) {
        const size_t w = columns_of(code_point(text, at, &len));
        if (used + w > keep) break;
        out += text.substr(at, len);
        used += w;
    }
    return width > 3 ? out + "..." : out;
}

std::string wrap(const std::string &text, size_t width, const std::string &first, const std::string &rest) {
    std::string out, line = first;
    bool empty = true;
    size_t at = 0;
    while (at < text.size()) {
        size_t end = text.find(' ', at);
        if (end == std::string::npos) end = text.size();
        const std::string word = text.substr(at, end - at);
        at = end + 1;
        if (!empty && line.size() + 1 + word.size() > width) {
            out += line + "\n";
            line = rest;
            empty = true;
        }
        line += (empty ? "" : " ") + word;
        empty = false;
    }
    return out + line + "\n";
}

std::string TextTable::render() const {
    std::vector<size_t> width(header_.size(), 0);
    for (size_t c = 0; c < header_.size(); ++c) width[c] = display_width(header_[c]);
    for (const auto &row : rows_)
        if (!row.note)
            for (size_t c = 0; c < row.cells.size() && c < width.size(); ++c)
                width[c] = std::max(width[c], display_width(row.cells[c]));

    auto line = [&](const std::vector<std::string> &cells) {
        std::string out;
        for (size_t c = 0; c < width.size(); ++c) {
            const std::string &cell = c < cells.size() ? cells[c] : std::string();
            const std::string pad(width[c] - std::min(width[c], display_width(cell)), ' ');
            if (c) out += "  ";
            const bool right = c >= right_from_ && std::find(left_.begin(), left_.end(), c) == left_.end();
            out += right ? pad + cell : cell + (c + 1 < width.size() ? pad : std::string());
        }
        while (!out.empty() && out.back() == ' ') out.pop_back();
        return out + "\n";
    };
    std::string out = line(header_);
    for (const auto &row : rows_) out += row.note ? row.cells.front() + "\n" : line(row.cells);
    return out;
}

}  // namespace phonehome
