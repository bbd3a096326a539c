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
    double v[kMaxValues], dev[kMaxValues];
    for (size_t i = 0; i < n; ++i) v[i] = intervals_ms[i];
    std::sort(v, v + n);
    e.median_ms = median_of_sorted(v, n);
    for (size_t i = 0; i < n; ++i) dev[i] = std::fabs(v[i] - e.median_ms);
    std::sort(dev, dev + n);
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
