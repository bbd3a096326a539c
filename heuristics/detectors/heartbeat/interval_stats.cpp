#include "heuristics/detectors/heartbeat/interval_stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace phonehome {

namespace {
constexpr size_t kMaxValues = 64;  // callers pass a window of at most 16

double median_of_sorted(const double *v, size_t n) {
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}
}  // namespace

PeriodEstimate estimate_period(const uint32_t *intervals_ms, size_t n, double mad_factor, double min_rel,
                               double max_rel) {
    PeriodEstimate e;
    n = std::min(n, kMaxValues);
    if (n == 0) return e;
    // Sorted as integers (cheaper to compare and move than doubles), then
    // converted: every uint32_t is exact as a double, so the order is the same.
    uint32_t sorted[kMaxValues];
    std::copy(intervals_ms, intervals_ms + n, sorted);
    std::sort(sorted, sorted + n);
    double v[kMaxValues], dev[kMaxValues];
    for (size_t i = 0; i < n; ++i) v[i] = sorted[i];
    e.median_ms = median_of_sorted(v, n);
    // The deviations in order without a second sort (this runs on every
    // beat): below the median they grow going down the sorted values, above
    // it going up; merging the two runs gives them sorted, the very values
    // |v - median| (m - v is exactly -(v - m) in floating point).
    size_t below = size_t(std::lower_bound(v, v + n, e.median_ms) - v), above = below, k = 0;
    while (below > 0 && above < n) {
        const double lo = e.median_ms - v[below - 1], hi = v[above] - e.median_ms;
        if (lo <= hi) {
            dev[k++] = lo;
            --below;
        } else {
            dev[k++] = hi;
            ++above;
        }
    }
    while (below > 0) dev[k++] = e.median_ms - v[--below];
    while (above < n) dev[k++] = v[above++] - e.median_ms;
    e.mad_ms = median_of_sorted(dev, n);
    e.tolerance_ms = std::clamp(mad_factor * e.mad_ms, min_rel * e.median_ms, max_rel * e.median_ms);
    double sum = 0;
    size_t inliers = 0;
    for (size_t i = 0; i < n; ++i) {
        if (std::fabs(v[i] - e.median_ms) <= max_rel * e.median_ms) {
            sum += v[i];
            ++inliers;
        }
    }
    // The median itself is always within max_rel of itself, so there is an
    // inlier unless n is even and the two middle values straddle a tiny max_rel.
    e.period_ms = inliers ? sum / double(inliers) : e.median_ms;
    return e;
}

double relative_range(const uint32_t *values, size_t n) {
    if (n < 2) return 0;
    auto [lo, hi] = std::minmax_element(values, values + n);
    if (*lo == 0) return std::numeric_limits<double>::infinity();
    return double(*hi) / double(*lo) - 1.0;
}

}  // namespace phonehome
