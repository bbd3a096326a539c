#include "heuristics/detectors/pinhole_tracker.hpp"

#include <algorithm>

#include "heuristics/common/bounded_table.hpp"

namespace phonehome {

// Per tracked 4-tuple: the key, the state, and the flat table's index words
// stay within the 256-byte goal.
static_assert(sizeof(FlowKey) + sizeof(PinholeTracker::State) + kFlatTableIndexBytesPerEntry <= 256,
              "keep the per-flow state small");

PinholeTracker::PinholeTracker(int64_t silence_ns, size_t max_flows)
    : silence_ns_(silence_ns), max_flows_(std::max<size_t>(max_flows, 16)) {}

void PinholeTracker::clear() {
    flows_.clear();
    evicted_ = 0;
}

PinholeTracker::State &PinholeTracker::touch(const FlowKey &key, FlowHash hash, int64_t time_ns) {
    auto it = flows_.find(key, hash.value);
    if (it == flows_.end()) {
        if (flows_.size() >= max_flows_) evict_idle(time_ns);
        it = flows_.emplace(key, State{}, hash.value).first;
    }
    it->second.last_activity_ns = std::max(it->second.last_activity_ns, time_ns);
    return it->second;
}

// Forget the least recently active quarter of the table. Long-lived,
// regularly refreshed 4-tuples are the most recently active, so they survive;
// what goes is one-off traffic (scans, floods).
void PinholeTracker::evict_idle(int64_t) {
    evicted_ += evict_lowest_quarter(flows_, [](const State &s) { return s.last_activity_ns; });
}

PinholeTracker::Outbound PinholeTracker::on_outbound(const FlowKey &key, FlowHash hash, int64_t time_ns) {
    State &s = touch(key, hash, time_ns);
    Outbound r;
    // A time stamp going backwards (merged captures) counts as no silence.
    // A new 4-tuple has no datagrams yet: no gap to measure.
    r.gap_ns = s.datagrams > 0 ? std::max<int64_t>(0, time_ns - s.last_out_ns) : 0;
    if (!s.replied) {
        r.after_silence = s.datagrams > 0 && r.gap_ns >= silence_ns_;
        if (!s.open && r.after_silence) {
            s.open = true;
            s.opened_ns = time_ns;
        }
        if (s.open) {
            r.pinhole = true;
            r.since_open_ns = std::max<int64_t>(0, time_ns - s.opened_ns);
        }
    }
    s.datagrams++;
    s.last_out_ns = time_ns;
    r.datagrams = s.datagrams;
    return r;
}

void PinholeTracker::on_inbound(const FlowKey &key, FlowHash hash, int64_t time_ns) {
    State &s = touch(key, hash, time_ns);
    s.replied = true;
    s.open = false;
}

}  // namespace phonehome
