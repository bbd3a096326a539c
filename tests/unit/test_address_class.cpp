#include <gtest/gtest.h>

#include <string>

#include "heuristics/identity/address_class.hpp"

using namespace phonehome;

namespace {
AddressClass cls(const char *text, const LocalNetworks &extra = LocalNetworks()) {
    auto a = IpAddress::parse(text);
    EXPECT_TRUE(a) << text;
    return classify(*a, extra);
}
}  // namespace

TEST(AddressClass, PrivateAndSpecialPurposeIpv4AreLocal) {
    for (const char *a : {"10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.254", "192.168.1.20",
                          "100.64.0.1", "100.127.255.254", "127.0.0.1", "169.254.10.20", "192.0.0.2", "198.18.0.5",
                          "198.19.255.255"})
        EXPECT_EQ(cls(a), AddressClass::Local) << a;
}

TEST(AddressClass, RangeEdgesAreGlobal) {
    for (const char *a : {"9.255.255.255", "11.0.0.0", "172.15.255.255", "172.32.0.0", "192.167.255.255",
                          "192.169.0.0", "100.63.255.255", "100.128.0.0", "169.253.255.255", "198.17.255.255",
                          "198.20.0.0", "106.13.0.0", "8.8.8.8", "1.1.1.1", "223.255.255.255"})
        EXPECT_EQ(cls(a), AddressClass::Global) << a;
}

TEST(AddressClass, DocumentationMulticastBroadcastAreNotRoutable) {
    for (const char *a : {"192.0.2.1", "198.51.100.7", "203.0.113.255", "224.0.0.251", "239.255.255.250",
                          "255.255.255.255", "0.0.0.0", "0.1.2.3", "240.0.0.1", "2001:db8::1", "3fff::1", "ff02::fb",
                          "ff05::c", "::", "100::1", "::ffff:8.8.8.8", "2001:10::1"})
        EXPECT_EQ(cls(a), AddressClass::NonRoutable) << a;
}

TEST(AddressClass, GloballyReachableSpecialBlocksAreGlobal) {
    // The IANA registries mark these as globally reachable though they sit
    // inside special-purpose space.
    for (const char *a : {"192.0.0.9", "192.0.0.10", "2001::1", "2001:4:112::1", "2001:20::1", "64:ff9b::808:808",
                          "2001:1::1"})
        EXPECT_EQ(cls(a), AddressClass::Global) << a;
}

TEST(AddressClass, Ipv6LocalAndGlobal) {
    for (const char *a : {"::1", "fe80::1", "fd12:3456:789a::20", "fc00::1", "fec0::1", "2001:2::5"})
        EXPECT_EQ(cls(a), AddressClass::Local) << a;
    for (const char *a : {"2600:1f18::1", "2a05:d018::10", "2400:cb00::1", "2002:c000:204::1"})
        EXPECT_EQ(cls(a), AddressClass::Global) << a;
    // Outside 2000::/3 and the local blocks, the space is reserved.
    for (const char *a : {"4000::1", "1::1", "e000::1"}) EXPECT_EQ(cls(a), AddressClass::NonRoutable) << a;
}

TEST(AddressClass, UserLocalNetworksWin) {
    LocalNetworks extra;
    ASSERT_TRUE(extra.set("2600:1f18:aa:bb::/64, 106.13.0.0/16;198.51.100.0/24"));
    EXPECT_EQ(cls("2600:1f18:aa:bb::20", extra), AddressClass::Local);
    EXPECT_EQ(cls("2600:1f18:aa:bc::20", extra), AddressClass::Global);
    EXPECT_EQ(cls("106.13.5.5", extra), AddressClass::Local);
    EXPECT_EQ(cls("198.51.100.9", extra), AddressClass::Local);
    EXPECT_EQ(extra.prefixes().size(), 3u);
}

TEST(AddressClass, MalformedLocalNetworksAreRejectedWhole) {
    LocalNetworks extra;
    ASSERT_TRUE(extra.set("10.9.0.0/16"));
    std::string bad;
    EXPECT_FALSE(extra.set("2001:db8::/64, not-a-network", &bad));
    EXPECT_EQ(bad, "not-a-network");
    ASSERT_EQ(extra.prefixes().size(), 1u);  // previous list kept
    EXPECT_TRUE(extra.set(""));
    EXPECT_TRUE(extra.prefixes().empty());
}

TEST(AddressClass, FastIpv4PathAgreesWithTheTable) {
    // Every /16 edge and a million pseudo-random addresses.
    uint64_t x = 0x9E3779B97F4A7C15ULL;
    for (uint32_t i = 0; i < 1000000; ++i) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        const uint32_t v = i < 65536 * 2 ? ((i >> 1) << 16) | ((i & 1) ? 0xFFFF : 0) : uint32_t(x);
        const IpAddress a = IpAddress::v4(uint8_t(v >> 24), uint8_t(v >> 16), uint8_t(v >> 8), uint8_t(v));
        ASSERT_EQ(classify_builtin(a), classify_builtin_table(a)) << a.to_string();
    }
    for (const char *s : {"192.0.0.8", "192.0.0.9", "192.0.0.10", "192.0.0.11", "198.51.100.0", "203.0.113.255"}) {
        const IpAddress a = *IpAddress::parse(s);
        EXPECT_EQ(classify_builtin(a), classify_builtin_table(a)) << s;
    }
}

TEST(AddressClass, FastIpv6PathAgreesWithTheTable) {
    // Every first 16 bits (with the rest zero, all ones and random) and the
    // edges of the blocks the fast path leaves to the table.
    uint64_t x = 0xD1B54A32D192ED03ULL;
    auto next = [&x] { return x ^= x << 13, x ^= x >> 7, x ^= x << 17; };
    for (uint32_t top = 0; top < 65536; ++top) {
        for (int fill = 0; fill < 3; ++fill) {
            uint8_t b[16];
            b[0] = uint8_t(top >> 8), b[1] = uint8_t(top);
            for (int i = 2; i < 16; ++i) b[i] = fill == 0 ? 0 : fill == 1 ? 0xFF : uint8_t(next());
            const IpAddress a = IpAddress::v6(b);
            ASSERT_EQ(classify_builtin(a), classify_builtin_table(a)) << a.to_string();
        }
    }
    for (const char *s : {"2001:db8::1", "2001:1::1", "2001:1ff::", "2001:200::", "3fff::1", "3fff:fff::", "3fff:1000::",
                          "fe80::1", "febf::", "fec0::", "fbff::", "fc00::", "fdff::", "ff02::1", "::1", "64:ff9b::1"}) {
        const IpAddress a = *IpAddress::parse(s);
        EXPECT_EQ(classify_builtin(a), classify_builtin_table(a)) << s;
    }
}
