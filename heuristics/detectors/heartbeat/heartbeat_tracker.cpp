#include "heuristics/detectors/heartbeat/heartbeat_tracker.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "heuristics/common/bounded_table.hpp"
#include "heuristics/detectors/heartbeat/interval_stats.hpp"

namespace phonehome {

static_assert(sizeof(HeartbeatTracker::State) <= 136, "keep the per-series state small");

namespace {
constexpr int64_t kMs = 1'000'000;
constexpr int64_t kMinPeriodFloor = kMs;                          // 1 ms
constexpr int64_t kMaxPeriodCeiling = 30LL * 86400 * 1'000'000'000;  // fits uint32 ms
constexpr uint8_t kMaxNoise = HeartbeatTracker::kWindow;

double clamp_fraction(double v, double lo, double hi) {
    if (!(v >= lo)) return lo;  // also NaN
    return std::min(v, hi);
}

// Saturating a - b: time stamps come from captures and fuzzers.
int64_t elapsed(int64_t a, int64_t b) {
    int64_t d;
    if (!__builtin_sub_overflow(a, b, &d)) return d;
    return a < b ? std::numeric_limits<int64_t>::min() : std::numeric_limits<int64_t>::max();
}

void add_noise(HeartbeatTracker::State &s) {
    if (s.noise < kMaxNoise) s.noise++;
}

HeartbeatConfig sanitise(HeartbeatConfig c) {
    c.min_period_ns = std::clamp(c.min_period_ns, kMinPeriodFloor, kMaxPeriodCeiling);
    c.max_period_ns = std::clamp(c.max_period_ns, c.min_period_ns, kMaxPeriodCeiling);
    c.min_intervals = std::clamp<uint32_t>(c.min_intervals, 2, HeartbeatTracker::kWindow);
    c.max_tolerance = clamp_fraction(c.max_tolerance, 0, 0.45);
    c.tolerance = clamp_fraction(c.tolerance, 0, c.max_tolerance);
    c.establish_tolerance = clamp_fraction(c.establish_tolerance, 0, c.max_tolerance);
    c.establish_growth = clamp_fraction(c.establish_growth, 0, 0.45);
    c.mad_factor = clamp_fraction(c.mad_factor, 0, 100);
    c.max_missed = std::min<uint32_t>(c.max_missed, 8);
    c.max_extras = std::min<uint32_t>(c.max_extras, 255);
    c.max_series = std::max<size_t>(c.max_series, 16);
    return c;
}
}  // namespace

HeartbeatTracker::HeartbeatTracker(const HeartbeatConfig &config) : config_(sanitise(config)) {}

void HeartbeatTracker::clear() {
    flow_packets_.clear();
    series_.clear();
    evicted_ = 0;
}

uint32_t HeartbeatTracker::count_flow_packet(const SeriesKey &key) {
    // The flow's packets in this direction, of every kind.
    SeriesKey flow_only = key;
    flow_only.kind_source = KindSource::SizeClass;
    flow_only.kind = 0;
    if (flow_packets_.size() >= config_.max_series) flow_packets_.clear();
    return ++flow_packets_[flow_only];
}

void HeartbeatTracker::on_other_packet(const SeriesKey &key) { count_flow_packet(key); }

HeartbeatTracker::Result HeartbeatTracker::on_packet(const SeriesKey &key, int64_t time_ns, uint32_t payload_len) {
    auto it = series_.find(key);
    if (it == series_.end()) {
        if (series_.size() >= config_.max_series) evict();
        it = series_.emplace(key, State{}).first;
    }
    State &s = it->second;
    const uint32_t seq = count_flow_packet(key);
    // Only series of opaque packets (a size class) are judged by what else
    // the flow sends: a known message type (MQTT PINGREQ, a Kalay or PPPP
    // login) recurring on schedule is a heartbeat however busy the flow is.
    const uint32_t interleaved =
        key.kind_source == KindSource::SizeClass && s.started && seq > s.flow_seq ? seq - s.flow_seq - 1 : 0;
    s.flow_seq = seq;
    const uint16_t len16 = uint16_t(std::min<uint32_t>(payload_len, std::numeric_limits<uint16_t>::max()));
    const bool exact = key.kind_source == KindSource::SizeClass && key.kind > kExactAbove;
    s.last_seen_ns = std::max(s.last_seen_ns, time_ns);
    if (!s.started) {
        s.started = true;
        s.last_seen_ns = time_ns;
        s.anchor_ns = time_ns;
        s.last_len = len16;
        return {};
    }
    const int64_t dt = elapsed(time_ns, s.anchor_ns);
    if (s.established) return continue_series(s, dt, time_ns);
    const bool resized = exact && interleaved > 0 && len16 != s.last_len;
    return grow_candidate(s, dt, time_ns, interleaved, resized, len16);
}

void HeartbeatTracker::push_interval(State &s, int64_t dt_ns) const {
    const uint32_t ms = uint32_t(std::clamp<int64_t>(dt_ns / kMs, 1, std::numeric_limits<uint32_t>::max()));
    if (s.n == kWindow) {
        std::memmove(s.intervals_ms, s.intervals_ms + 1, (kWindow - 1) * sizeof(uint32_t));
        s.n--;
    }
    s.intervals_ms[s.n++] = ms;
}

void HeartbeatTracker::update_estimate(State &s) const {
    const PeriodEstimate e =
        estimate_period(s.intervals_ms, s.n, config_.mad_factor, config_.tolerance, config_.max_tolerance);
    // Rounding to whole milliseconds must not carry the period out of range.
    s.period_ms = std::clamp(e.period_ms, double(config_.min_period_ns) / kMs, double(config_.max_period_ns) / kMs);
    s.tolerance_ms = e.tolerance_ms;
    s.mad_ms = e.mad_ms;
}

// The longest run of most recent intervals tight enough to establish on (0 if
// none): at least min_intervals + noise of them, with a relative range within
// the limit for their number.
size_t HeartbeatTracker::longest_tight_suffix(const State &s) const {
    const size_t need = std::min<size_t>(kWindow, size_t(config_.min_intervals) + s.noise);
    size_t best = 0;
    uint32_t lo = std::numeric_limits<uint32_t>::max(), hi = 0;
    for (size_t m = 1; m <= s.n; ++m) {
        const uint32_t v = s.intervals_ms[s.n - m];
        lo = std::min(lo, v);
        hi = std::max(hi, v);
        if (m < need) continue;
        const double growth = config_.establish_growth * double(m - config_.min_intervals);
        const double limit = std::min(config_.max_tolerance, config_.establish_tolerance + growth);
        if (double(hi) <= double(lo) * (1.0 + limit)) best = m;
    }
    return best;
}

HeartbeatTracker::Result HeartbeatTracker::beat_result(const State &s) const {
    Result r;
    r.in_series = true;
    r.period_s = s.period_ms / 1e3;
    r.jitter_s = s.mad_ms / 1e3;
    r.count = s.count;
    r.missed = s.missed;
    return r;
}

HeartbeatTracker::Result HeartbeatTracker::grow_candidate(State &s, int64_t dt, int64_t time_ns,
                                                          uint32_t interleaved, bool resized, uint16_t len) {
    if (dt < 0) return {};  // a time stamp going backwards (merged captures): ignored
    // Once the last two intervals agree, they are a reference: an interval of
    // about two or three references spans a missed beat (it counts as one
    // interval of its share), and a packet that fits no beat is an extra one
    // (ignored: the next beat still measures from the last). Without this a
    // lost ping or a stray message before the series is established would
    // restart it, however regular the beats around it.
    // The reference must be tight (two intervals within 10 %) and the match
    // close, or random timing would find such patterns too often.
    constexpr double kReferenceRange = 0.10, kExactRange = 0.02, kMissedSlack = 0.10;
    const double ref_range = s.n >= 2 ? relative_range(s.intervals_ms + s.n - 2, 2) : 0;
    if (s.n >= 2 && interleaved <= config_.max_interleaved && ref_range <= kReferenceRange) {
        const double ref_ns = (double(s.intervals_ms[s.n - 1]) + double(s.intervals_ms[s.n - 2])) / 2 * double(kMs);
        // A packet that is neither about one reference late (within what a
        // jittery timer allows: max_tolerance) nor about two or three of them
        // (missed beats) is a stray: much too early, or between the times of
        // the beats after a missed one. One stray between two beats, not a
        // run of them; and not after a silence longer than the missed beats.
        // Only an exact reference (within kExactRange) makes a packet between
        // the beats after a missed one a stray: random timing would too often.
        const bool exact_ref = ref_range <= kExactRange;
        bool fits = false;
        int64_t per_beat = dt;
        for (uint32_t j = 2; !fits && j <= 1 + config_.max_missed; ++j) {
            if (std::fabs(double(dt) - j * ref_ns) <= kMissedSlack * j * ref_ns) {
                per_beat = dt / j;
                fits = true;
            }
        }
        // Much too early: below half the reference, or below 0.7 of an exact
        // one (a +-15 % timer's beat is never below 0.74 of two intervals).
        const double extra_below = exact_ref ? 0.7 : 0.5;
        if (!fits && dt >= extra_below * ref_ns)
            fits = !exact_ref || double(dt) <= (1 + config_.max_tolerance) * ref_ns;
        const bool within_missed = double(dt) <= (1 + config_.max_missed) * (1 + kMissedSlack) * ref_ns;
        if (!fits && within_missed && s.extras == 0) {
            s.extras = 1;
            return {};
        }
        dt = per_beat;
    }
    s.anchor_ns = time_ns;
    s.extras = 0;
    s.last_len = len;
    if (interleaved > config_.max_interleaved || resized) {
        // A busy flow: this kind recurring among many others is not a beat;
        // nor is a large record of another length among other packets.
        if (s.n > 0) add_noise(s);
        s.n = 0;
        return {};
    }
    if (dt < config_.min_period_ns || dt > config_.max_period_ns) {
        // A candidate cut short by a packet too soon is evidence of irregular
        // timing; one cut by a long silence is not.
        if (dt < config_.min_period_ns && s.n > 0) add_noise(s);
        s.n = 0;
        return {};
    }
    push_interval(s, dt);
    if (s.n >= 2 && relative_range(s.intervals_ms + s.n - 2, 2) > config_.max_tolerance) add_noise(s);
    const size_t m = longest_tight_suffix(s);
    if (m == 0) return {};
    // Keep only the intervals that established the series.
    std::memmove(s.intervals_ms, s.intervals_ms + (s.n - m), m * sizeof(uint32_t));
    s.n = uint8_t(m);
    s.established = true;
    s.noise = 0;
    s.count = uint32_t(m + 1);
    s.missed = 0;
    s.extras = 0;
    s.off_beats = 0;
    update_estimate(s);
    Result r = beat_result(s);
    r.established_now = true;
    return r;
}

void HeartbeatTracker::drop(State &s, int64_t time_ns) const {
    s.established = false;
    s.n = 0;
    s.count = 0;
    s.missed = 0;
    s.extras = 0;
    s.off_beats = 0;
    s.replaceable = false;
    s.anchor_ns = time_ns;
}

HeartbeatTracker::Result HeartbeatTracker::continue_series(State &s, int64_t dt, int64_t time_ns) {
    if (dt < 0) return {};  // time going backwards: neither a beat nor evidence against one
    const double dt_ms = double(dt) / kMs;
    const double p = s.period_ms, tol = s.tolerance_ms;
    // After an off-beat packet the next one may continue the re-synced phase.
    if (s.off_beats > 0) {
        const double alt_ms = double(elapsed(time_ns, s.alt_anchor_ns)) / kMs;
        if (std::fabs(dt_ms - p) > tol && std::fabs(alt_ms - p) <= tol) {
            s.anchor_ns = s.alt_anchor_ns;
            return continue_series(s, elapsed(time_ns, s.anchor_ns), time_ns);
        }
    }
    // A jittery timer's next interval may lie beyond the estimate's tolerance
    // while not much further out than the intervals already seen: a uniform
    // 85..115 % timer's first intervals 0.95, 0.89 and 0.88 of its period give
    // an estimate of 0.91 and a range of 0.07, and the next interval, 1.15, is
    // 26 % off the estimate. So a late next beat (j = 1, dt > P) may also be
    // measured from the longest interval seen, with the tolerance widened by
    // half the range (the range of a few intervals understates the jitter),
    // but never beyond max_tolerance of the estimate. Not an early one: a
    // stray packet comes early, between two beats (measured: the same rule on
    // the early side took strays for beats). Exact intervals have no range:
    // nothing changes for them.
    for (uint32_t j = 1; j <= 1 + config_.max_missed; ++j) {
        double off = std::fabs(dt_ms - j * p);
        if (j == 1 && dt_ms > p && off <= config_.max_tolerance * p && s.n > 0) {
            const auto [lo, hi] = std::minmax_element(s.intervals_ms, s.intervals_ms + s.n);
            off = std::min(off, std::max(0.0, dt_ms - *hi) - (double(*hi) - double(*lo)) / 2);
        }
        if (off > tol * std::sqrt(double(j))) continue;
        const int64_t normalised = dt / j;
        if (normalised < config_.min_period_ns || normalised > config_.max_period_ns) break;
        push_interval(s, normalised);
        update_estimate(s);
        s.count = s.count == std::numeric_limits<uint32_t>::max() ? s.count : s.count + 1;
        s.missed = std::min<uint64_t>(uint64_t(s.missed) + (j - 1), std::numeric_limits<uint32_t>::max());
        s.anchor_ns = time_ns;
        s.extras = 0;
        s.off_beats = 0;
        s.replaceable = j == 1;
        return beat_result(s);
    }
    if (dt_ms < (1.0 - config_.max_tolerance) * p && s.replaceable && s.n > 0) {
        // Soon after a beat: if that beat came early and this packet is on
        // time from the beat before, the early one was a stray.
        const double last_ms = s.intervals_ms[s.n - 1];
        const double since_prev_ms = last_ms + dt_ms;
        if (std::fabs(since_prev_ms - p) <= tol && std::fabs(since_prev_ms - p) < std::fabs(last_ms - p)) {
            s.intervals_ms[s.n - 1] = uint32_t(std::min(since_prev_ms, double(std::numeric_limits<uint32_t>::max())));
            update_estimate(s);
            s.anchor_ns = time_ns;
            s.replaceable = false;
            s.off_beats = 0;
            return beat_result(s);
        }
    }
    if (dt_ms < (1.0 - config_.max_tolerance) * p) {
        if (++s.extras > config_.max_extras) drop(s, time_ns);
        return {};
    }
    // Off-beat: neither a beat of the old phase nor an extra. Either a stray
    // packet (the old phase goes on) or the device restarted its timer (an
    // MQTT client does after any message): keep both phases for the next
    // packet, and drop the series after two off-beats in a row.
    if (++s.off_beats > 1) {
        // The re-synced phase, if this packet keeps it, continues the series.
        const double alt_ms = double(elapsed(time_ns, s.alt_anchor_ns)) / kMs;
        if (std::fabs(alt_ms - p) <= tol) {
            s.anchor_ns = s.alt_anchor_ns;
            s.off_beats = 0;
            return continue_series(s, elapsed(time_ns, s.anchor_ns), time_ns);
        }
        drop(s, time_ns);
        return {};
    }
    s.alt_anchor_ns = time_ns;
    return {};
}

int64_t HeartbeatTracker::expected_activity(const State &s) const {
    if (!s.established) return s.last_seen_ns;
    const double due_ms = s.period_ms * double(2 + config_.max_missed);
    const int64_t due = int64_t(std::min(due_ms * kMs, 9.0e18));
    int64_t t;
    if (__builtin_add_overflow(s.anchor_ns, due, &t)) t = std::numeric_limits<int64_t>::max();
    return std::max(t, s.last_seen_ns);
}

// Forget the quarter of the table least likely to be active again soon.
void HeartbeatTracker::evict() {
    evicted_ += evict_lowest_quarter(series_, [this](const State &s) { return expected_activity(s); });
}

}  // namespace phonehome
