#include "heuristics/detectors/heartbeat/heartbeat_tracker.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "heuristics/common/bounded_table.hpp"
#include "heuristics/detectors/heartbeat/interval_stats.hpp"

namespace phonehome {

static_assert(sizeof(HeartbeatTracker::State) <= 144, "keep the per-series state small");
static_assert(sizeof(SeriesKey) + sizeof(HeartbeatTracker::State) + kFlatTableIndexBytesPerEntry <= 256,
              "an entry of the flat table and its index words");

namespace {
constexpr int64_t kMs = 1'000'000;
constexpr int64_t kMinPeriodFloor = kMs;                          // 1 ms
constexpr int64_t kMaxPeriodCeiling = 30LL * 86400 * 1'000'000'000;  // fits uint32 ms

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

HeartbeatConfig sanitise(HeartbeatConfig c) {
    c.retry_floor_ns = std::clamp(c.retry_floor_ns, kMinPeriodFloor, kMaxPeriodCeiling);
    c.min_period_ns = std::clamp(std::max(c.min_period_ns, c.retry_floor_ns), kMinPeriodFloor, kMaxPeriodCeiling);
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

HeartbeatTracker::HeartbeatTracker(const HeartbeatConfig &config)
    : config_(sanitise(config)), flows_(config_.max_series) {}

void HeartbeatTracker::clear() {
    flows_.clear();
    series_.clear();
    evicted_ = 0;
}

namespace {
HeartbeatTracker::Result flow_result(const FlowActivity::Seen &seen) {
    HeartbeatTracker::Result r;
    r.retransmission = seen.retransmission;
    r.first_of_direction = seen.first;
    return r;
}
}  // namespace

HeartbeatTracker::Result HeartbeatTracker::on_other_packet(const SeriesKey &key, FlowHash flow, int64_t time_ns,
                                                           uint32_t payload_len, std::optional<uint32_t> tcp_seq) {
    return flow_result(flows_.observe(key, flow, time_ns, payload_len, tcp_seq));
}

HeartbeatTracker::Result HeartbeatTracker::on_packet(const SeriesKey &key, FlowHash flow, int64_t time_ns,
                                                     uint32_t payload_len, std::optional<uint32_t> tcp_seq) {
    const FlowActivity::Seen seen = flows_.observe(key, flow, time_ns, payload_len, tcp_seq);
    // Bytes sent again are no message of their own: not a beat, and nothing
    // a series measures (a retransmission at its timer is not a keepalive).
    if (seen.retransmission) return flow_result(seen);
    // Only series of opaque packets (a size class) are judged by what else
    // the flow sends: a known message type (MQTT PINGREQ, a Kalay or PPPP
    // login) recurring on schedule is a heartbeat however busy the flow is.
    const bool opaque = key.kind_source == KindSource::SizeClass;
    // An opaque reply to a large message (an upload's acknowledgement, of the
    // size a keepalive's reply may have too) is no keepalive's: it is left out
    // of its series, however regular the uploads.
    if (opaque && seen.answers_len > kMaxOpaqueBeat) return flow_result(seen);
    const size_t hash = SeriesKeyHash::from_flow(flow, key);
    auto it = series_.find(key, hash);
    if (it == series_.end()) {
        if (series_.size() >= config_.max_series) evict();
        it = series_.emplace(key, State{}, hash).first;
    }
    State &s = it->second;
    const uint32_t interleaved = opaque && s.started && seen.packets > s.flow_seq ? seen.packets - s.flow_seq - 1 : 0;
    const uint32_t moved = opaque && s.started ? seen.bytes_before - s.flow_bytes : 0;
    s.flow_seq = seen.packets;
    s.flow_bytes = seen.bytes_after;
    const int64_t gap = s.started ? elapsed(time_ns, s.last_seen_ns) : -1;
    s.last_seen_ns = std::max(s.last_seen_ns, time_ns);
    Result r;
    if (!s.started) {
        s.started = true;
        s.last_seen_ns = time_ns;
        s.anchor_ns = time_ns;
    } else {
        const int64_t dt = elapsed(time_ns, s.anchor_ns);
        if (s.established) {
            r = continue_series(s, dt, time_ns);
        } else {
            if (gap >= 0) note_gap(s, gap);
            const bool busy = interleaved > config_.max_interleaved || moved > config_.max_interval_bytes;
            r = grow_candidate(s, dt, time_ns, opaque, busy);
        }
    }
    r.first_of_direction = seen.first;
    return r;
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

HeartbeatTracker::Result HeartbeatTracker::beat_result(const State &s) const {
    Result r;
    r.in_series = true;
    r.period_s = s.period_ms / 1e3;
    r.jitter_s = s.mad_ms / 1e3;
    r.count = s.count;
    r.missed = s.missed;
    return r;
}

void HeartbeatTracker::drop(State &s, int64_t time_ns) const {
    s.established = false;
    s.n = 0;
    s.tolerated = 0;
    s.doublings = 0;
    s.last_gap_ms = 0;
    s.retrying = false;
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
