// The heartbeat engine's statistics: size classes, the period estimate, its
// accuracy over many seeded jittery series, and its false-positive rate on
// random timing.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "heuristics/detectors/heartbeat/heartbeat_tracker.hpp"
#include "heuristics/detectors/heartbeat/interval_stats.hpp"
#include "test_helpers.hpp"

using namespace phonehome;
using namespace phonehome::test;

namespace {
SeriesKey key(uint16_t port = 50000) {
    FlowKey flow{ip("192.168.1.30"), ip("34.200.1.1"), port, 443};
    return SeriesKey::by_size(flow, Transport::Tcp, Direction::Outbound, 31);
}
int64_t secs(double s) { return int64_t(std::llround(s * 1e9)); }
}  // namespace

TEST(HeartbeatSizeClass, ExactUpTo256ThenQuarterOctaves) {
    EXPECT_EQ(size_class(0), 0u);
    EXPECT_EQ(size_class(24), 24u);
    EXPECT_EQ(size_class(256), 256u);
    EXPECT_EQ(size_class(257), 257u);
    EXPECT_EQ(size_class(319), 257u);
    EXPECT_EQ(size_class(320), 258u);
    EXPECT_EQ(size_class(511), 260u);
    EXPECT_EQ(size_class(512), 261u);
    EXPECT_EQ(size_class(1400), size_class(1500));
    EXPECT_NE(size_class(1000), size_class(1500));
    EXPECT_EQ(size_class(0xFFFFFFFFu), 352u);
    uint32_t prev = 0;
    for (uint64_t len = 0; len <= 0xFFFFFFFFull; len = len < 600 ? len + 1 : len * 9 / 8) {
        uint32_t c = size_class(uint32_t(len));
        ASSERT_GE(c, prev) << len;
        prev = c;
    }
}

TEST(HeartbeatSizeClass, KindsFromSizesAndMessagesDiffer) {
    FlowKey flow{ip("192.168.1.30"), ip("34.200.1.1"), 50000, 1883};
    auto by_size = SeriesKey::by_size(flow, Transport::Tcp, Direction::Outbound, 12);
    auto by_msg = SeriesKey::by_message(flow, Transport::Tcp, Direction::Outbound, 12);
    EXPECT_FALSE(by_size == by_msg);
    EXPECT_NE(message_kind(MessageProtocol::Mqtt, 12), message_kind(MessageProtocol::Pppp, 12));
    auto inbound = by_msg;
    inbound.direction = Direction::Inbound;
    EXPECT_FALSE(inbound == by_msg);
}

TEST(HeartbeatStats, MedianMadAndInlierMean) {
    const uint32_t v[] = {5700, 5700, 5300};
    auto e = estimate_period(v, 3, 3.0, 0.2, 0.35);
    EXPECT_DOUBLE_EQ(e.median_ms, 5700);
    EXPECT_DOUBLE_EQ(e.mad_ms, 0);
    EXPECT_DOUBLE_EQ(e.tolerance_ms, 0.2 * 5700);  // the relative floor
    EXPECT_NEAR(e.period_ms, 16700.0 / 3, 1e-9);

    // One wild interval is left out of the mean.
    const uint32_t w[] = {1000, 1010, 990, 1000, 9000};
    e = estimate_period(w, 5, 3.0, 0.1, 0.35);
    EXPECT_DOUBLE_EQ(e.median_ms, 1000);
    EXPECT_DOUBLE_EQ(e.mad_ms, 10);
    EXPECT_DOUBLE_EQ(e.period_ms, 1000);

    // A huge MAD cannot widen the tolerance beyond the cap.
    const uint32_t x[] = {100, 1000, 5000, 9000, 20000};
    e = estimate_period(x, 5, 3.0, 0.1, 0.35);
    EXPECT_DOUBLE_EQ(e.tolerance_ms, 0.35 * 5000);
    EXPECT_DOUBLE_EQ(e.period_ms, 5000);
}

// A jittery timer (uniform 79..107 s, mean 93 s) whose window happens to
// have its median low: every interval is real, so all of them are averaged.
// Trimming at the tolerance (0.2 * median = 16.9 s) around the median 84.56
// would drop 102.08 and report 86.8 s, 6.7 % short of 93.
TEST(HeartbeatStats, JitteryWindowIsAveragedWhole) {
    const uint32_t v[] = {94220, 96180, 80460, 86070, 84560, 102080, 83040, 98300, 81360, 81730, 82190};
    auto e = estimate_period(v, 11, 3.0, 0.2, 0.35);
    EXPECT_DOUBLE_EQ(e.median_ms, 84560);
    EXPECT_DOUBLE_EQ(e.tolerance_ms, 0.2 * 84560);
    double mean = 0;
    for (uint32_t x : v) mean += x / 11.0;
    EXPECT_NEAR(e.period_ms, mean, 1e-6);  // 88.2 s
}

TEST(HeartbeatStats, RelativeRange) {
    const uint32_t v[] = {100, 110, 105};
    EXPECT_NEAR(relative_range(v, 3), 0.10, 1e-12);
    EXPECT_EQ(relative_range(v, 1), 0);
}

// For 100 seeded periods in [2 s, 600 s], with +-10 % and with +-15 % (a robot
// vacuum's 45..60 s) uniform jitter: every series is found within 10 packets;
// at establishment (as few as 3 intervals) the period is within the jitter;
// from the 17th beat on (16 intervals, a full window) it is the mean of the
// window's intervals, all of them (a jittery timer has no outliers), and
// within 5 % of the true period for at least 99 % (+-10 %) and 97 % (+-15 %)
// of the beats. Not all: the sample itself can stray (seed 35 draws 13 short
// intervals in a row, and its window mean is 5.7 % short), and no estimator
// can beat its sample.
TEST(HeartbeatAccuracy, SeededJitteryPeriods) {
    for (const double spread : {0.10, 0.15}) {
        int checked = 0, within_5 = 0;
        for (int seed = 1; seed <= 100; ++seed) {
            std::mt19937_64 rng{uint64_t(seed)};
            const double period = std::uniform_real_distribution<double>(2, 600)(rng);
            std::uniform_real_distribution<double> jitter(-spread, spread);
            HeartbeatTracker t;
            double now = 1000;
            std::vector<double> intervals;
            int established_at = -1, beats_in_series = 0;
            for (int i = 0; i < 40; ++i) {
                const double d = period * (1 + jitter(rng));
                now += d;
                intervals.push_back(d);
                auto r = t.on_packet(key(), secs(now));
                if (r.established_now && established_at < 0) {
                    established_at = i;
                    EXPECT_NEAR(r.period_s, period, spread * period) << "seed " << seed;
                }
                if (!r.in_series) continue;
                ++beats_in_series;
                if (r.count < 17) continue;  // 16 intervals: a full window
                double window_mean = 0;
                for (size_t j = intervals.size() - 16; j < intervals.size(); ++j) window_mean += intervals[j] / 16;
                EXPECT_NEAR(r.period_s, window_mean, 0.005 * period) << "seed " << seed << " beat " << i;
                EXPECT_NEAR(r.period_s, period, 0.75 * spread * period) << "seed " << seed << " beat " << i;
                ++checked;
                within_5 += std::fabs(r.period_s - period) <= 0.05 * period;
            }
            EXPECT_GE(established_at, 3) << seed;  // the 4th packet is index 3; never before it
            EXPECT_LE(established_at, 10) << seed;
            EXPECT_GE(beats_in_series, 30) << seed;
        }
        EXPECT_GT(checked, 2000) << spread;
        EXPECT_GE(within_5, checked * (spread < 0.12 ? 99 : 97) / 100) << within_5 << " of " << checked;
    }
}

// Random request/response timing (exponential intervals, several means) on
// 2000 seeded flows of 100 packets. The chance is ~0.3 % per flow (the first
// intervals of a flow can be as tight as a heartbeat's; see the header), so
// at most 1 % of the flows may ever show a packet in_series.
TEST(HeartbeatFalsePositives, RandomTimingAlmostNeverFormsASeries) {
    int flows_with_series = 0, flows = 0;
    for (double mean : {2.0, 20.0, 300.0}) {
        for (int seed = 0; seed < 2000 / 3 + 1; ++seed, ++flows) {
            std::mt19937_64 rng(uint64_t(seed) * 7919 + uint64_t(mean));
            std::exponential_distribution<double> gap(1.0 / mean);
            HeartbeatTracker t;
            double now = 0;
            bool hit = false;
            for (int i = 0; i < 100; ++i) {
                now += gap(rng);
                hit |= t.on_packet(key(), secs(now)).in_series;
            }
            flows_with_series += hit;
        }
    }
    // Three intervals within 35 % (what a +-15 % jittery keepalive needs to be
    // found at its 4th beat) happen for ~2 % of random triples, and tolerating
    // one missed beat or one stray packet before establishing adds a little:
    // at most 5 % of long (100-interval) random flows of one packet size on
    // an otherwise idle channel may ever form a series (measured: 4.5 %; it
    // was 4.1 % before strays were also recognised between the beats after a
    // missed one and up to 0.7 of an exact period).
    EXPECT_LE(flows_with_series, flows * 5 / 100) << flows_with_series << " of " << flows;
}

// The bound above is not luck of the seeds: the same kind of flows, judged on
// two intervals instead of three, form series many times more often.
TEST(HeartbeatFalsePositives, TwoIntervalsWouldNotBeEnough) {
    auto count = [](uint32_t min_intervals, double growth) {
        int hits = 0;
        for (int seed = 0; seed < 500; ++seed) {
            std::mt19937_64 rng{uint64_t(seed)};
            std::exponential_distribution<double> gap(1.0 / 20);
            HeartbeatConfig c;
            c.min_intervals = min_intervals;
            c.establish_growth = growth;
            HeartbeatTracker t(c);
            double now = 0;
            bool hit = false;
            for (int i = 0; i < 100; ++i) {
                now += gap(rng);
                hit |= t.on_packet(key(), secs(now)).in_series;
            }
            hits += hit;
        }
        return hits;
    };
    // Two intervals within 10 % happen for ~7 % of exponential pairs: with
    // min_intervals 2 random flows do form series now and then, and many more
    // than with 3.
    const int three = count(3, 0.05), two = count(2, 0.05);
    EXPECT_GT(two, 3 * std::max(1, three)) << two << " vs " << three;
    EXPECT_GE(two, 10);
}

// The MAD comes from merging the deviations below and above the median (no
// second sort): it must equal the median of |v - median| sorted outright, for
// every window size, with ties, duplicates of the median and random values.
TEST(HeartbeatStats, MadEqualsTheSortedDeviationsMedian) {
    std::mt19937 rng(16);
    for (int trial = 0; trial < 20000; ++trial) {
        const size_t n = 1 + rng() % 16;
        const uint32_t spread = trial % 2 ? 5 : 100000;  // few distinct values: many ties
        uint32_t v[16];
        for (size_t i = 0; i < n; ++i) v[i] = 1000 + rng() % spread;
        double sorted[16], dev[16];
        for (size_t i = 0; i < n; ++i) sorted[i] = v[i];
        std::sort(sorted, sorted + n);
        const double median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        for (size_t i = 0; i < n; ++i) dev[i] = std::fabs(sorted[i] - median);
        std::sort(dev, dev + n);
        const double mad = n % 2 ? dev[n / 2] : (dev[n / 2 - 1] + dev[n / 2]) / 2;
        const PeriodEstimate e = estimate_period(v, n, 3.0, 0.2, 0.35);
        ASSERT_EQ(e.median_ms, median) << "trial " << trial;
        ASSERT_EQ(e.mad_ms, mad) << "trial " << trial << " n " << n;
    }
}
