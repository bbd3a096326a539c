#include <gtest/gtest.h>

#include "heuristics/detectors/pinhole_tracker.hpp"
#include "test_helpers.hpp"

using namespace phonehome;
using namespace phonehome::test;

namespace {
FlowKey doorbell() { return FlowKey{ip("192.168.1.20"), ip("106.13.0.0"), 51506, 1}; }
}  // namespace

TEST(PinholeTracker, FirstDatagramIsNeverAPinhole) {
    PinholeTracker t;
    auto r = t.on_outbound(doorbell(), 1000 * kSec);
    EXPECT_FALSE(r.pinhole);
    EXPECT_EQ(r.gap_ns, 0);
    EXPECT_EQ(r.datagrams, 1u);
}

TEST(PinholeTracker, ExactlyTwentySecondsOpensIt) {
    PinholeTracker t;
    t.on_outbound(doorbell(), 0);
    auto r = t.on_outbound(doorbell(), 20 * kSec);
    EXPECT_TRUE(r.pinhole);
    EXPECT_TRUE(r.after_silence);
    EXPECT_EQ(r.gap_ns, 20 * kSec);
}

TEST(PinholeTracker, JustUnderTwentySecondsDoesNot) {
    PinholeTracker t;
    t.on_outbound(doorbell(), 0);
    auto r = t.on_outbound(doorbell(), 20 * kSec - 1000);
    EXPECT_FALSE(r.pinhole);
    // The gap is measured from the latest datagram, not the first.
    r = t.on_outbound(doorbell(), 39 * kSec);
    EXPECT_FALSE(r.pinhole);
    r = t.on_outbound(doorbell(), 59 * kSec);
    EXPECT_TRUE(r.pinhole);
}

TEST(PinholeTracker, ContinuousStreamIsNotAPinhole) {
    PinholeTracker t;
    for (int i = 0; i < 3000; ++i) EXPECT_FALSE(t.on_outbound(doorbell(), i * 20'000'000LL).pinhole) << i;
}

TEST(PinholeTracker, EveryLaterDatagramCarriesItUntilAReply) {
    PinholeTracker t;
    t.on_outbound(doorbell(), 0);
    t.on_outbound(doorbell(), kSec / 10);
    auto opened = t.on_outbound(doorbell(), 300 * kSec);
    ASSERT_TRUE(opened.after_silence);
    EXPECT_EQ(opened.since_open_ns, 0);
    auto next = t.on_outbound(doorbell(), 300 * kSec + kSec / 10);
    EXPECT_TRUE(next.pinhole);
    EXPECT_FALSE(next.after_silence);
    EXPECT_EQ(next.since_open_ns, kSec / 10);
    EXPECT_EQ(next.datagrams, 4u);
    // A later silence re-creates the mapping; the series goes on from its start.
    auto again = t.on_outbound(doorbell(), 700 * kSec);
    EXPECT_TRUE(again.pinhole);
    EXPECT_TRUE(again.after_silence);
    EXPECT_EQ(again.gap_ns, 700 * kSec - (300 * kSec + kSec / 10));
    EXPECT_EQ(again.since_open_ns, 400 * kSec);

    // A late reply closes it for good.
    t.on_inbound(doorbell(), 701 * kSec);
    EXPECT_FALSE(t.on_outbound(doorbell(), 702 * kSec).pinhole);
    EXPECT_FALSE(t.on_outbound(doorbell(), 900 * kSec).pinhole);
}

TEST(PinholeTracker, AnEarlierReplyPreventsIt) {
    PinholeTracker t;
    t.on_outbound(doorbell(), 0);
    t.on_inbound(doorbell(), kSec);
    EXPECT_FALSE(t.on_outbound(doorbell(), 100 * kSec).pinhole);
}

TEST(PinholeTracker, ARemoteThatSpokeFirstCountsAsAReply) {
    PinholeTracker t;
    t.on_inbound(doorbell(), 0);
    t.on_outbound(doorbell(), kSec);
    EXPECT_FALSE(t.on_outbound(doorbell(), 100 * kSec).pinhole);
}

TEST(PinholeTracker, FourTuplesAreIndependent) {
    PinholeTracker t;
    FlowKey other = doorbell();
    other.device_port = 51507;
    FlowKey other_remote = doorbell();
    other_remote.remote_port = 2;
    t.on_outbound(doorbell(), 0);
    t.on_outbound(other, 0);
    t.on_inbound(other, kSec);  // a reply on a different 4-tuple
    t.on_outbound(other_remote, 10 * kSec);
    EXPECT_TRUE(t.on_outbound(doorbell(), 30 * kSec).pinhole);
    EXPECT_FALSE(t.on_outbound(other, 30 * kSec).pinhole);
    EXPECT_FALSE(t.on_outbound(other_remote, 29 * kSec).pinhole);
}

TEST(PinholeTracker, Ipv6FourTuple) {
    PinholeTracker t;
    FlowKey k{ip("fd00::20"), ip("2600:1f18::1"), 51506, 0};
    t.on_outbound(k, 0);
    EXPECT_TRUE(t.on_outbound(k, 45 * kSec).pinhole);
}

TEST(PinholeTracker, TimeGoingBackwardsIsNoSilence) {
    PinholeTracker t;
    t.on_outbound(doorbell(), 100 * kSec);
    auto r = t.on_outbound(doorbell(), 10 * kSec);
    EXPECT_FALSE(r.pinhole);
    EXPECT_EQ(r.gap_ns, 0);
}

TEST(PinholeTracker, SilenceIsConfigurable) {
    PinholeTracker t(5 * kSec);
    t.on_outbound(doorbell(), 0);
    EXPECT_TRUE(t.on_outbound(doorbell(), 5 * kSec).pinhole);
}

TEST(PinholeTracker, TableIsBoundedAndKeepsTheActiveFlows) {
    PinholeTracker t(20 * kSec, 1000);
    t.on_outbound(doorbell(), 0);
    for (int i = 0; i < 5000; ++i) {
        FlowKey k{ip("192.168.1.30"), ip("52.0.0.1"), uint16_t(1024 + i), 9};
        t.on_outbound(k, kSec + i * 1'000'000LL);
        if (i % 100 == 0) t.on_outbound(doorbell(), kSec + i * 1'000'000LL);  // the long-lived one stays active
    }
    EXPECT_LE(t.flows(), 1000u);
    EXPECT_GT(t.evicted(), 0u);
    EXPECT_TRUE(t.on_outbound(doorbell(), 100 * kSec).pinhole);
}
