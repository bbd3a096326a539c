// What the heartbeat engine knows of a whole flow, both directions and every
// packet with a payload (beat candidates and everything else): how many
// packets each way, how many bytes each way and, for TCP, where each
// direction's sequence numbers stand. A keepalive is a small message on a
// timer over an otherwise quiet channel; what else the flow carries between
// two candidate beats tells a busy or bulk flow from such a channel, what a
// packet follows tells a reply from a message of its own, and the sequence
// numbers tell a retransmission (old bytes sent again) from a new message.
//
// Sequence numbers (TCP). A segment with a payload that starts before the
// highest byte the direction has sent is a retransmission, as Wireshark's TCP
// analysis says (tcp.analysis.retransmission: seq < the next expected seq),
// except a TCP keep-alive probe (0 or 1 byte at next seq - 1), which is a
// keepalive by definition. Bytes are counted by how far the sequence numbers
// advance, so a transfer counts even where the capture missed its segments
// (sampled or one-sided captures). A jump of more than 2^30 either way is a
// new connection on the same ports (or garbage): the count starts again.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "heuristics/common/flat_table.hpp"
#include "heuristics/detectors/heartbeat/series_key.hpp"

namespace phonehome {

class FlowActivity {
public:
    struct Seen {
        uint32_t packets = 0;        // this direction's packets with a payload, this one included
        uint32_t bytes_before = 0;   // both directions' bytes before this packet (mod 2^32)
        uint32_t bytes_after = 0;    // ... and with it
        bool retransmission = false; // TCP: it repeats bytes the direction had sent
        bool first = false;          // the direction's first packet with a payload the table knows of
        // The payload length of the flow's previous packet when that went the
        // other way less than kReplyWithinNs earlier (this packet may answer
        // it), else 0.
        uint32_t answers_len = 0;
    };

    // A reply comes within a round trip (and the peer's moment to answer);
    // a message on a timer of its own comes whenever it is due.
    static constexpr int64_t kReplyWithinNs = 1'000'000'000;

    explicit FlowActivity(size_t max_flows) : max_flows_(max_flows) {}

    // A packet with a payload of `payload_len` bytes on the key's flow, in the
    // key's direction (the kind is ignored); tcp_seq for TCP segments.
    Seen observe(const SeriesKey &key, int64_t time_ns, uint32_t payload_len, std::optional<uint32_t> tcp_seq) {
        return observe(key, FlowHash{FlowKeyHash()(key.flow)}, time_ns, payload_len, tcp_seq);
    }
    // The same with the key's flow's hash computed (flow_key.hpp).
    Seen observe(const SeriesKey &key, FlowHash flow, int64_t time_ns, uint32_t payload_len,
                 std::optional<uint32_t> tcp_seq);
    // A SYN in the key's direction: a new connection, sequence numbers start
    // afresh (no entry is made for a flow the table does not know).
    void on_syn(const SeriesKey &key) { on_syn(key, FlowHash{FlowKeyHash()(key.flow)}); }
    void on_syn(const SeriesKey &key, FlowHash flow);

    size_t flows() const { return flows_.size(); }
    void clear() { flows_.clear(); }

    struct State {
        uint32_t packets[2] = {0, 0};
        uint32_t bytes[2] = {0, 0};
        uint32_t next_seq[2] = {0, 0};
        bool seq_known[2] = {false, false};
        int64_t last_ns = 0;    // the time of the flow's latest packet,
        uint8_t last_dir = 0;   // its direction
        uint32_t last_len = 0;  // and its payload length (0: none yet)
    };

private:
    static SeriesKey flow_of(const SeriesKey &key);

    size_t max_flows_;
    // Bounded like the series table: cleared when full (the counts only ever
    // matter between two packets of one candidate).
    FlatTable<SeriesKey, State, SeriesKeyHash> flows_;
};

}  // namespace phonehome
