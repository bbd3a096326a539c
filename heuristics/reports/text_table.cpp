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

std::string TextTable::render() const {
    std::vector<size_t> width(header_.size(), 0);
    for (size_t c = 0; c < header_.size(); ++c) width[c] = header_[c].size();
    for (const auto &row : rows_)
        for (size_t c = 0; c < row.size() && c < width.size(); ++c) width[c] = std::max(width[c], row[c].size());

    auto line = [&](const std::vector<std::string> &cells) {
        std::string out;
        for (size_t c = 0; c < width.size(); ++c) {
            const std::string &cell = c < cells.size() ? cells[c] : std::string();
            const std::string pad(width[c] - std::min(width[c], cell.size()), ' ');
            if (c) out += "  ";
            const bool right = c >= right_from_ && std::find(left_.begin(), left_.end(), c) == left_.end();
            out += right ? pad + cell : cell + (c + 1 < width.size() ? pad : std::string());
        }
        while (!out.empty() && out.back() == ' ') out.pop_back();
        return out + "\n";
    };
    std::string out = line(header_);
    for (const auto &row : rows_) out += line(row);
    return out;
}

}  // namespace phonehome
