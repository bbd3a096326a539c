// Builders of PacketFacts for the unit tests.
#pragma once

#include <cstdint>
#include <string>

#include "heuristics/packet_facts.hpp"

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

}  // namespace phonehome::test
