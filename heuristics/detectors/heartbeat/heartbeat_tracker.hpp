// The heartbeat engine: a causal, per-series periodicity detector. Each packet
// is fed once, in capture order, under its SeriesKey; the verdict for a packet
// depends only on it and the packets before it, and is never revised.
//
// Unlike beacon scoring over separate connections (RITA), it works inside one
// long session too: MQTT pings, TLS keepalives and UDP keepalives are series of
// one kind of packet on one flow.
//
// The rules (numbers are the HeartbeatConfig defaults):
//
// What a heartbeat is: a small message whose job is to keep a channel open,
// sent on a timer, carrying no growing data and answered, if at all, by small
// replies. The rules below follow from that; the analyzer adds that an opaque
// packet over kMaxOpaqueBeat bytes is never a beat.
//
// Packets. A TCP retransmission (the same bytes again, see flow_activity.hpp)
// is no packet of any series. Nor is an opaque packet that answers, within a
// second, a packet over kMaxOpaqueBeat bytes of the other direction (an
// upload's acknowledgement).
//
// Intervals. Before a series is established, an interval is the time since
// the previous packet of the key. One shorter than min_period (1 s, and never
// under retry_floor, 1.5 s) or longer than max_period (3600 s) restarts the
// candidate: its intervals are dropped, so a 20 ms stream, a 10 ms bulk
// transfer or a request retried every second never gets one interval in.
// For opaque keys, an interval during which the flow sent more than
// max_interleaved (4) packets of other kinds that way, or moved more than
// max_interval_bytes (32 KiB) either way, restarts it too (a busy flow, a
// request loop answered by large responses).
// Gaps between consecutive packets of the key (strays included) that double
// twice in a row are a retry's exponential backoff (SIP's 0.5, 1, 2, 4 s):
// that candidate does not establish until it restarts, whatever its plateau.
//
// Establishing. The packet whose interval completes m >= min_intervals (3)
// consecutive intervals whose relative range (max / min - 1) is at most
//     establish_tolerance + establish_growth * (m - min_intervals),
// capped at max_tolerance (defaults: 0.35 whatever m) establishes the series:
// the 4th packet at the earliest. Both a tight series (exact 5 s, or Zeek's
// MQTT pings 5.7, 5.7, 5.3 s) and a jittery one (a robot vacuum's uniform
// 45..60 s: range at most 0.33) are established at the beat that completes
// three intervals. Before that, once two intervals agree within 10 %, an
// interval of about two or three of them spans missed beats, and a packet
// earlier than half of them (but not within min_period of the last) is a
// stray one (ignored, once). When the two agree within 2 % (an exact timer),
// so is a packet earlier than 0.7 of them or between the times of the beats
// after a missed one. One stray or missed beat is free; for opaque keys each
// further one before establishing adds two to the noise count below (an
// irregular series held together by them). The price: three
// random (exponential) intervals are that tight about 2 % of the time, so
// ~4.5 % of long random-timing flows of one packet size on an otherwise idle
// channel form a series at some point (measured in the tests); busy flows are
// kept out by max_interleaved.
// Packets before the establishing one are not flagged. The period reported
// at establishment rests on as few as 3 intervals, so with jitter it is only
// as good as the jitter (within +-10 % for +-10 % jitter); it settles as the
// window fills (within 5 % from the 16th beat on, in the tests).
//   Noise. Random timing (request/response, browsing) produces three
// intervals within 10 % about 0.2 % of the time (exponential intervals), so a
// long random flow would get there eventually. Evidence of irregular timing
// therefore raises the bar: each pair of consecutive candidate intervals whose
// ratio exceeds 1 + max_tolerance, and each candidate cut short by a packet
// within min_period or by a busy interval, adds one to a noise count, and
// establishing needs
// min_intervals + noise intervals (up to the window of 16). Only establishing
// clears it. A real heartbeat has no such pairs; random timing has them most
// of the time, so a random flow is left with about the chance of its first
// few intervals: 0.3 % of 100-packet exponential flows (measured on 20000).
//
// Period. Over the series' last 16 intervals: the median, the MAD, a
// tolerance T = clamp(mad_factor (3) * MAD, tolerance (0.20) * median,
// max_tolerance (0.35) * median), and the period P = mean of the intervals
// within max_tolerance of the median (see interval_stats.hpp). jitter_s
// reports the MAD.
// The tolerance to stay in a series is wider than the one to enter it: once
// established, the jitter must not break the series (45..60 s is +-14 %).
//
// Established series. A packet dt after the last on-time beat is:
//  - a beat when |dt - j P| <= T sqrt(j) for j = 1 .. 1 + max_missed (2), the
//    smallest such j (jitter adds up over the missed beats); j - 1 beats were
//    missed (lost, or not captured). A late next beat (j = 1, dt > P) may
//    also be within T plus half the window's range beyond its longest
//    interval, up to max_tolerance: a jittery timer's first intervals
//    understate its spread. It is in_series; count goes up by one
//    (count counts observed beats, the missed ones are reported apart in
//    `missed`); dt / j joins the intervals; the next beat is measured from it.
//  - a replacing beat when dt < (1 - max_tolerance) P but the time since the
//    beat before the last one fits P better than the last beat did (and within
//    T): the last beat came early and was a stray packet, this one is the
//    beat. It is in_series; its interval replaces the last one and the next
//    beat is measured from it (count stays: the stray was counted already,
//    and a causal verdict cannot be taken back). Once per beat.
//  - an extra packet when dt < (1 - max_tolerance) P, i.e. much too early: not
//    in_series and changes nothing, so the next on-time beat still measures
//    from the last one. More than max_extras (8) extras in one period drop the
//    series (a stream has started on the key).
//  - otherwise off-beat (early or late, or a silence beyond the missed beats):
//    not in_series. Both phases are kept for the next packet: the old one (a
//    stray packet) and one re-synced to the off-beat packet (an MQTT client
//    restarts its keep-alive timer after any message it sends); a next packet
//    on either is a beat. A second off-beat packet in a row that fits neither
//    drops the series, and that packet starts a new candidate.
// A time stamp going backwards is ignored (merged captures).
//
// Memory: sizeof(HeartbeatTracker::State) is 144 bytes (static_assert <= 144
// in the .cpp); with the 48-byte key an entry of the flat table is 192
// bytes, 208 to 224 with its index words (flat_table.hpp): within the
// 256-byte goal (FlowActivity's per-flow entry is 112 to 128). The table holds
// at most max_series series; when full, the
// quarter with the oldest "expected activity" is forgotten: the last packet
// for candidates, but for established series the time their next beat is due
// at the latest (last beat + (2 + max_missed) P), so an hourly heartbeat
// outlives a burst of one-off flows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "heuristics/common/flat_table.hpp"
#include "heuristics/detectors/heartbeat/flow_activity.hpp"
#include "heuristics/detectors/heartbeat/series_key.hpp"

namespace phonehome {

// The largest opaque packet (no known message type) that may be a beat: a
// keepalive is a small message (the exact size classes: 1 byte for a TCP
// keep-alive probe, a few dozen for MQTT over TLS, a WireGuard, STUN or QUIC
// keepalive, ~160 at most seen in real traffic). A bigger one is a request
// (a SIP CANCEL retried at its timer is 383 bytes), a response of a browsing
// session or a transfer's segment: the analyzer feeds it as on_other_packet,
// activity of its flow, and an opaque packet that answers one is no
// keepalive's reply either (an upload's acknowledgement).
constexpr uint32_t kMaxOpaqueBeat = 256;

struct HeartbeatConfig {
    int64_t min_period_ns = 1'000'000'000;
    // Whatever min_period says, intervals under this never count: a keepalive
    // has no reason to beat that fast, while a request retried at a fixed
    // 1 s timer (the usual retry, TCP's minimum RTO) and a data feed's ticks
    // do. The sanitised min_period is at least this.
    int64_t retry_floor_ns = 1'500'000'000;
    int64_t max_period_ns = 3600'000'000'000;
    uint32_t min_intervals = 3;
    double establish_tolerance = 0.35;
    double establish_growth = 0.0;
    double tolerance = 0.20;
    double max_tolerance = 0.35;
    double mad_factor = 3.0;
    uint32_t max_missed = 2;
    uint32_t max_extras = 8;
    // Before a series of opaque packets (keyed by size) is established, an
    // interval during which the flow sent (in the same direction) more than
    // this many packets of other kinds does not count: a keepalive beats in an
    // otherwise idle channel, while a busy flow's packets of one size recur at
    // random (a chatty device). Series of known message types are exempt.
    uint32_t max_interleaved = 4;
    // Before a series of opaque packets is established, an interval during
    // which the flow moved more than this many bytes (both directions, TCP
    // bytes the capture missed included) does not count either: a keepalive
    // is answered, if at all, by small replies, and a channel it keeps open
    // carries at most a few small commands between two beats, while a request
    // loop answered by large responses is a stream (an HLS player fetching a
    // video segment every few seconds).
    uint32_t max_interval_bytes = 32 * 1024;
    size_t max_series = size_t(1) << 16;
};

class HeartbeatTracker {
public:
    static constexpr size_t kWindow = 16;  // intervals kept per series

    struct Result {
        bool in_series = false;        // a beat of an established series
        bool established_now = false;  // this packet established the series
        double period_s = 0;           // in_series only
        double jitter_s = 0;           // MAD of the intervals; in_series only
        uint32_t count = 0;            // observed beats so far, this one included; in_series only
        uint32_t missed = 0;           // beats inferred missing so far; in_series only
        // What the packet was to its flow (on_other_packet too): a TCP
        // retransmission (never a beat, nor counted), and whether it is the
        // first packet with a payload of its direction the tracker knows of.
        bool retransmission = false;
        bool first_of_direction = false;
    };

    // The configuration is sanitised: periods within [1 ms, 30 days] and
    // min <= max, min_intervals within [2, 16], fractions within [0, 0.45]
    // with tolerance and establish_tolerance <= max_tolerance, max_missed <= 8,
    // max_extras <= 255, max_series >= 16.
    explicit HeartbeatTracker(const HeartbeatConfig &config = HeartbeatConfig());

    // payload_len is the packet's payload length (0 when unknown), for what a
    // flow moved between two packets of a candidate; tcp_seq, for TCP
    // segments, tells retransmissions (see flow_activity.hpp).
    Result on_packet(const SeriesKey &key, int64_t time_ns, uint32_t payload_len = 0,
                     std::optional<uint32_t> tcp_seq = std::nullopt) {
        return on_packet(key, FlowHash{FlowKeyHash()(key.flow)}, time_ns, payload_len, tcp_seq);
    }

    // A packet of the flow that cannot be a beat (too big to be a keepalive):
    // it only counts towards what a candidate's intervals interleave and move.
    // Only the flow fields of the result are set.
    Result on_other_packet(const SeriesKey &key, int64_t time_ns, uint32_t payload_len = 0,
                           std::optional<uint32_t> tcp_seq = std::nullopt) {
        return on_other_packet(key, FlowHash{FlowKeyHash()(key.flow)}, time_ns, payload_len, tcp_seq);
    }
    // A TCP SYN in the key's direction: the flow's sequence numbers start afresh.
    void on_tcp_syn(const SeriesKey &key) { flows_.on_syn(key); }

    // The same three with the key's flow's hash computed (flow_key.hpp).
    Result on_packet(const SeriesKey &key, FlowHash flow, int64_t time_ns, uint32_t payload_len,
                     std::optional<uint32_t> tcp_seq);
    Result on_other_packet(const SeriesKey &key, FlowHash flow, int64_t time_ns, uint32_t payload_len,
                           std::optional<uint32_t> tcp_seq);
    void on_tcp_syn(const SeriesKey &key, FlowHash flow) { flows_.on_syn(key, flow); }

    const HeartbeatConfig &config() const { return config_; }
    size_t series() const { return series_.size(); }
    // Series forgotten to stay under max_series.
    uint64_t evicted() const { return evicted_; }
    void clear();

    struct State {
        int64_t anchor_ns = 0;     // the last on-time beat (before establishing: the last packet)
        int64_t last_seen_ns = 0;  // the last packet of any kind
        int64_t alt_anchor_ns = 0; // the last off-beat packet: a re-synced phase
        double period_ms = 0, tolerance_ms = 0, mad_ms = 0;  // established series only
        uint32_t intervals_ms[kWindow] = {};                 // oldest first
        uint32_t count = 0, missed = 0;
        uint32_t flow_seq = 0;     // the flow's packet count (this direction) at this series' last packet
        uint32_t flow_bytes = 0;   // the flow's bytes (both directions, mod 2^32) after this series' last packet
        uint8_t n = 0;             // intervals held
        uint8_t noise = 0;
        uint8_t extras = 0;        // extra packets since the last beat
        uint8_t off_beats = 0;     // consecutive off-beat packets
        uint32_t last_gap_ms = 0;  // the time between the key's last two packets (candidates)
        uint8_t tolerated = 0;     // strays and missed beats the candidate was held together by
        uint8_t doublings = 0;     // consecutive gaps each about twice the one before
        bool started : 1;
        bool established : 1;
        bool replaceable : 1;      // the last beat came on its own (j = 1) and may yet prove a stray
        bool retrying : 1;         // the candidate's gaps backed off like a retry's
        State() : started(false), established(false), replaceable(false), retrying(false) {}
    };

private:
    Result grow_candidate(State &s, int64_t dt, int64_t time_ns, bool opaque, bool busy);
    enum class Fit { Beat, MissedBeats, Stray };
    Fit fit_candidate(const State &s, int64_t dt, int64_t *per_beat) const;
    void note_gap(State &s, int64_t gap_ns) const;
    void restart_candidate(State &s, bool irregular) const;
    Result continue_series(State &s, int64_t dt, int64_t time_ns);
    size_t longest_tight_suffix(const State &s) const;
    void push_interval(State &s, int64_t dt_ns) const;
    void update_estimate(State &s) const;
    Result beat_result(const State &s) const;
    void drop(State &s, int64_t time_ns) const;
    int64_t expected_activity(const State &s) const;
    void evict();

    HeartbeatConfig config_;
    uint64_t evicted_ = 0;
    FlatTable<SeriesKey, State, SeriesKeyHash> series_;
    // Every flow's packets and bytes, to tell what a candidate's intervals
    // interleave and move, and its retransmissions.
    FlowActivity flows_;
};

}  // namespace phonehome
