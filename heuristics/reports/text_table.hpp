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
// The columns a UTF-8 string takes on a terminal: one per character, two
// for East Asian wide and full-width ones (vendor names hold some).
size_t display_width(const std::string &text);
// The widest line of a text, in columns.
size_t widest_line(const std::string &text);
// At most `width` columns: longer text is cut (between characters) and ends
// in "...".
std::string fit(const std::string &text, size_t width);
// `text` wrapped at spaces into lines of at most `width` characters, the
// first starting with `first`, the others with `rest`.
std::string wrap(const std::string &text, size_t width, const std::string &first, const std::string &rest);

class TextTable {
public:
    void set_header(std::vector<std::string> header) { header_ = std::move(header); }
    // Columns from `first` on are right-aligned (numbers).
    void align_right_from(size_t first) { right_from_ = first; }
    // A column left-aligned although it lies in the right-aligned part.
    void align_left(size_t column) { left_.push_back(column); }
    void add_row(std::vector<std::string> row) { rows_.push_back({std::move(row), false}); }
    // A line of its own under the last row (a verdict), written as it is.
    void add_note(std::string line) { rows_.push_back({{std::move(line)}, true}); }
    std::string render() const;

private:
    std::vector<std::string> header_;
    struct Row {
        std::vector<std::string> cells;
        bool note;
    };
    std::vector<Row> rows_;
    size_t right_from_ = SIZE_MAX;
    std::vector<size_t> left_;
};

}  // namespace phonehome
