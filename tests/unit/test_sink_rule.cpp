#include <gtest/gtest.h>

#include "heuristics/analyzer.hpp"
#include "test_helpers.hpp"

using namespace phonehome;
using namespace phonehome::test;

namespace {
bool sink(const PacketFacts &p, const AnalyzerConfig &c = AnalyzerConfig()) {
    return is_sink(p, assign_roles(p, c.local_networks), c.sink_ports);
}
}  // namespace

TEST(SinkRule, UdpToPortZeroOrOneOfAnInternetHost) {
    EXPECT_TRUE(sink(udp("192.168.1.20", 51506, "106.13.0.0", 1, 0)));
    EXPECT_TRUE(sink(udp("10.0.0.5", 40000, "52.1.2.3", 0, 0)));
    EXPECT_TRUE(sink(udp("fd00::20", 51506, "2600:1f18::1", 1, 0)));
    EXPECT_FALSE(sink(udp("192.168.1.20", 51506, "106.13.0.0", 2, 0)));
    EXPECT_FALSE(sink(udp("192.168.1.20", 1, "106.13.0.0", 53, 0)));  // source port 1 is not it
}

TEST(SinkRule, NotToLocalOrNonRoutableAddresses) {
    EXPECT_FALSE(sink(udp("192.168.1.20", 51506, "192.168.1.40", 1, 0)));
    EXPECT_FALSE(sink(udp("192.168.1.20", 51506, "203.0.113.7", 1, 0)));
    EXPECT_FALSE(sink(udp("192.168.1.20", 51506, "2001:db8::7", 1, 0)));
    EXPECT_FALSE(sink(udp("192.168.1.20", 51506, "255.255.255.255", 1, 0)));
    EXPECT_FALSE(sink(udp("192.168.1.20", 51506, "239.1.2.3", 0, 0)));
}

TEST(SinkRule, OnlyFromTheLocalSide) {
    EXPECT_FALSE(sink(udp("106.13.0.0", 40000, "192.168.1.20", 1, 0)));   // inbound to port 1
    EXPECT_FALSE(sink(udp("8.8.8.8", 40000, "106.13.0.0", 1, 0)));        // no local device
}

TEST(SinkRule, TcpOnlyTheSyn) {
    EXPECT_TRUE(sink(tcp("192.168.1.20", 40000, "106.13.0.0", 1, tcp_flag::kSyn)));
    EXPECT_TRUE(sink(tcp("192.168.1.20", 40000, "106.13.0.0", 0, tcp_flag::kSyn)));
    EXPECT_FALSE(sink(tcp("192.168.1.20", 40000, "106.13.0.0", 1, tcp_flag::kSyn | tcp_flag::kAck)));
    EXPECT_FALSE(sink(tcp("192.168.1.20", 40000, "106.13.0.0", 1, tcp_flag::kAck)));
    EXPECT_FALSE(sink(tcp("192.168.1.20", 40000, "106.13.0.0", 1, tcp_flag::kRst | tcp_flag::kAck)));
    EXPECT_FALSE(sink(tcp("192.168.1.20", 40000, "192.168.1.40", 1, tcp_flag::kSyn)));
}

TEST(SinkRule, OtherTransportsAreNotSinks) {
    PacketFacts p = udp("192.168.1.20", 0, "106.13.0.0", 0, 0);
    p.transport = Transport::Icmp;
    EXPECT_FALSE(sink(p));
    p.transport = Transport::Other;
    EXPECT_FALSE(sink(p));
}

TEST(SinkRule, SinkPortsAreConfigurable) {
    AnalyzerConfig c;
    ASSERT_TRUE(c.sink_ports.set("7, 9-10"));
    EXPECT_FALSE(sink(udp("192.168.1.20", 5, "106.13.0.0", 1, 0), c));
    EXPECT_TRUE(sink(udp("192.168.1.20", 5, "106.13.0.0", 9, 0), c));
    EXPECT_TRUE(sink(udp("192.168.1.20", 5, "106.13.0.0", 10, 0), c));
    EXPECT_FALSE(c.sink_ports.set("9-3"));
    EXPECT_FALSE(c.sink_ports.set("70000"));
    EXPECT_TRUE(c.sink_ports.contains(7));  // unchanged after a bad set
}

TEST(SinkRule, ExtraLocalNetworksMakeGlobalIpv6Devices) {
    AnalyzerConfig c;
    const auto p = udp("2a02:1234:5:6::20", 51506, "2600:1f18::1", 1, 0);
    EXPECT_FALSE(sink(p, c));  // both global: no local device
    ASSERT_TRUE(c.local_networks.set("2a02:1234:5:6::/64"));
    EXPECT_TRUE(sink(p, c));
}
