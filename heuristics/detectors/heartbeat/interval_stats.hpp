// Robust statistics over a heartbeat series' recent intervals (a handful of
// values, so sorting a copy is the simplest exact method).
#pragma once

#include <cstddef>
#include <cstdint>

namespace phonehome {

struct PeriodEstimate {
    double median_ms = 0;
    double mad_ms = 0;        // median absolute deviation from the median
    double tolerance_ms = 0;  // how far from the period a new interval may be
    double period_ms = 0;     // mean of the intervals within tolerance of the median
};

// The median finds the period robustly (an outlier cannot move it far); the
// mean of the intervals within max_rel of the median then uses every good
// interval, which matters with three intervals: Zeek's 5.7, 5.7, 5.3 s pings
// have median 5.7 but mean 5.57, and the truth is about 5.4. The mean is taken
// over max_rel (not the tolerance): a jittery timer's intervals (uniform
// 85..115 % of the period) are all real, and trimming them at the tolerance
// around a median that happens to sit low cuts off the high ones and biases
// the period low (by 7 % on a 93 s series of the heartbeat variants). The
// tolerance is mad_factor * MAD, but at least min_rel and at most max_rel of
// the median: a MAD of a few exact intervals is 0, and a huge MAD must not let
// any interval through.
PeriodEstimate estimate_period(const uint32_t *intervals_ms, size_t n, double mad_factor, double min_rel,
                               double max_rel);

// max / min - 1 over the values (0 for fewer than two; infinite if min is 0).
double relative_range(const uint32_t *values, size_t n);

}  // namespace phonehome
