// An IPv4 or IPv6 address as plain bytes, with parsing and RFC 5952 text.
// The core never sees Wireshark's address type: the glue copies the bytes in.
#pragma once

#include <array>
#include <cstring>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "heuristics/common/byte_order.hpp"

namespace phonehome {

struct IpAddress {
    enum class Family : uint8_t { V4, V6 };

    Family family = Family::V4;
    // IPv4 uses bytes[0..3] and leaves the rest zero, so equality and hashing
    // can look at the whole array.
    std::array<uint8_t, 16> bytes{};

    static IpAddress v4(const uint8_t *four_bytes);
    static IpAddress v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d);
    static IpAddress v6(const uint8_t *sixteen_bytes);
    // Accepts dotted quads and any RFC 4291 text form (with "::" and an
    // embedded dotted quad). Returns nothing on malformed text.
    static std::optional<IpAddress> parse(std::string_view text);

    bool is_v4() const { return family == Family::V4; }
    size_t size() const { return is_v4() ? 4 : 16; }
    // Host order; only meaningful for IPv4. Inline: two per packet.
    uint32_t v4_value() const {
        return be32(bytes.data());
    }
    std::string to_string() const;  // dotted quad or RFC 5952 form
    // The same text into a caller's buffer (no allocation, no exception), for
    // the glue, which must not own C++ objects across Wireshark calls.
    static constexpr size_t kMaxText = 48;
    void format(char *buf, size_t size) const;

    // Two word compares (compared on every flow-table probe), not a memcmp call.
    bool operator==(const IpAddress &o) const {
        uint64_t a[2], b[2];
        std::memcpy(a, bytes.data(), 16);
        std::memcpy(b, o.bytes.data(), 16);
        return family == o.family && a[0] == b[0] && a[1] == b[1];
    }
    bool operator!=(const IpAddress &o) const { return !(*this == o); }
    bool operator<(const IpAddress &o) const {
        return family != o.family ? family < o.family : bytes < o.bytes;
    }
};

// A CIDR block: the first `prefix_len` bits of `base`.
struct IpPrefix {
    IpAddress base;
    uint8_t prefix_len = 0;

    // "10.0.0.0/8", "2001:db8:1::/64", or a bare address (a host route).
    static std::optional<IpPrefix> parse(std::string_view text);
    bool contains(const IpAddress &addr) const;
    std::string to_string() const;
};

// Runs on every packet, several times (flow tables, key recovery): two
// 64-bit words mixed by multiplication (IPv4 leaves the second word zero)
// rather than a byte loop, inline.
struct IpAddressHash {
    size_t operator()(const IpAddress &a) const noexcept {
        uint64_t lo, hi;
        std::memcpy(&lo, a.bytes.data(), 8);
        std::memcpy(&hi, a.bytes.data() + 8, 8);
        uint64_t h = (lo ^ uint64_t(a.family)) * 0x9E3779B97F4A7C15ULL;
        h ^= (hi + (h >> 29)) * 0xC2B2AE3D27D4EB4FULL;
        return size_t(h ^ (h >> 32));
    }
};

}  // namespace phonehome
