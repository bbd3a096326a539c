// Plain-text tables with columns as wide as their widest cell, for the tshark
// reports.
#pragma once

#include <cstddef>
#include <cstdint>  // SIZE_MAX (newer libstdc++ no longer brings it in with <string>)
#include <string>
#include <vector>

namespace phonehome {

// A number with a fixed count of decimals ("%.*f"), for report cells.
std::string format_fixed(double v, int decimals);

class TextTable {
public:
    void set_header(std::vector<std::string> header) { header_ = std::move(header); }
    // Columns from `first` on are right-aligned (numbers).
    void align_right_from(size_t first) { right_from_ = first; }
    // A column left-aligned although it lies in the right-aligned part.
    void align_left(size_t column) { left_.push_back(column); }
    void add_row(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
    std::string render() const;

private:
    std::vector<std::string> header_;
    std::vector<std::vector<std::string>> rows_;
    size_t right_from_ = SIZE_MAX;
    std::vector<size_t> left_;
};

}  // namespace phonehome
