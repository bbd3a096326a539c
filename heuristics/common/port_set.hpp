// A set of UDP/TCP port numbers, set from text like "0-1,7,9".
#pragma once

#include <bitset>
#include <cstdint>
#include <string>
#include <string_view>

namespace phonehome {

class PortSet {
public:
    PortSet() = default;
    // Ranges "a-b" and single ports separated by commas or white space.
    // Returns false (leaving the set unchanged) on malformed text.
    bool set(std::string_view text);
    void add_range(uint16_t first, uint16_t last);
    void clear() { bits_.reset(); }
    bool contains(uint16_t port) const { return bits_.test(port); }

private:
    std::bitset<65536> bits_;
};

}  // namespace phonehome
