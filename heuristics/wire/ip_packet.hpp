// Reads the few IP and transport header fields the core needs (addresses,
// upper protocol, ports, TCP flags, payload lengths) from an IP packet's
// bytes. Wireshark has already decided where the header is and what it
// carries; the plugin hands the bytes here so it needs no protocol tree,
// which would make tshark build a tree for every packet (see bench/README.md).
// Everything is bounds-checked against the captured length; nothing throws.
#pragma once

#include <cstddef>
#include <cstdint>

#include "heuristics/common/ip_address.hpp"

namespace phonehome::wire {

constexpr uint8_t kIpProtoIcmp = 1, kIpProtoTcp = 6, kIpProtoUdp = 17, kIpProtoIcmpv6 = 58;

struct IpHeader {
    IpAddress src, dst;
    uint8_t protocol = 0;       // upper-layer protocol (after IPv6 extension headers)
    bool fragment = false;      // part of a fragmented datagram (the transport is not here, or not whole)
    bool first_fragment = false;  // offset 0 (the transport header is here)
    size_t header_len = 0;      // bytes up to the upper-layer header (IPv6: with extension headers)
    size_t upper_len = 0;       // upper-layer bytes as the header states them (may exceed what was captured)
};

// `data` starts at the IP header; `len` bytes were captured from there.
// False when the version nibble, header length or addresses do not fit.
bool parse_ip_header(const uint8_t *data, size_t len, IpHeader *out);

struct TransportHeader {
    uint16_t src_port = 0, dst_port = 0;
    uint16_t tcp_flags = 0;     // TCP only: the 9 flag bits (FIN 0x01 ... NS 0x100)
    uint32_t tcp_seq = 0;       // TCP only: the sequence number
    size_t header_len = 0;      // 8 for UDP, the data offset for TCP
    uint32_t payload_len = 0;   // UDP: length field - 8; TCP: upper_len - data offset
};

// `data` starts at the UDP/TCP header, `len` captured bytes; `upper_len` is
// the IP header's length for the upper layer (TCP has no length of its own).
bool parse_udp_header(const uint8_t *data, size_t len, TransportHeader *out);
bool parse_tcp_header(const uint8_t *data, size_t len, size_t upper_len, TransportHeader *out);

// The last IP header in `data` with these source and destination addresses
// (the innermost, for a tunnel that repeats them): where the version nibble
// is right and the two addresses follow each other as the header places them.
bool find_ip_header(const uint8_t *data, size_t len, const IpAddress &src, const IpAddress &dst, size_t *offset);

// An ICMP/ICMPv6 error quotes an earlier packet's IP header. Given where the
// quoted header starts, finds the start of the error packet's own IP header
// right before the 8-byte ICMP header: an IPv4 header whose length field
// ends exactly there and whose protocol is ICMP, or a 40-byte IPv6 header
// whose next header is ICMPv6 (extension headers in between are not
// searched). Returns false when no header fits.
bool find_icmp_error_outer_header(const uint8_t *data, size_t len, size_t quoted_offset, bool v6, size_t *outer_offset);

}  // namespace phonehome::wire
