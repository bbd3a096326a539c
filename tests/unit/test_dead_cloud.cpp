#include <gtest/gtest.h>

#include "heuristics/detectors/dead_cloud.hpp"
#include "test_helpers.hpp"

using namespace phonehome;
using namespace phonehome::test;

namespace {
const IpAddress kCam = ip("192.168.1.50");
const IpAddress kCloud = ip("47.88.1.2");
}  // namespace

TEST(DeadCloud, DeadFromTheThirdUnansweredAttempt) {
    DeadCloudTracker t;
    auto a = t.on_syn(kCam, 40001, kCloud, 443, 0);
    EXPECT_EQ(a.attempt, 1u);
    EXPECT_FALSE(a.dead);
    // A retransmission (same source port) counts.
    a = t.on_syn(kCam, 40001, kCloud, 443, 1 * kSec);
    EXPECT_EQ(a.attempt, 2u);
    EXPECT_FALSE(a.dead);
    // So does a new connection from another source port.
    a = t.on_syn(kCam, 40002, kCloud, 443, 3 * kSec);
    EXPECT_EQ(a.attempt, 3u);
    EXPECT_TRUE(a.dead);
    EXPECT_EQ(a.since_first_ns, 3 * kSec);
    a = t.on_syn(kCam, 40003, kCloud, 443, 60 * kSec);
    EXPECT_EQ(a.attempt, 4u);
    EXPECT_TRUE(a.dead);
}

TEST(DeadCloud, AnsweredConnectsAreAlwaysAttemptOne) {
    DeadCloudTracker t;
    for (int i = 0; i < 10; ++i) {
        auto a = t.on_syn(kCam, uint16_t(40000 + i), kCloud, 8883, i * 60 * kSec);
        EXPECT_EQ(a.attempt, 1u) << i;
        EXPECT_FALSE(a.dead);
        t.on_alive(kCam, kCloud, 8883, i * 60 * kSec + kSec / 10);  // SYN-ACK
    }
    EXPECT_EQ(t.services(), 1u);  // remembered as answered
}

TEST(DeadCloud, AServiceThatAnsweredOnceIsNeverDead) {
    DeadCloudTracker t;
    for (int i = 0; i < 3; ++i) t.on_syn(kCam, 40001, kCloud, 443, i * kSec);
    t.on_alive(kCam, kCloud, 443, 5 * kSec);  // e.g. a RST: someone is there
    auto a = t.on_syn(kCam, 40002, kCloud, 443, 10 * kSec);
    EXPECT_EQ(a.attempt, 1u);
    EXPECT_FALSE(a.dead);
    EXPECT_EQ(a.since_first_ns, 0);
    // It stops answering: still not a remote that never answered.
    for (int i = 1; i < 6; ++i) EXPECT_FALSE(t.on_syn(kCam, 40002, kCloud, 443, (10 + 2 * i) * kSec).dead);
}

TEST(DeadCloud, AnswersCountOnlyForTheirService) {
    DeadCloudTracker t;
    for (int i = 0; i < 2; ++i) t.on_syn(kCam, 40001, kCloud, 443, i * kSec);
    // Another port of the same host, the same port of another host, and the
    // same service answering another device: none answers this one.
    t.on_alive(kCam, kCloud, 80, 2 * kSec);
    t.on_alive(kCam, ip("47.88.1.3"), 443, 2 * kSec);
    t.on_alive(ip("192.168.1.51"), kCloud, 443, 2 * kSec);
    EXPECT_TRUE(t.on_syn(kCam, 40001, kCloud, 443, 3 * kSec).dead);
}

TEST(DeadCloud, ServicesAreCountedApart) {
    DeadCloudTracker t;
    t.on_syn(kCam, 40001, kCloud, 443, 0);
    t.on_syn(kCam, 40001, kCloud, 443, kSec);
    EXPECT_EQ(t.on_syn(kCam, 40005, kCloud, 8883, 2 * kSec).attempt, 1u);
    EXPECT_EQ(t.on_syn(ip("192.168.1.51"), 40001, kCloud, 443, 2 * kSec).attempt, 1u);
    EXPECT_EQ(t.on_syn(kCam, 40001, kCloud, 443, 3 * kSec).attempt, 3u);
}

TEST(DeadCloud, EvictionKeepsADeadServiceRetriedNowAndThen) {
    DeadCloudTracker t(64);
    uint32_t tries = 0;
    // The camera's connect: a SYN and two retransmissions; the cloud is dead.
    for (int i = 0; i < 3; ++i, ++tries) t.on_syn(kCam, 41000, kCloud, 443, i * kSec);
    // Then one-off connects to many remotes, one a second, and every 100 s a
    // retry of the dead service: more one-offs between two retries than the
    // table holds, so recency alone would forget it.
    for (int i = 0; i < 3000; ++i) {
        t.on_syn(kCam, 40000, IpAddress::v4(52, 0, uint8_t(i >> 8), uint8_t(i)), 443, (10 + i) * kSec);
        if (i % 100 == 99) {
            t.on_syn(kCam, 41000, kCloud, 443, (10 + i) * kSec);
            ++tries;
        }
    }
    EXPECT_LE(t.services(), 64u);
    EXPECT_GT(t.evicted(), 2900u);
    auto a = t.on_syn(kCam, 41000, kCloud, 443, 4000 * kSec);
    EXPECT_EQ(a.attempt, tries + 1);
    EXPECT_TRUE(a.dead);
    EXPECT_EQ(a.since_first_ns, 4000 * kSec);
    // A service answered in between is forgotten outright, as it needs no state.
    t.on_alive(kCam, kCloud, 443, 4001 * kSec);
    EXPECT_EQ(t.on_syn(kCam, 41000, kCloud, 443, 4002 * kSec).attempt, 1u);
}

TEST(DeadCloud, TimeGoingBackwardsGivesNoNegativeDuration) {
    DeadCloudTracker t;
    t.on_syn(kCam, 40001, kCloud, 443, 10 * kSec);
    EXPECT_EQ(t.on_syn(kCam, 40001, kCloud, 443, 5 * kSec).since_first_ns, 0);
}

TEST(DeadCloud, ParallelConnectsWithinASecondAreNotDead) {
    // An app opens three connections to one host at once; the answers come a
    // moment later. A dead host retried the same way is dead from its first
    // retransmission, a second on.
    DeadCloudTracker t;
    for (int i = 0; i < 3; ++i) EXPECT_FALSE(t.on_syn(kCam, uint16_t(41000 + i), kCloud, 443, i * kSec / 100).dead);
    for (int i = 0; i < 3; ++i) t.on_alive(kCam, kCloud, 443, kSec / 10);
    EXPECT_EQ(t.on_syn(kCam, 41010, kCloud, 443, 2 * kSec).attempt, 1u);

    DeadCloudTracker dead;
    for (int i = 0; i < 3; ++i) EXPECT_FALSE(dead.on_syn(kCam, uint16_t(42000 + i), kCloud, 443, i * kSec / 100).dead);
    const auto retry = dead.on_syn(kCam, 42000, kCloud, 443, kSec + kSec / 100);
    EXPECT_EQ(retry.attempt, 4u);
    EXPECT_TRUE(retry.dead);
}

TEST(DeadCloud, AServiceAliveBeforeItsFirstSynIsNeverDead) {
    // The capture starts in the middle of a connection (its SYN is not in it):
    // the device's data shows the service is there; later connects to it
    // that go unanswered (a one-direction capture) are not a dead cloud.
    DeadCloudTracker t;
    EXPECT_FALSE(t.on_alive(kCam, kCloud, 443, 0));
    for (int i = 1; i < 8; ++i) EXPECT_FALSE(t.on_syn(kCam, uint16_t(40000 + i), kCloud, 443, i * kSec).dead) << i;
}

TEST(DeadCloud, WaitingServicesAreLookedUpOnlyWhileTheyWait) {
    DeadCloudTracker t;
    // Nothing waits: a pure ACK is not even looked up, so it is not remembered.
    EXPECT_FALSE(t.on_alive_if_waiting(kCam, kCloud, 443, 0));
    EXPECT_EQ(t.services(), 0u);
    // A service with unanswered SYNs: the segment answers it.
    t.on_syn(kCam, 40001, kCloud, 443, kSec);
    t.on_syn(kCam, 40001, kCloud, 443, 2 * kSec);
    t.on_alive_if_waiting(kCam, kCloud, 443, 3 * kSec);
    EXPECT_FALSE(t.on_syn(kCam, 40002, kCloud, 443, 4 * kSec).dead);
    EXPECT_FALSE(t.on_syn(kCam, 40002, kCloud, 443, 5 * kSec).dead);
    EXPECT_FALSE(t.on_syn(kCam, 40002, kCloud, 443, 7 * kSec).dead);
    // Another port of the same host waiting does not make this one alive.
    for (int i = 0; i < 2; ++i) t.on_syn(kCam, 40003, kCloud, 8883, (10 + i) * kSec);
    t.on_alive_if_waiting(kCam, kCloud, 80, 12 * kSec);
    EXPECT_TRUE(t.on_syn(kCam, 40003, kCloud, 8883, 13 * kSec).dead);
}

TEST(DeadCloud, AFlaggedServiceThatAnswersLaterSaysSoOnce) {
    DeadCloudTracker t;
    for (int i = 0; i < 2; ++i) t.on_syn(kCam, 40001, kCloud, 443, i * kSec);
    EXPECT_TRUE(t.on_syn(kCam, 40001, kCloud, 443, 3 * kSec).dead);
    EXPECT_TRUE(t.on_alive_if_waiting(kCam, kCloud, 443, 60 * kSec));  // a late SYN-ACK or data
    EXPECT_FALSE(t.on_alive(kCam, kCloud, 443, 61 * kSec));            // said once
    // A service answered before it was ever flagged was never dead.
    for (int i = 0; i < 2; ++i) t.on_syn(kCam, 40005, kCloud, 80, i * kSec);
    EXPECT_FALSE(t.on_alive(kCam, kCloud, 80, 2 * kSec));
}

TEST(DeadCloud, EvictionKeepsCountingWaitingServices) {
    // The waiting count behind on_alive_if_waiting survives eviction: a dead
    // service kept through a flood of one-off connects is still looked up.
    DeadCloudTracker t(64);
    for (int i = 0; i < 3; ++i) t.on_syn(kCam, 41000, kCloud, 443, i * kSec);
    for (int i = 0; i < 500; ++i) t.on_alive(kCam, IpAddress::v4(52, 0, uint8_t(i >> 8), uint8_t(i)), 443, (10 + i) * kSec);
    EXPECT_GT(t.evicted(), 0u);
    EXPECT_TRUE(t.on_alive_if_waiting(kCam, kCloud, 443, 600 * kSec));
}
