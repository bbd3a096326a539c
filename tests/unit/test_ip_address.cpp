#include <gtest/gtest.h>

#include <arpa/inet.h>

#include <cstdio>

#include "heuristics/common/ip_address.hpp"

using phonehome::IpAddress;
using phonehome::IpPrefix;

TEST(IpAddress, ParsesAndFormatsDottedQuads) {
    auto a = IpAddress::parse("106.13.0.0");
    ASSERT_TRUE(a);
    EXPECT_TRUE(a->is_v4());
    EXPECT_EQ(a->v4_value(), 0x6A0D0000u);
    EXPECT_EQ(a->to_string(), "106.13.0.0");
    EXPECT_FALSE(IpAddress::parse("256.1.1.1"));
    EXPECT_FALSE(IpAddress::parse("1.2.3"));
    EXPECT_FALSE(IpAddress::parse("1.2.3.4.5"));
    EXPECT_FALSE(IpAddress::parse("1..3.4"));
    EXPECT_FALSE(IpAddress::parse(""));
}

TEST(IpAddress, FormatsIpv6AfterRfc5952) {
    EXPECT_EQ(IpAddress::parse("2001:0db8:0000:0000:0000:0000:0000:0001")->to_string(), "2001:db8::1");
    EXPECT_EQ(IpAddress::parse("2001:db8:0:1:1:1:1:1")->to_string(), "2001:db8:0:1:1:1:1:1");  // no "::" for one group
    EXPECT_EQ(IpAddress::parse("2001:0:0:1:0:0:0:1")->to_string(), "2001:0:0:1::1");           // longest run wins
    EXPECT_EQ(IpAddress::parse("2001:db8:0:0:1:0:0:1")->to_string(), "2001:db8::1:0:0:1");     // leftmost on ties
    EXPECT_EQ(IpAddress::parse("::")->to_string(), "::");
    EXPECT_EQ(IpAddress::parse("::1")->to_string(), "::1");
    EXPECT_EQ(IpAddress::parse("FE80::A")->to_string(), "fe80::a");
    EXPECT_EQ(IpAddress::parse("::ffff:192.168.1.1")->to_string(), "::ffff:c0a8:101");
}

TEST(IpAddress, RejectsMalformedIpv6) {
    EXPECT_FALSE(IpAddress::parse("1::2::3"));
    EXPECT_FALSE(IpAddress::parse("12345::1"));
    EXPECT_FALSE(IpAddress::parse("1:2:3:4:5:6:7"));
    EXPECT_FALSE(IpAddress::parse("1:2:3:4:5:6:7:8:9"));
    EXPECT_FALSE(IpAddress::parse("g::1"));
    EXPECT_FALSE(IpAddress::parse("1:2:3:4:5:6:7::8"));
}

TEST(IpAddress, FamiliesNeverCompareEqual) {
    const uint8_t zeros[16] = {};
    EXPECT_NE(IpAddress::v4(zeros), IpAddress::v6(zeros));
}

TEST(IpPrefix, ContainsRespectsPrefixBits) {
    auto p = IpPrefix::parse("100.64.0.0/10");
    ASSERT_TRUE(p);
    EXPECT_TRUE(p->contains(*IpAddress::parse("100.64.0.1")));
    EXPECT_TRUE(p->contains(*IpAddress::parse("100.127.255.255")));
    EXPECT_FALSE(p->contains(*IpAddress::parse("100.128.0.0")));
    EXPECT_FALSE(p->contains(*IpAddress::parse("100.63.255.255")));
    EXPECT_FALSE(p->contains(*IpAddress::parse("::1")));

    auto v6 = IpPrefix::parse("2001:db8:1:2::/64");
    ASSERT_TRUE(v6);
    EXPECT_TRUE(v6->contains(*IpAddress::parse("2001:db8:1:2:aaaa::20")));
    EXPECT_FALSE(v6->contains(*IpAddress::parse("2001:db8:1:3::20")));
}

TEST(IpPrefix, NormalisesHostBitsAndRejectsBadLengths) {
    EXPECT_EQ(IpPrefix::parse("192.168.1.77/24")->to_string(), "192.168.1.0/24");
    EXPECT_EQ(IpPrefix::parse("10.1.2.3")->to_string(), "10.1.2.3/32");
    EXPECT_EQ(IpPrefix::parse("0.0.0.0/0")->prefix_len, 0);
    EXPECT_FALSE(IpPrefix::parse("10.0.0.0/33"));
    EXPECT_FALSE(IpPrefix::parse("::/129"));
    EXPECT_FALSE(IpPrefix::parse("10.0.0.0/"));
    EXPECT_FALSE(IpPrefix::parse("10.0.0.0/x"));
}

namespace {
// glibc's inet_ntop, an independent RFC 5952 formatter, as the reference. It
// writes IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d)
// addresses with a dotted quad, which the plugin does not; the caller skips
// those.
std::string reference_v6(const uint8_t *b) {
    char text[INET6_ADDRSTRLEN];
    return inet_ntop(AF_INET6, b, text, sizeof text) ? text : "";
}

bool dotted_in_glibc(const uint8_t *b) {
    for (int i = 0; i < 10; ++i)
        if (b[i]) return false;
    const bool mapped = b[10] == 0xff && b[11] == 0xff;
    const bool compatible = b[10] == 0 && b[11] == 0 && (b[12] || b[13]);  // not ::, ::1 or ::x
    return mapped || compatible;
}
}  // namespace

TEST(IpAddress, FormatMatchesTheReferenceForEveryZeroGroupPattern) {
    uint32_t seed = 12345;
    for (int pattern = 0; pattern < 256; ++pattern) {
        for (int variant = 0; variant < 4; ++variant) {
            uint8_t b[16];
            for (int i = 0; i < 8; ++i) {
                seed = seed * 1103515245u + 12345u;
                const uint16_t v = (pattern >> i) & 1 ? 0 : uint16_t((seed >> 8) >> (variant * 4));
                b[2 * i] = uint8_t(v >> 8);
                b[2 * i + 1] = uint8_t(v);
            }
            if (dotted_in_glibc(b)) continue;
            EXPECT_EQ(IpAddress::v6(b).to_string(), reference_v6(b)) << pattern;
        }
    }
    for (unsigned v : {0u, 9u, 10u, 99u, 100u, 199u, 255u}) {
        const IpAddress a = IpAddress::v4(uint8_t(v), 0, uint8_t(255 - v), 7);
        EXPECT_EQ(a.to_string(), std::to_string(v) + ".0." + std::to_string(255 - v) + ".7");
    }
    char small[5];
    IpAddress::v4(192, 168, 1, 20).format(small, sizeof small);
    EXPECT_STREQ(small, "192.");  // truncated like snprintf, always terminated
}
