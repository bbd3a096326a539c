#include <gtest/gtest.h>

#include "heuristics/analyzer.hpp"
#include "test_helpers.hpp"

using namespace phonehome;
using namespace phonehome::test;

TEST(Roles, LocalDeviceAndGlobalRemoteEitherWay) {
    LocalNetworks none;
    auto out = assign_roles(udp("192.168.1.20", 51506, "106.13.0.0", 1, 0), none);
    EXPECT_TRUE(out.phonehome);
    EXPECT_TRUE(out.outbound);
    EXPECT_EQ(out.device, ip("192.168.1.20"));
    EXPECT_EQ(out.remote, ip("106.13.0.0"));
    EXPECT_EQ(out.device_port, 51506);
    EXPECT_EQ(out.remote_port, 1);

    auto in = assign_roles(udp("106.13.0.0", 1, "192.168.1.20", 51506, 0), none);
    EXPECT_TRUE(in.phonehome);
    EXPECT_FALSE(in.outbound);
    EXPECT_EQ(in.device, ip("192.168.1.20"));
    EXPECT_EQ(in.remote_port, 1);
    EXPECT_EQ(in.device_port, 51506);
}

TEST(Roles, NoRolesWithoutBothSides) {
    LocalNetworks none;
    EXPECT_FALSE(assign_roles(udp("192.168.1.20", 1, "192.168.1.40", 1, 0), none).phonehome);
    EXPECT_FALSE(assign_roles(udp("8.8.8.8", 53, "1.1.1.1", 53, 0), none).phonehome);
    EXPECT_FALSE(assign_roles(udp("192.168.1.20", 5353, "224.0.0.251", 5353, 0), none).phonehome);
    EXPECT_FALSE(assign_roles(udp("192.168.1.20", 5, "198.51.100.1", 1, 0), none).phonehome);
    EXPECT_FALSE(assign_roles(udp("0.0.0.0", 68, "255.255.255.255", 67, 0), none).phonehome);
}

TEST(Analyzer, DoorbellBurstsGetSinkAndThenPinhole) {
    Analyzer a;
    // Burst 1: three datagrams 100 ms apart; only sinks.
    for (int i = 0; i < 3; ++i) {
        auto v = a.analyze(udp("192.168.1.20", 51506, "106.13.0.0", 1, i * kSec / 10));
        EXPECT_EQ(v.findings, finding_bit(Finding::Sink)) << i;
    }
    // Burst 2, ten minutes later: sink and pinhole from its first datagram on.
    for (int i = 0; i < 2; ++i) {
        auto v = a.analyze(udp("192.168.1.20", 51506, "106.13.0.0", 1, 600 * kSec + i * kSec / 10));
        EXPECT_EQ(v.findings, finding_bit(Finding::Sink) | finding_bit(Finding::Pinhole)) << i;
        EXPECT_EQ(v.pinhole.after_silence, i == 0);
    }
}

TEST(Analyzer, PinholeOnAnyPortAndClosedByAReply) {
    Analyzer a;
    auto out = [&](int64_t t) { return a.analyze(udp("10.1.1.5", 40000, "52.10.20.30", 3478, t)); };
    EXPECT_EQ(out(0).findings, 0u);
    EXPECT_EQ(out(30 * kSec).findings, finding_bit(Finding::Pinhole));
    EXPECT_EQ(out(31 * kSec).findings, finding_bit(Finding::Pinhole));
    auto reply = a.analyze(udp("52.10.20.30", 3478, "10.1.1.5", 40000, 32 * kSec));
    EXPECT_EQ(reply.findings, 0u);
    EXPECT_EQ(out(100 * kSec).findings, 0u);
}

TEST(Analyzer, RepliedTrafficAndLanTrafficHaveNoFindings) {
    Analyzer a;
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(a.analyze(udp("192.168.1.30", 123, "162.159.200.1", 123, i * 64 * kSec)).findings, 0u);
        EXPECT_EQ(a.analyze(udp("162.159.200.1", 123, "192.168.1.30", 123, i * 64 * kSec + kSec / 50)).findings, 0u);
        EXPECT_EQ(a.analyze(udp("192.168.1.10", 40000, "192.168.1.40", 1, i * 64 * kSec)).findings, 0u);
    }
}

TEST(Analyzer, PinholeOnlyForInternetRemotes) {
    Analyzer a;
    a.analyze(udp("192.168.1.10", 40000, "192.168.1.40", 9999, 0));
    EXPECT_EQ(a.analyze(udp("192.168.1.10", 40000, "192.168.1.40", 9999, 60 * kSec)).findings, 0u);
    a.analyze(udp("192.168.1.10", 40000, "203.0.113.9", 9999, 0));
    EXPECT_EQ(a.analyze(udp("192.168.1.10", 40000, "203.0.113.9", 9999, 60 * kSec)).findings, 0u);
}

TEST(Analyzer, ResetForgetsFlows) {
    Analyzer a;
    a.analyze(udp("192.168.1.20", 51506, "106.13.0.0", 7, 0));
    a.reset();
    EXPECT_EQ(a.analyze(udp("192.168.1.20", 51506, "106.13.0.0", 7, 60 * kSec)).findings, 0u);
}

TEST(Analyzer, ConfigChangesTheSilence) {
    AnalyzerConfig c;
    c.pinhole_silence_ns = 100 * kSec;
    Analyzer a(c);
    a.analyze(udp("192.168.1.20", 51506, "106.13.0.0", 7, 0));
    EXPECT_EQ(a.analyze(udp("192.168.1.20", 51506, "106.13.0.0", 7, 99 * kSec)).findings, 0u);
    EXPECT_EQ(a.analyze(udp("192.168.1.20", 51506, "106.13.0.0", 7, 199 * kSec)).findings,
              finding_bit(Finding::Pinhole));
}

TEST(Analyzer, EvictionIsReported) {
    AnalyzerConfig c;
    Analyzer a(c);
    EXPECT_EQ(a.eviction_note(), "");
    // More one-way 4-tuples than the pinhole table holds.
    for (uint32_t i = 0; i < PinholeTracker::kDefaultMaxFlows + 1000; ++i)
        a.analyze(udp("10.0.0.2", uint16_t(1024 + i % 60000), "52.28." + std::to_string(i / 60000) + ".1",
                      uint16_t(7 + i % 3), int64_t(i) * 1000));
    EXPECT_NE(a.eviction_note().find("UDP 4-tuples (pinhole)"), std::string::npos);
    EXPECT_LE(a.pinholes().flows(), PinholeTracker::kDefaultMaxFlows);
}
