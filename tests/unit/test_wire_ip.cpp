// The IP/TCP/UDP header reader on hand-built headers (RFC 791, 8200, 793, 768
// layouts) and on every truncation of them.
#include <gtest/gtest.h>

#include <vector>

#include "heuristics/wire/ip_packet.hpp"

using namespace phonehome;
using namespace phonehome::wire;

namespace {

// 192.168.1.20:51506 -> 106.13.0.0:1, UDP, 172 bytes of data (the doorbell).
std::vector<uint8_t> doorbell_udp() {
    std::vector<uint8_t> p = {0x45, 0x00, 0x00, 0xc8, 0x12, 0x34, 0x00, 0x00, 0x40, 0x11, 0x00, 0x00,
                              192,  168,  1,    20,   106,  13,   0,    0,
                              0xc9, 0x32, 0x00, 0x01, 0x00, 0xb4, 0x00, 0x00};
    p.resize(20 + 8 + 172, 0xab);
    return p;
}

// 10.0.0.5:40000 -> 52.1.2.3:8883 SYN with 20 bytes of options, IHL 6 (one option word).
std::vector<uint8_t> tcp_syn_with_ip_option() {
    return {0x46, 0x00, 0x00, 0x40, 0x00, 0x01, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00, 10, 0, 0, 5, 52, 1, 2, 3,
            0x01, 0x01, 0x01, 0x00,  // NOP NOP NOP EOL
            0x9c, 0x40, 0x22, 0xb3, 0, 0, 0, 1, 0, 0, 0, 0, 0xa0, 0x02, 0xff, 0xff, 0, 0, 0, 0,
            2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7};
}

std::vector<uint8_t> v6_header(uint8_t next, uint16_t payload_len) {
    std::vector<uint8_t> p = {0x60, 0, 0, 0, uint8_t(payload_len >> 8), uint8_t(payload_len), next, 64};
    const uint8_t src[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x20};
    const uint8_t dst[16] = {0x26, 0x06, 0x47, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x11, 0x11};
    p.insert(p.end(), src, src + 16);
    p.insert(p.end(), dst, dst + 16);
    return p;
}

}  // namespace

TEST(WireIp, Ipv4Udp) {
    const auto p = doorbell_udp();
    IpHeader ip;
    ASSERT_TRUE(parse_ip_header(p.data(), p.size(), &ip));
    EXPECT_EQ(ip.src, IpAddress::v4(192, 168, 1, 20));
    EXPECT_EQ(ip.dst, IpAddress::v4(106, 13, 0, 0));
    EXPECT_EQ(ip.protocol, kIpProtoUdp);
    EXPECT_FALSE(ip.fragment);
    EXPECT_EQ(ip.header_len, 20u);
    EXPECT_EQ(ip.upper_len, 180u);
    TransportHeader th;
    ASSERT_TRUE(parse_udp_header(p.data() + 20, p.size() - 20, &th));
    EXPECT_EQ(th.src_port, 51506);
    EXPECT_EQ(th.dst_port, 1);
    EXPECT_EQ(th.payload_len, 172u);
    EXPECT_EQ(th.tcp_flags, 0);
}

TEST(WireIp, Ipv4TcpSynWithOptions) {
    const auto p = tcp_syn_with_ip_option();
    IpHeader ip;
    ASSERT_TRUE(parse_ip_header(p.data(), p.size(), &ip));
    EXPECT_EQ(ip.header_len, 24u);
    EXPECT_EQ(ip.protocol, kIpProtoTcp);
    EXPECT_EQ(ip.upper_len, 64u - 24u);
    TransportHeader th;
    ASSERT_TRUE(parse_tcp_header(p.data() + 24, p.size() - 24, ip.upper_len, &th));
    EXPECT_EQ(th.src_port, 40000);
    EXPECT_EQ(th.dst_port, 8883);
    EXPECT_EQ(th.tcp_flags, 0x002);
    EXPECT_EQ(th.header_len, 40u);
    EXPECT_EQ(th.payload_len, 0u);
}

TEST(WireIp, TcpPayloadLengthFromIpLengthNotCapture) {
    // A 100-byte segment captured with a snap length that cut it after 10.
    std::vector<uint8_t> p = {0x45, 0, 0, 140, 0, 0, 0, 0, 64, 6, 0, 0, 10, 0, 0, 5, 52, 1, 2, 3,
                              0x01, 0xbb, 0x9c, 0x40, 0xf0, 0, 0, 9, 0, 0, 0, 7, 0x50, 0x18, 0x10, 0, 0, 0, 0, 0};
    p.resize(p.size() + 10, 0x17);
    IpHeader ip;
    ASSERT_TRUE(parse_ip_header(p.data(), p.size(), &ip));
    TransportHeader th;
    ASSERT_TRUE(parse_tcp_header(p.data() + 20, p.size() - 20, ip.upper_len, &th));
    EXPECT_EQ(th.payload_len, 100u);
    EXPECT_EQ(th.tcp_flags, 0x18);  // PSH, ACK
    EXPECT_EQ(th.tcp_seq, 0xf0000009u);
}

TEST(WireIp, Ipv4Fragments) {
    auto p = doorbell_udp();
    p[6] = 0x20;  // MF, offset 0: the first fragment holds the UDP header
    IpHeader ip;
    ASSERT_TRUE(parse_ip_header(p.data(), p.size(), &ip));
    EXPECT_TRUE(ip.fragment);
    EXPECT_TRUE(ip.first_fragment);
    p[6] = 0x00;
    p[7] = 0x10;  // the last fragment at offset 128: no UDP header here
    ASSERT_TRUE(parse_ip_header(p.data(), p.size(), &ip));
    EXPECT_TRUE(ip.fragment);
    EXPECT_FALSE(ip.first_fragment);
}

TEST(WireIp, Ipv4ZeroTotalLengthUsesCapture) {
    auto p = doorbell_udp();
    p[2] = p[3] = 0;  // as TCP segmentation offload writes it
    IpHeader ip;
    ASSERT_TRUE(parse_ip_header(p.data(), p.size(), &ip));
    EXPECT_EQ(ip.upper_len, p.size() - 20);
}

TEST(WireIp, Ipv6ExtensionHeadersAndFragment) {
    // Hop-by-hop (8 bytes), fragment (offset 0, M set), then UDP.
    auto p = v6_header(0, 8 + 8 + 8 + 4);
    const uint8_t hbh[8] = {44, 0, 1, 4, 0, 0, 0, 0};
    const uint8_t frag[8] = {17, 0, 0x00, 0x01, 0xde, 0xad, 0xbe, 0xef};
    const uint8_t udp[8] = {0x13, 0x88, 0x22, 0xb3, 0, 12, 0, 0};
    p.insert(p.end(), hbh, hbh + 8);
    p.insert(p.end(), frag, frag + 8);
    p.insert(p.end(), udp, udp + 8);
    p.insert(p.end(), {1, 2, 3, 4});
    IpHeader ip;
    ASSERT_TRUE(parse_ip_header(p.data(), p.size(), &ip));
    EXPECT_FALSE(ip.src.is_v4());
    EXPECT_EQ(ip.src.to_string(), "2001:db8::20");
    EXPECT_EQ(ip.dst.to_string(), "2606:4700::1111");
    EXPECT_EQ(ip.protocol, kIpProtoUdp);
    EXPECT_EQ(ip.header_len, 56u);
    EXPECT_EQ(ip.upper_len, 12u);
    EXPECT_TRUE(ip.fragment);
    EXPECT_TRUE(ip.first_fragment);
    TransportHeader th;
    ASSERT_TRUE(parse_udp_header(p.data() + ip.header_len, p.size() - ip.header_len, &th));
    EXPECT_EQ(th.src_port, 5000);
    EXPECT_EQ(th.dst_port, 8883);
    EXPECT_EQ(th.payload_len, 4u);
}

TEST(WireIp, RejectsWhatIsNotAnIpHeader) {
    IpHeader ip;
    const uint8_t v5[40] = {0x50};
    EXPECT_FALSE(parse_ip_header(v5, sizeof v5, &ip));
    const uint8_t ihl4[40] = {0x44};
    EXPECT_FALSE(parse_ip_header(ihl4, sizeof ihl4, &ip));
    auto p = tcp_syn_with_ip_option();
    TransportHeader th;
    p[24 + 12] = 0x40;  // TCP data offset 16 bytes: below the minimum
    EXPECT_FALSE(parse_tcp_header(p.data() + 24, p.size() - 24, 40, &th));
    EXPECT_FALSE(parse_ip_header(nullptr, 0, &ip));
}

TEST(WireIp, EveryTruncationIsSafeAndConsistent) {
    for (const auto &full : {doorbell_udp(), tcp_syn_with_ip_option(), v6_header(17, 0)}) {
        for (size_t n = 0; n <= full.size(); ++n) {
            std::vector<uint8_t> cut(full.begin(), full.begin() + long(n));  // own allocation: ASan sees overreads
            IpHeader ip;
            const bool ok = parse_ip_header(cut.data(), cut.size(), &ip);
            const size_t needed = (full[0] >> 4) == 4 ? size_t(full[0] & 15) * 4 : 40;
            EXPECT_EQ(ok, n >= needed) << n;
            if (ok) {
                EXPECT_LE(ip.header_len, n);
            }
        }
    }
}

TEST(WireIp, FindsTheOuterHeaderOfAnIcmpError) {
    // 203.0.113.9 -> 192.168.1.20 ICMP port unreachable quoting the doorbell's datagram.
    const auto quoted = doorbell_udp();
    std::vector<uint8_t> frame = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00};  // Ethernet
    const uint8_t outer[20] = {0x45, 0, 0, 56, 0, 0, 0, 0, 64, 1, 0, 0, 203, 0, 113, 9, 192, 168, 1, 20};
    const uint8_t icmp[8] = {3, 3, 0, 0, 0, 0, 0, 0};
    frame.insert(frame.end(), outer, outer + 20);
    frame.insert(frame.end(), icmp, icmp + 8);
    const size_t quoted_at = frame.size();
    frame.insert(frame.end(), quoted.begin(), quoted.begin() + 28);
    size_t at = 0;
    ASSERT_TRUE(find_icmp_error_outer_header(frame.data(), frame.size(), quoted_at, false, &at));
    EXPECT_EQ(at, 14u);
    IpHeader ip;
    ASSERT_TRUE(parse_ip_header(frame.data() + at, frame.size() - at, &ip));
    EXPECT_EQ(ip.src, IpAddress::v4(203, 0, 113, 9));
    EXPECT_EQ(ip.protocol, kIpProtoIcmp);
    // Not ICMP before the quote: no header is found.
    frame[14 + 9] = 17;
    EXPECT_FALSE(find_icmp_error_outer_header(frame.data(), frame.size(), quoted_at, false, &at));
    EXPECT_FALSE(find_icmp_error_outer_header(frame.data(), frame.size(), 4, false, &at));
}

TEST(WireIp, FindsTheOuterHeaderOfAnIcmpv6Error) {
    auto frame = v6_header(kIpProtoIcmpv6, 8 + 48);
    const uint8_t icmp[8] = {1, 4, 0, 0, 0, 0, 0, 0};
    frame.insert(frame.end(), icmp, icmp + 8);
    const size_t quoted_at = frame.size();
    const auto q = v6_header(17, 8);
    frame.insert(frame.end(), q.begin(), q.end());
    size_t at = 99;
    ASSERT_TRUE(find_icmp_error_outer_header(frame.data(), frame.size(), quoted_at, true, &at));
    EXPECT_EQ(at, 0u);
    frame[6] = 17;
    EXPECT_FALSE(find_icmp_error_outer_header(frame.data(), frame.size(), quoted_at, true, &at));
}
