// The heartbeat engine on hand-made series: when a series is established, and
// what keeps it going or breaks it.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "heuristics/detectors/heartbeat/heartbeat_tracker.hpp"
#include "test_helpers.hpp"

using namespace phonehome;
using namespace phonehome::test;

namespace {
SeriesKey mqtt_ping(uint16_t device_port = 40000) {
    FlowKey flow{ip("192.168.1.20"), ip("52.28.0.10"), device_port, 8883};
    return SeriesKey::by_message(flow, Transport::Tcp, Direction::Outbound, message_kind(MessageProtocol::Mqtt, 12));
}

int64_t secs(double s) { return int64_t(std::llround(s * 1e9)); }

// Feeds packets at the given absolute times (seconds) and returns the verdicts.
std::vector<HeartbeatTracker::Result> feed(HeartbeatTracker &t, const SeriesKey &k, const std::vector<double> &times) {
    std::vector<HeartbeatTracker::Result> out;
    for (double s : times) out.push_back(t.on_packet(k, secs(s)));
    return out;
}

std::vector<double> cumulative(double start, const std::vector<double> &intervals) {
    std::vector<double> times{start};
    for (double d : intervals) times.push_back(times.back() + d);
    return times;
}
}  // namespace

TEST(Heartbeat, ExactFiveSecondsIsEstablishedAtTheFourthPacket) {
    HeartbeatTracker t;
    auto r = feed(t, mqtt_ping(), {0, 5, 10, 15, 20, 25});
    for (int i = 0; i < 3; ++i) EXPECT_FALSE(r[i].in_series) << i;
    EXPECT_TRUE(r[3].in_series);
    EXPECT_TRUE(r[3].established_now);
    EXPECT_EQ(r[3].count, 4u);
    EXPECT_DOUBLE_EQ(r[3].period_s, 5.0);
    EXPECT_DOUBLE_EQ(r[3].jitter_s, 0.0);
    EXPECT_TRUE(r[4].in_series);
    EXPECT_FALSE(r[4].established_now);
    EXPECT_EQ(r[5].count, 6u);
}

TEST(Heartbeat, ZeekMqttPingsAreEstablishedAtTheFourthPacket) {
    // Zeek's MQTT trace: keep-alive 5 s, pings at 5.7, 11.4, 16.7, 22.1, 27.4 s
    // (after the CONNECT at 0).
    HeartbeatTracker t;
    auto r = feed(t, mqtt_ping(), {0, 5.7, 11.4, 16.7, 22.1, 27.4});
    EXPECT_FALSE(r[2].in_series);
    ASSERT_TRUE(r[3].established_now);
    for (size_t i = 3; i < r.size(); ++i) {
        EXPECT_TRUE(r[i].in_series) << i;
        EXPECT_NEAR(r[i].period_s, 5.4, 0.05 * 5.4) << i;
    }
    EXPECT_EQ(r.back().count, 6u);
}

TEST(Heartbeat, ThreeIntervalsAreNeededNotTwo) {
    HeartbeatTracker t;
    auto r = feed(t, mqtt_ping(), {0, 30, 60});
    EXPECT_FALSE(r[2].in_series);
    HeartbeatConfig two;
    two.min_intervals = 2;
    HeartbeatTracker t2(two);
    r = feed(t2, mqtt_ping(), {0, 30, 60});
    EXPECT_TRUE(r[2].established_now);
    EXPECT_EQ(r[2].count, 3u);
}

TEST(Heartbeat, EstablishingPacketFollowsIrregularStart) {
    // An irregular start: 12, 3, 30 s (each pair off by more than 35 %), then
    // a steady 10 s. Noise 2 (12->3, 3->30 break; 30->10 breaks too: 3) means
    // 3 + 3 = 6 steady intervals, so the 7th steady packet establishes it.
    HeartbeatTracker t;
    std::vector<double> times = cumulative(0, {12, 3, 30});
    for (int i = 1; i <= 8; ++i) times.push_back(times[3] + 10 * i);
    auto r = feed(t, mqtt_ping(), times);
    size_t first = r.size();
    for (size_t i = 0; i < r.size(); ++i)
        if (r[i].established_now) first = std::min(first, i);
    EXPECT_EQ(first, 3u + 6u);
    EXPECT_EQ(r[first].count, 7u);  // the 6 steady intervals' 7 packets
    for (size_t i = 0; i < first; ++i) EXPECT_FALSE(r[i].in_series) << i;
}

TEST(Heartbeat, JitteryVacuumKeepaliveIsFoundAndItsPeriodIsRight) {
    // A TLS keepalive every uniformly random 45..60 s.
    HeartbeatTracker t;
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> gap(45, 60);
    double now = 0;
    int in_series = 0, first = -1;
    HeartbeatTracker::Result last;
    for (int i = 0; i < 60; ++i) {
        now += gap(rng);
        auto r = t.on_packet(mqtt_ping(), secs(now));
        if (r.established_now && first < 0) first = i;
        if (r.in_series) {
            ++in_series;
            last = r;
        }
    }
    ASSERT_GE(first, 0);
    EXPECT_EQ(first, 3);  // the 4th beat completes three intervals within 35 %
    EXPECT_GE(in_series, 45);
    EXPECT_NEAR(last.period_s, 52.5, 0.05 * 52.5);
    EXPECT_GT(last.jitter_s, 1.0);
}

TEST(Heartbeat, OneMissedBeatKeepsTheSeriesAndIsCounted) {
    HeartbeatTracker t;
    // 30 s beats; the one at 150 s is missing.
    auto r = feed(t, mqtt_ping(), {0, 30, 60, 90, 120, 180, 210});
    ASSERT_TRUE(r[3].established_now);
    EXPECT_TRUE(r[5].in_series);
    EXPECT_EQ(r[5].count, 6u);  // observed beats
    EXPECT_EQ(r[5].missed, 1u);
    EXPECT_DOUBLE_EQ(r[5].period_s, 30.0);  // the gap counts as two 30 s intervals
    EXPECT_TRUE(r[6].in_series);
    EXPECT_EQ(r[6].count, 7u);
}

TEST(Heartbeat, TwoMissedBeatsStillCountButFourDoNot) {
    HeartbeatTracker t;
    auto r = feed(t, mqtt_ping(), {0, 30, 60, 90, 180, 210});
    EXPECT_TRUE(r[4].in_series);
    EXPECT_EQ(r[4].missed, 2u);
    HeartbeatTracker u;
    r = feed(u, mqtt_ping(), {0, 30, 60, 90, 240, 270, 300});
    EXPECT_FALSE(r[4].in_series);  // off-beat: the phase re-syncs to it
    EXPECT_TRUE(r[5].in_series);
    EXPECT_EQ(r[5].missed, 0u);
    EXPECT_TRUE(r[6].in_series);
}

TEST(Heartbeat, AnExtraPacketIsNotInTheSeriesAndDoesNotBreakIt) {
    HeartbeatTracker t;
    // 60 s beats; an extra packet of the same kind at 200 s.
    auto r = feed(t, mqtt_ping(), {0, 60, 120, 180, 200, 240, 300});
    ASSERT_TRUE(r[3].in_series);
    EXPECT_FALSE(r[4].in_series);
    EXPECT_TRUE(r[5].in_series);  // measured from 180, not 200
    EXPECT_EQ(r[5].count, 5u);
    EXPECT_DOUBLE_EQ(r[5].period_s, 60.0);
    EXPECT_TRUE(r[6].in_series);
}

// Before the series is established: MQTT pings every 312 s (held-out
// heartbeat variant 22). The 4th ping is lost and a stray PINGREQ comes 429 s
// after the 3rd, between the times of the lost ping and the next one; the
// next ping is two periods after the 3rd and establishes the series. And an
// exact series survives an early stray at 0.6 of its period.
TEST(Heartbeat, BeforeEstablishingAStrayAfterAMissedBeatIsIgnored) {
    HeartbeatTracker t;
    auto r = feed(t, mqtt_ping(), {316.47, 628.99, 940.83, 1369.44, 1564.41, 1876.46});
    EXPECT_FALSE(r[3].in_series);
    EXPECT_TRUE(r[4].established_now);
    EXPECT_NEAR(r[4].period_s, 312.0, 0.5);
    EXPECT_TRUE(r[5].in_series);

    HeartbeatTracker u;
    r = feed(u, mqtt_ping(), {0, 60, 120, 156, 180, 240});
    EXPECT_FALSE(r[3].in_series);
    EXPECT_TRUE(r[4].established_now);  // measured from 120, not 156
    EXPECT_DOUBLE_EQ(r[4].period_s, 60.0);
    EXPECT_TRUE(r[5].in_series);
}

TEST(Heartbeat, OneOffBeatResyncsTwoInARowDrop) {
    HeartbeatTracker t;
    // 20 s beats, then a ping 31 s later (the client's timer restarted after a
    // publish), then on time again from there.
    auto r = feed(t, mqtt_ping(), {0, 20, 40, 60, 91, 111, 131});
    ASSERT_TRUE(r[3].in_series);
    EXPECT_FALSE(r[4].in_series);
    EXPECT_TRUE(r[5].in_series);
    EXPECT_TRUE(r[6].in_series);

    // A stray ping at 91 and the old phase goes on (120 = 60 + 3 x 20: two
    // beats missed).
    HeartbeatTracker v;
    r = feed(v, mqtt_ping(), {0, 20, 40, 60, 91, 120, 140});
    EXPECT_FALSE(r[4].in_series);
    EXPECT_TRUE(r[5].in_series);
    EXPECT_EQ(r[5].missed, 2u);
    EXPECT_TRUE(r[6].in_series);

    // Two off-beats in a row that fit neither phase drop the series.
    HeartbeatTracker u;
    r = feed(u, mqtt_ping(), {0, 20, 40, 60, 91, 133, 153, 173, 193});
    EXPECT_FALSE(r[4].in_series);
    EXPECT_FALSE(r[5].in_series);  // dropped: starts a new candidate
    EXPECT_FALSE(r[6].in_series);
    EXPECT_FALSE(r[7].in_series);
    EXPECT_TRUE(r[8].established_now);  // 3 new intervals after the drop
    EXPECT_EQ(r[8].count, 4u);
}

TEST(Heartbeat, AStreamAfterAHeartbeatDropsIt) {
    HeartbeatTracker t;
    auto r = feed(t, mqtt_ping(), {0, 5, 10, 15});
    ASSERT_TRUE(r[3].in_series);
    bool any = false;
    for (int i = 1; i <= 1000; ++i) any |= t.on_packet(mqtt_ping(), secs(15) + i * 20'000'000LL).in_series;
    EXPECT_FALSE(any);
}

TEST(Heartbeat, TwentyMillisecondStreamIsNeverInSeries) {
    HeartbeatTracker t;
    for (int i = 0; i < 50'000; ++i) ASSERT_FALSE(t.on_packet(mqtt_ping(), i * 20'000'000LL).in_series) << i;
}

TEST(Heartbeat, BulkTransferIsNeverInSeries) {
    HeartbeatTracker t;
    std::mt19937_64 rng(3);
    std::uniform_int_distribution<int64_t> gap(1'000, 10'000'000);  // 1 us .. 10 ms
    int64_t now = 0;
    for (int i = 0; i < 50'000; ++i) {
        now += gap(rng);
        ASSERT_FALSE(t.on_packet(mqtt_ping(), now).in_series) << i;
    }
}

TEST(Heartbeat, PeriodsOutsideTheConfiguredRangeAreIgnored) {
    HeartbeatConfig c;
    c.min_period_ns = secs(10);
    c.max_period_ns = secs(100);
    HeartbeatTracker t(c);
    auto r = feed(t, mqtt_ping(), {0, 5, 10, 15, 20, 25, 30});
    for (auto &v : r) EXPECT_FALSE(v.in_series);
    HeartbeatTracker u(c);
    r = feed(u, mqtt_ping(), {0, 200, 400, 600, 800, 1000});
    for (auto &v : r) EXPECT_FALSE(v.in_series);
    HeartbeatTracker w(c);
    r = feed(w, mqtt_ping(), {0, 50, 100, 150});
    EXPECT_TRUE(r[3].in_series);
}

TEST(Heartbeat, NtpPollDoublingIsNotASeries) {
    HeartbeatTracker t;
    auto r = feed(t, mqtt_ping(), cumulative(0, {64, 128, 256, 512, 1024, 1024 * 2}));
    for (auto &v : r) EXPECT_FALSE(v.in_series);
}

TEST(Heartbeat, TimeGoingBackwardsIsIgnored) {
    HeartbeatTracker t;
    auto r = feed(t, mqtt_ping(), {0, 10, 20, 30, 25, 40});
    EXPECT_TRUE(r[3].in_series);
    EXPECT_FALSE(r[4].in_series);
    EXPECT_TRUE(r[5].in_series);
    EXPECT_EQ(r[5].count, 5u);
}

TEST(Heartbeat, SeriesAreKeptApartByKind) {
    // Pings every 10 s and data packets of another size at irregular times on
    // the same flow: the pings still form a series.
    FlowKey flow{ip("192.168.1.20"), ip("52.28.0.10"), 40000, 443};
    const SeriesKey ping = SeriesKey::by_size(flow, Transport::Tcp, Direction::Outbound, 24);
    const SeriesKey data = SeriesKey::by_size(flow, Transport::Tcp, Direction::Outbound, 1400);
    HeartbeatTracker t;
    std::mt19937_64 rng(11);
    std::exponential_distribution<double> ex(1.0 / 3);
    double d = 0;
    bool ping_series = false, data_series = false;
    for (int i = 0; i < 10; ++i) {
        ping_series = t.on_packet(ping, secs(10.0 * i)).in_series;
        while (d < 10.0 * (i + 1)) {
            d += ex(rng);
            data_series |= t.on_packet(data, secs(d)).in_series;
        }
    }
    EXPECT_TRUE(ping_series);
    EXPECT_FALSE(data_series);
    EXPECT_EQ(t.series(), 2u);
}

TEST(Heartbeat, EvictionKeepsAnEstablishedHourlyHeartbeat) {
    HeartbeatConfig c;
    c.max_series = 64;
    HeartbeatTracker t(c);
    const SeriesKey hourly = mqtt_ping(1);
    for (int h = 0; h < 4; ++h) ASSERT_EQ(t.on_packet(hourly, secs(3000.0 * h)).in_series, h == 3);
    // Between two beats, thousands of one-off flows, all more recent than the
    // heartbeat's last packet.
    for (int i = 0; i < 5000; ++i) t.on_packet(mqtt_ping(uint16_t(1000 + i)), secs(9000 + 0.5 * i));
    EXPECT_GT(t.evicted(), 4000u);
    EXPECT_LE(t.series(), 64u);
    auto r = t.on_packet(hourly, secs(12000));
    EXPECT_TRUE(r.in_series);
    EXPECT_EQ(r.count, 5u);
}

TEST(Heartbeat, ClearForgetsEverything) {
    HeartbeatTracker t;
    feed(t, mqtt_ping(), {0, 5, 10, 15});
    t.clear();
    EXPECT_EQ(t.series(), 0u);
    auto r = t.on_packet(mqtt_ping(), secs(20));
    EXPECT_FALSE(r.in_series);
}

TEST(Heartbeat, AnEarlyStrayThenTheRealBeatKeepsThePhase) {
    // Kalay-like logins every 41 s; a stray login 8 s early (within the 20 %
    // tolerance, so it counts when it comes), then the real one on time: the
    // real one replaces the stray and the next beat is measured from it.
    HeartbeatTracker t;
    const SeriesKey k = mqtt_ping();
    std::vector<double> times = cumulative(0, {41, 41.2, 40.9, 41.1, 41.0});
    const double last = times.back();
    times.push_back(last + 33.0);  // the stray
    times.push_back(last + 41.3);  // the real beat
    times.push_back(last + 82.5);  // on time from the real beat, 49.5 s after the stray
    times.push_back(last + 123.6);
    auto r = feed(t, k, times);
    const size_t stray = times.size() - 4;
    EXPECT_TRUE(r[stray - 1].in_series);
    EXPECT_TRUE(r[stray].in_series);       // causal: it could not be told apart yet
    EXPECT_TRUE(r[stray + 1].in_series);   // the replacement
    EXPECT_EQ(r[stray + 1].count, r[stray].count);  // the stray was counted already
    EXPECT_TRUE(r[stray + 2].in_series);
    EXPECT_TRUE(r[stray + 3].in_series);
    EXPECT_NEAR(r[stray + 3].period_s, 41.1, 0.3);
}

TEST(Heartbeat, ALateExtraAfterAnOnTimeBeatReplacesNothing) {
    // The beat on time, then a stray 6 s later: the stray fits no better, so
    // it is an extra, and the next beat still measures from the on-time one.
    HeartbeatTracker t;
    const SeriesKey k = mqtt_ping();
    std::vector<double> times = cumulative(0, {30, 30, 30, 30, 30});
    const double last = times.back();
    times.push_back(last + 6.0);
    times.push_back(last + 30.0);
    auto r = feed(t, k, times);
    EXPECT_FALSE(r[times.size() - 2].in_series);
    EXPECT_TRUE(r[times.size() - 1].in_series);
    EXPECT_NEAR(r[times.size() - 1].period_s, 30.0, 0.01);
}
