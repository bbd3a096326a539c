#include "heuristics/detectors/heartbeat/flow_activity.hpp"

namespace phonehome {

// An entry of the flat table and its index words.
static_assert(sizeof(SeriesKey) + sizeof(FlowActivity::State) + kFlatTableIndexBytesPerEntry <= 256,
              "keep the per-flow state small");

namespace {
constexpr int64_t kResync = int64_t(1) << 30;

// a - b in sequence space, as a signed distance.
int64_t seq_diff(uint32_t a, uint32_t b) { return int64_t(int32_t(a - b)); }
}  // namespace

SeriesKey FlowActivity::flow_of(const SeriesKey &key) {
    SeriesKey flow = key;
    flow.direction = Direction::Outbound;
    flow.kind_source = KindSource::SizeClass;
    flow.kind = 0;
    return flow;
}

FlowActivity::Seen FlowActivity::observe(const SeriesKey &key, FlowHash flow, int64_t time_ns, uint32_t payload_len,
                                         std::optional<uint32_t> tcp_seq) {
    if (flows_.size() >= max_flows_) flows_.forget_all();
    const SeriesKey k = flow_of(key);
    State &s = flows_.emplace(k, State{}, SeriesKeyHash::from_flow(flow, k)).first->second;
    const size_t d = key.direction == Direction::Outbound ? 0 : 1;
    Seen seen;
    seen.bytes_before = s.bytes[0] + s.bytes[1];
    seen.first = s.packets[d] == 0;
    if (s.last_dir != d && time_ns >= s.last_ns && time_ns - s.last_ns < kReplyWithinNs) seen.answers_len = s.last_len;
    s.last_ns = time_ns;
    s.last_dir = uint8_t(d);
    s.last_len = payload_len;
    if (s.packets[d] != UINT32_MAX) s.packets[d]++;
    seen.packets = s.packets[d];

    uint32_t added = payload_len;
    if (tcp_seq) {
        const uint32_t end = *tcp_seq + payload_len;
        if (s.seq_known[d]) {
            const int64_t behind = seq_diff(s.next_seq[d], *tcp_seq);  // > 0: starts before the frontier
            const int64_t ahead = seq_diff(end, s.next_seq[d]);         // > 0: ends beyond it
            const bool keepalive = payload_len <= 1 && behind == 1;
            if (behind >= kResync || ahead >= kResync || -behind >= kResync) {
                s.next_seq[d] = end;  // a new connection: count it as new bytes
            } else {
                seen.retransmission = behind > 0 && payload_len > 0 && !keepalive;
                added = ahead > 0 ? uint32_t(ahead) : 0;
                if (ahead > 0) s.next_seq[d] = end;
            }
        } else {
            s.seq_known[d] = true;
            s.next_seq[d] = end;
        }
    }
    s.bytes[d] += added;
    seen.bytes_after = s.bytes[0] + s.bytes[1];
    return seen;
}

void FlowActivity::on_syn(const SeriesKey &key, FlowHash flow) {
    const SeriesKey k = flow_of(key);
    auto it = flows_.find(k, SeriesKeyHash::from_flow(flow, k));
    if (it != flows_.end()) it->second.seq_known[key.direction == Direction::Outbound ? 0 : 1] = false;
}

}  // namespace phonehome
