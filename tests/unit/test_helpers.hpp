// Shared helpers of the unit tests: PacketFacts builders, hex bytes, and
// seeded random payloads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <random>
#include <string>
#include <vector>

#include "heuristics/common/packet_facts.hpp"

namespace phonehome::test {

constexpr int64_t kSec = 1'000'000'000;

inline IpAddress ip(const std::string &text) { return *IpAddress::parse(text); }

inline PacketFacts udp(const std::string &src, uint16_t sport, const std::string &dst, uint16_t dport,
                       int64_t t_ns, uint32_t len = 214) {
    PacketFacts p;
    p.src = ip(src);
    p.dst = ip(dst);
    p.transport = Transport::Udp;
    p.src_port = sport;
    p.dst_port = dport;
    p.time_ns = t_ns;
    p.rel_time_ns = t_ns;
    p.frame_len = len;
    return p;
}

inline PacketFacts tcp(const std::string &src, uint16_t sport, const std::string &dst, uint16_t dport,
                       uint16_t flags, int64_t t_ns = 0, uint32_t len = 74) {
    PacketFacts p = udp(src, sport, dst, dport, t_ns, len);
    p.transport = Transport::Tcp;
    p.tcp_flags = flags;
    return p;
}

// Hex digits to bytes; spaces are skipped, so fields can be set apart.
inline std::vector<uint8_t> hex(const std::string &text) {
    std::string s;
    for (char c : text)
        if (c != ' ') s.push_back(c);
    std::vector<uint8_t> out;
    for (size_t i = 0; i + 1 < s.size(); i += 2) out.push_back(uint8_t(std::stoul(s.substr(i, 2), nullptr, 16)));
    return out;
}

// Hex text in pieces, so a message can be laid out one field per line.
inline std::vector<uint8_t> hex(std::initializer_list<const char *> parts) {
    std::string digits;
    for (const char *p : parts) digits += p;
    return hex(digits);
}

inline std::string to_hex(const uint8_t *p, size_t n) {
    static const char *digits = "0123456789abcdef";
    std::string s;
    for (size_t i = 0; i < n; ++i) {
        s.push_back(digits[p[i] >> 4]);
        s.push_back(digits[p[i] & 15]);
    }
    return s;
}

// Fills the first n bytes of buf with the generator's output, 8 at a time.
inline void fill_random(std::mt19937_64 &rng, std::vector<uint8_t> &buf, size_t n) {
    for (size_t j = 0; j < n; j += 8) {
        const uint64_t r = rng();
        for (size_t k = 0; k < 8 && j + k < n; ++k) buf[j + k] = uint8_t(r >> (8 * k));
    }
}

// Runs a wire reader, `bool reader(const uint8_t *, size_t, Message *)`, on
// the first `len` bytes of `bytes` (all of them by default); sets *ok to what
// it returned.
template <typename Message, typename Reader>
Message read_prefix(Reader reader, const std::vector<uint8_t> &bytes, bool *ok = nullptr, size_t len = SIZE_MAX) {
    Message out;
    const bool r = reader(bytes.data(), len < bytes.size() ? len : bytes.size(), &out);
    if (ok) *ok = r;
    return out;
}

// How many of `count` random payloads (sizes 0..max_len, seeded) a parser
// claims.
template <typename Parser>
size_t random_payload_claims(uint64_t seed, int count, size_t max_len, Parser parse) {
    std::mt19937_64 rng(seed);
    std::vector<uint8_t> buf(max_len);
    size_t claims = 0;
    for (int i = 0; i < count; ++i) {
        const size_t n = size_t(rng() % max_len);
        fill_random(rng, buf, n);
        if (parse(buf.data(), n)) ++claims;
    }
    return claims;
}

}  // namespace phonehome::test
