// How a candidate series grows until it is established (see the rules in
// heartbeat_tracker.hpp): which packets are beats, strays or missed beats,
// what counts as evidence of irregular timing, and when a retry's backoff
// shows. The table and the established series are in heartbeat_tracker.cpp.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "heuristics/detectors/heartbeat/heartbeat_tracker.hpp"
#include "heuristics/detectors/heartbeat/interval_stats.hpp"

namespace phonehome {

namespace {
constexpr int64_t kMs = 1'000'000;
constexpr uint8_t kMaxNoise = HeartbeatTracker::kWindow;

void add_noise(HeartbeatTracker::State &s) {
    if (s.noise < kMaxNoise) s.noise++;
}
}  // namespace

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

// Once the last two intervals agree, they are a reference: an interval of
// about two or three references spans a missed beat (it counts as one
// interval of its share), and a packet that fits no beat is an extra one
// (ignored: the next beat still measures from the last). Without this a lost
// ping or a stray message before the series is established would restart it,
// however regular the beats around it. The reference must be tight (two
// intervals within 10 %) and the match close, or random timing would find
// such patterns too often.
HeartbeatTracker::Fit HeartbeatTracker::fit_candidate(const State &s, int64_t dt, int64_t *per_beat) const {
    constexpr double kReferenceRange = 0.10, kExactRange = 0.02, kMissedSlack = 0.10;
    *per_beat = dt;
    if (s.n < 2) return Fit::Beat;
    const double ref_range = relative_range(s.intervals_ms + s.n - 2, 2);
    if (ref_range > kReferenceRange) return Fit::Beat;
    const double ref_ns = (double(s.intervals_ms[s.n - 1]) + double(s.intervals_ms[s.n - 2])) / 2 * double(kMs);
    for (uint32_t j = 2; j <= 1 + config_.max_missed; ++j) {
        if (std::fabs(double(dt) - j * ref_ns) <= kMissedSlack * j * ref_ns) {
            *per_beat = dt / j;
            return Fit::MissedBeats;
        }
    }
    // A packet that is neither about one reference late (within what a
    // jittery timer allows: max_tolerance) nor about two or three of them
    // (missed beats) is a stray: much too early, or between the times of the
    // beats after a missed one. One stray between two beats, not a run of
    // them; and not after a silence longer than the missed beats. Only an
    // exact reference (within kExactRange) makes a packet between the beats
    // after a missed one a stray: random timing would too often. Much too
    // early: below half the reference, or below 0.7 of an exact one (a +-15 %
    // timer's beat is never below 0.74 of two intervals).
    const bool exact_ref = ref_range <= kExactRange;
    const double extra_below = exact_ref ? 0.7 : 0.5;
    if (dt >= extra_below * ref_ns && (!exact_ref || double(dt) <= (1 + config_.max_tolerance) * ref_ns))
        return Fit::Beat;
    const bool within_missed = double(dt) <= (1 + config_.max_missed) * (1 + kMissedSlack) * ref_ns;
    // A packet sooner than min_period after the last beat is no stray of a
    // timer's series: the kind recurs faster than any keepalive (a server
    // sending queued replies a second apart), and it restarts the candidate.
    if (within_missed && s.extras == 0 && dt >= config_.min_period_ns) return Fit::Stray;
    return Fit::Beat;
}

// A candidate's gaps (between consecutive packets of the key, strays
// included) that double twice in a row are a retry's exponential backoff
// (SIP's T1 of 0.5 s doubling to T2, 4 s, then retried at T2 until the
// transaction times out; a TCP-like RTO): a request sent again until it is
// answered, and the plateau at the cap that may follow is the retry timer,
// not a keepalive's. Such a candidate does not establish until it starts
// afresh. A keepalive's gaps double only across a missed beat, never twice
// in a row.
void HeartbeatTracker::note_gap(State &s, int64_t gap_ns) const {
    const uint32_t gap_ms = uint32_t(std::clamp<int64_t>(gap_ns / kMs, 0, std::numeric_limits<uint32_t>::max()));
    const double ratio = s.last_gap_ms ? double(gap_ms) / double(s.last_gap_ms) : 0;
    s.doublings = ratio >= 1.8 && ratio <= 2.2 ? uint8_t(std::min(s.doublings + 1, 255)) : 0;
    if (s.doublings >= 2) s.retrying = true;
    s.last_gap_ms = gap_ms;
}

// The candidate starts afresh from its last packet; `irregular` when it was
// cut short (a packet too soon, a busy interval): evidence against a timer.
void HeartbeatTracker::restart_candidate(State &s, bool irregular) const {
    if (irregular && s.n > 0) add_noise(s);
    s.n = 0;
    s.tolerated = 0;
    s.retrying = false;
}

HeartbeatTracker::Result HeartbeatTracker::grow_candidate(State &s, int64_t dt, int64_t time_ns, bool opaque,
                                                          bool busy) {
    if (dt < 0) return {};  // a time stamp going backwards (merged captures): ignored
    int64_t per_beat = dt;
    const Fit fit = busy ? Fit::Beat : fit_candidate(s, dt, &per_beat);
    // One stray or missed beat is what a real keepalive shows now and then;
    // a candidate of opaque packets held together by more of them is an
    // irregular series (responses of a browsing session, a peer's gossip at
    // random times): from the second on, each raises the bar by two
    // intervals, as it stands for an interval not observed (or a packet off
    // the timer) and is evidence of irregular timing. A known keepalive
    // message (an MQTT PINGREQ) is one whatever its history.
    if (fit != Fit::Beat && opaque) {
        if (s.tolerated < 255) s.tolerated++;
        if (s.tolerated > 1) {
            add_noise(s);
            add_noise(s);
        }
    }
    if (fit == Fit::Stray) {
        s.extras = 1;
        return {};
    }
    dt = per_beat;
    s.anchor_ns = time_ns;
    s.extras = 0;
    if (busy) {
        // A busy flow: this kind recurring among many others, or beside a
        // transfer, is not a beat.
        restart_candidate(s, true);
        return {};
    }
    if (dt < config_.min_period_ns || dt > config_.max_period_ns) {
        // A candidate cut short by a packet too soon is evidence of irregular
        // timing; one cut by a long silence is not.
        restart_candidate(s, dt < config_.min_period_ns);
        return {};
    }
    push_interval(s, dt);
    if (s.n >= 2 && relative_range(s.intervals_ms + s.n - 2, 2) > config_.max_tolerance) add_noise(s);
    const size_t m = longest_tight_suffix(s);
    if (m == 0 || s.retrying) return {};
    // Keep only the intervals that established the series.
    std::memmove(s.intervals_ms, s.intervals_ms + (s.n - m), m * sizeof(uint32_t));
    s.n = uint8_t(m);
    s.established = true;
    s.noise = 0;
    s.tolerated = 0;
    s.count = uint32_t(m + 1);
    s.missed = 0;
    s.extras = 0;
    s.off_beats = 0;
    update_estimate(s);
    Result r = beat_result(s);
    r.established_now = true;
    return r;
}

}  // namespace phonehome
