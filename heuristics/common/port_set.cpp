#include "heuristics/common/port_set.hpp"

#include <cctype>

namespace phonehome {

namespace {
bool parse_port(std::string_view s, uint16_t &out) {
    if (s.empty() || s.size() > 5) return false;
    unsigned v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        v = v * 10 + unsigned(c - '0');
    }
    if (v > 65535) return false;
    out = uint16_t(v);
    return true;
}
}  // namespace

void PortSet::add_range(uint16_t first, uint16_t last) {
    for (uint32_t p = first; p <= last; ++p) bits_.set(p);
}

bool PortSet::set(std::string_view text) {
    PortSet parsed;
    size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && (text[i] == ',' || std::isspace(static_cast<unsigned char>(text[i])))) ++i;
        size_t start = i;
        while (i < text.size() && !(text[i] == ',' || std::isspace(static_cast<unsigned char>(text[i])))) ++i;
        if (start == i) break;
        std::string_view item = text.substr(start, i - start);
        size_t dash = item.find('-');
        uint16_t lo, hi;
        if (dash == std::string_view::npos) {
            if (!parse_port(item, lo)) return false;
            hi = lo;
        } else if (!parse_port(item.substr(0, dash), lo) || !parse_port(item.substr(dash + 1), hi) || lo > hi) {
            return false;
        }
        parsed.add_range(lo, hi);
    }
    *this = parsed;
    return true;
}

}  // namespace phonehome
