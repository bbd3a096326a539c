#include "heuristics/common/ip_address.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <vector>

namespace phonehome {

IpAddress IpAddress::v4(const uint8_t *four_bytes) {
    IpAddress a;
    a.family = Family::V4;
    std::memcpy(a.bytes.data(), four_bytes, 4);
    return a;
}

IpAddress IpAddress::v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
    const uint8_t v[4] = {a, b, c, d};
    return v4(v);
}

IpAddress IpAddress::v6(const uint8_t *sixteen_bytes) {
    IpAddress a;
    a.family = Family::V6;
    std::memcpy(a.bytes.data(), sixteen_bytes, 16);
    return a;
}

namespace {

std::optional<std::array<uint8_t, 4>> parse_dotted_quad(std::string_view s) {
    std::array<uint8_t, 4> out{};
    size_t part = 0, i = 0;
    while (part < 4) {
        if (i >= s.size() || s[i] < '0' || s[i] > '9') return std::nullopt;
        unsigned value = 0;
        size_t digits = 0;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
            value = value * 10 + unsigned(s[i] - '0');
            if (++digits > 3 || value > 255) return std::nullopt;
            ++i;
        }
        out[part++] = uint8_t(value);
        if (part < 4) {
            if (i >= s.size() || s[i] != '.') return std::nullopt;
            ++i;
        }
    }
    if (i != s.size()) return std::nullopt;
    return out;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Parses a run of ':'-separated groups (no "::" inside); a trailing dotted
// quad counts as two groups when allowed.
bool parse_groups(std::string_view s, bool allow_v4_tail, std::vector<uint16_t> &groups) {
    if (s.empty()) return true;
    size_t start = 0;
    while (true) {
        size_t colon = s.find(':', start);
        std::string_view g = s.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start);
        if (colon == std::string_view::npos && allow_v4_tail && g.find('.') != std::string_view::npos) {
            auto quad = parse_dotted_quad(g);
            if (!quad) return false;
            groups.push_back(uint16_t((*quad)[0] << 8 | (*quad)[1]));
            groups.push_back(uint16_t((*quad)[2] << 8 | (*quad)[3]));
            return true;
        }
        if (g.empty() || g.size() > 4) return false;
        unsigned v = 0;
        for (char c : g) {
            int h = hex_value(c);
            if (h < 0) return false;
            v = v * 16 + unsigned(h);
        }
        groups.push_back(uint16_t(v));
        if (colon == std::string_view::npos) return true;
        start = colon + 1;
    }
}

std::optional<std::array<uint8_t, 16>> parse_v6(std::string_view s) {
    std::vector<uint16_t> head, tail;
    size_t gap = s.find("::");
    if (gap != std::string_view::npos) {
        if (s.find("::", gap + 1) != std::string_view::npos) return std::nullopt;
        if (!parse_groups(s.substr(0, gap), false, head)) return std::nullopt;
        if (!parse_groups(s.substr(gap + 2), true, tail)) return std::nullopt;
        if (head.size() + tail.size() > 7) return std::nullopt;
    } else {
        if (!parse_groups(s, true, head) || head.size() != 8) return std::nullopt;
    }
    // The eight groups: head from the left, zeros, tail at the right.
    std::array<uint16_t, 8> groups{};
    std::copy(head.begin(), head.end(), groups.begin());
    std::copy(tail.begin(), tail.end(), groups.end() - tail.size());
    std::array<uint8_t, 16> out{};
    for (size_t g = 0; g < groups.size(); ++g) {
        out[2 * g] = uint8_t(groups[g] >> 8);
        out[2 * g + 1] = uint8_t(groups[g]);
    }
    return out;
}

}  // namespace

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
    if (text.find(':') == std::string_view::npos) {
        auto quad = parse_dotted_quad(text);
        if (!quad) return std::nullopt;
        return v4(quad->data());
    }
    auto v6bytes = parse_v6(text);
    if (!v6bytes) return std::nullopt;
    return v6(v6bytes->data());
}

std::string IpAddress::to_string() const {
    char buf[kMaxText];
    format(buf, sizeof buf);
    return buf;
}

namespace {

// Decimal digits of one byte, without snprintf: format() runs for every
// packet shown with a tree (device and remote), where snprintf cost ~1,700
// instructions per address.
char *put_decimal(char *p, unsigned v) {
    if (v >= 100) *p++ = char('0' + v / 100);
    if (v >= 10) *p++ = char('0' + v / 10 % 10);
    *p++ = char('0' + v % 10);
    return p;
}

// Lower-case hex of one 16-bit group without leading zeros (RFC 5952).
char *put_hex_group(char *p, unsigned v) {
    static const char digits[] = "0123456789abcdef";
    bool started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
        const unsigned d = (v >> shift) & 0xf;
        if (d || started || shift == 0) {
            *p++ = digits[d];
            started = true;
        }
    }
    return p;
}

}  // namespace

void IpAddress::format(char *buf, size_t size) const {
    if (size == 0) return;
    char out[kMaxText];
    char *p = out;
    if (is_v4()) {
        for (int i = 0; i < 4; ++i) {
            if (i) *p++ = '.';
            p = put_decimal(p, bytes[i]);
        }
    } else {
        uint16_t g[8];
        for (int i = 0; i < 8; ++i) g[i] = uint16_t(bytes[2 * i] << 8 | bytes[2 * i + 1]);
        // RFC 5952: compress the longest run (leftmost on ties) of two or more zero groups.
        int best_start = -1, best_len = 0;
        for (int i = 0; i < 8;) {
            if (g[i] != 0) {
                ++i;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) ++j;
            if (j - i > best_len && j - i >= 2) {
                best_start = i;
                best_len = j - i;
            }
            i = j;
        }
        for (int i = 0; i < 8; ++i) {
            if (i == best_start) {
                *p++ = ':';
                *p++ = ':';
                i += best_len - 1;
                continue;
            }
            if (p > out && p[-1] != ':') *p++ = ':';
            p = put_hex_group(p, g[i]);
        }
    }
    const size_t n = std::min(size_t(p - out), size - 1);  // at most 39 characters: fits kMaxText
    std::memcpy(buf, out, n);
    buf[n] = 0;
}

std::optional<IpPrefix> IpPrefix::parse(std::string_view text) {
    size_t slash = text.find('/');
    auto addr = IpAddress::parse(text.substr(0, slash));
    if (!addr) return std::nullopt;
    unsigned max_len = addr->is_v4() ? 32 : 128;
    unsigned len = max_len;
    if (slash != std::string_view::npos) {
        std::string_view digits = text.substr(slash + 1);
        if (digits.empty() || digits.size() > 3) return std::nullopt;
        len = 0;
        for (char c : digits) {
            if (c < '0' || c > '9') return std::nullopt;
            len = len * 10 + unsigned(c - '0');
        }
        if (len > max_len) return std::nullopt;
    }
    IpPrefix p;
    p.base = *addr;
    p.prefix_len = uint8_t(len);
    // Normalise: clear host bits so to_string() shows the network.
    for (unsigned bit = len; bit < max_len; ++bit) p.base.bytes[bit / 8] &= uint8_t(~(0x80u >> (bit % 8)));
    return p;
}

bool IpPrefix::contains(const IpAddress &addr) const {
    if (addr.family != base.family) return false;
    unsigned full = prefix_len / 8, rest = prefix_len % 8;
    if (std::memcmp(addr.bytes.data(), base.bytes.data(), full) != 0) return false;
    if (rest == 0) return true;
    uint8_t mask = uint8_t(0xFF << (8 - rest));
    return (addr.bytes[full] & mask) == (base.bytes[full] & mask);
}

std::string IpPrefix::to_string() const {
    return base.to_string() + "/" + std::to_string(prefix_len);
}

}  // namespace phonehome
