#include "heuristics/wire/ip_packet.hpp"

#include <cstring>

#include "heuristics/common/byte_order.hpp"

namespace phonehome::wire {

namespace {

bool parse_v4(const uint8_t *d, size_t len, IpHeader *out) {
    if (len < 20) return false;
    const size_t ihl = size_t(d[0] & 0x0f) * 4;
    if (ihl < 20 || ihl > len) return false;
    const size_t total = be16(d + 2);
    out->src = IpAddress::v4(d + 12);
    out->dst = IpAddress::v4(d + 16);
    out->protocol = d[9];
    const uint16_t frag = be16(d + 6);
    const bool more = (frag & 0x2000) != 0;
    const uint16_t offset = frag & 0x1fff;
    out->fragment = more || offset != 0;
    out->first_fragment = offset == 0;
    out->header_len = ihl;
    // A total length below the header (TSO captures write 0) says nothing:
    // take what was captured instead.
    out->upper_len = total >= ihl ? total - ihl : len - ihl;
    return true;
}

bool is_v6_extension(uint8_t next) {
    // Hop-by-hop, routing, fragment, destination options, mobility, HIP,
    // shim6: all start with next-header and a length in 8-byte units except
    // the fragment header (fixed 8 bytes).
    return next == 0 || next == 43 || next == 44 || next == 60 || next == 135 || next == 139 || next == 140;
}

bool parse_v6(const uint8_t *d, size_t len, IpHeader *out) {
    if (len < 40) return false;
    out->src = IpAddress::v6(d + 8);
    out->dst = IpAddress::v6(d + 24);
    const size_t payload = be16(d + 4);
    uint8_t next = d[6];
    size_t off = 40;
    out->fragment = false;
    out->first_fragment = true;
    // A bounded walk: at most 8 extension headers, each inside the capture.
    for (int i = 0; i < 8 && is_v6_extension(next); ++i) {
        if (off + 8 > len) break;
        size_t ext_len = next == 44 ? 8 : (size_t(d[off + 1]) + 1) * 8;
        if (next == 44) {
            const uint16_t frag = be16(d + off + 2);
            out->fragment = true;
            out->first_fragment = (frag & 0xfff8) == 0;
        }
        if (off + ext_len > len) break;
        next = d[off];
        off += ext_len;
    }
    out->protocol = next;
    out->header_len = off;
    // Jumbograms (payload length 0) and short length fields: use the capture.
    out->upper_len = payload + 40 >= off && payload != 0 ? payload + 40 - off : len - off;
    return true;
}

}  // namespace

bool parse_ip_header(const uint8_t *data, size_t len, IpHeader *out) {
    if (!data || len < 1) return false;
    switch (data[0] >> 4) {
    case 4: return parse_v4(data, len, out);
    case 6: return parse_v6(data, len, out);
    default: return false;
    }
}

bool parse_udp_header(const uint8_t *data, size_t len, TransportHeader *out) {
    if (!data || len < 8) return false;
    out->src_port = be16(data);
    out->dst_port = be16(data + 2);
    out->tcp_flags = 0;
    out->header_len = 8;
    const uint16_t ulen = be16(data + 4);
    out->payload_len = ulen >= 8 ? ulen - 8u : 0u;
    return true;
}

bool parse_tcp_header(const uint8_t *data, size_t len, size_t upper_len, TransportHeader *out) {
    if (!data || len < 20) return false;
    out->src_port = be16(data);
    out->dst_port = be16(data + 2);
    const size_t doff = size_t(data[12] >> 4) * 4;
    if (doff < 20) return false;
    out->tcp_flags = uint16_t((data[12] & 0x01) << 8 | data[13]);
    out->tcp_seq = uint32_t(be16(data + 4)) << 16 | be16(data + 6);
    out->header_len = doff;
    out->payload_len = upper_len > doff ? uint32_t(upper_len - doff) : 0u;
    return true;
}

bool find_ip_header(const uint8_t *data, size_t len, const IpAddress &src, const IpAddress &dst, size_t *offset) {
    if (!data || src.family != dst.family) return false;
    const bool v4 = src.is_v4();
    const size_t a = v4 ? 4 : 16, src_at = v4 ? 12 : 8, min_header = v4 ? 20 : 40;
    if (len < min_header) return false;
    for (size_t start = len - min_header + 1; start-- > 0;) {
        const uint8_t *h = data + start;
        if ((h[0] >> 4) != (v4 ? 4 : 6)) continue;
        if (std::memcmp(h + src_at, src.bytes.data(), a) != 0 || std::memcmp(h + src_at + a, dst.bytes.data(), a) != 0)
            continue;
        *offset = start;
        return true;
    }
    return false;
}

bool find_icmp_error_outer_header(const uint8_t *data, size_t len, size_t quoted_offset, bool v6, size_t *outer_offset) {
    if (!data || quoted_offset > len || quoted_offset < 8) return false;
    const size_t end = quoted_offset - 8;  // the ICMP header is 8 bytes in both families
    if (v6) {
        if (end < 40) return false;
        const uint8_t *h = data + end - 40;
        if ((h[0] >> 4) != 6 || h[6] != kIpProtoIcmpv6) return false;
        *outer_offset = end - 40;
        return true;
    }
    // The shortest header that fits: options (IHL > 5) are rare, and a
    // version/IHL byte that names exactly this length is a strong check.
    for (size_t ihl = 5; ihl <= 15; ++ihl) {
        const size_t hlen = ihl * 4;
        if (end < hlen) break;
        const uint8_t *h = data + end - hlen;
        if (h[0] == 0x40 + ihl && h[9] == kIpProtoIcmp) {
            *outer_offset = end - hlen;
            return true;
        }
    }
    return false;
}

}  // namespace phonehome::wire
