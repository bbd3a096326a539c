// The NAT-pinhole rule. A UDP 4-tuple that a local device sends on again after
// a silence of at least `silence` while nothing has ever come back on it keeps
// (or re-creates) a NAT mapping through which the remote can reach the device.
// From that datagram on, every outbound datagram of the 4-tuple is a pinhole
// datagram, until something comes back; after a reply it never is again. The
// first datagram of a 4-tuple is never one: there is no silence to measure.
//
// Packets must be fed in capture order; the result for a packet depends only
// on it and the packets before it.
#pragma once

#include <cstddef>
#include <cstdint>

#include "heuristics/common/flat_table.hpp"
#include "heuristics/common/flow_key.hpp"

namespace phonehome {

class PinholeTracker {
public:
    struct Outbound {
        bool pinhole = false;
        // This datagram ended a silence of at least the threshold (the first
        // one opens the series; later ones re-create the NAT mapping again).
        bool after_silence = false;
        // Time since the previous outbound datagram of the 4-tuple (0 for the first).
        int64_t gap_ns = 0;
        // Time since the datagram that opened the series (pinhole datagrams only).
        int64_t since_open_ns = 0;
        // Outbound datagrams of the 4-tuple so far, this one included.
        uint64_t datagrams = 0;
    };

    static constexpr int64_t kDefaultSilenceNs = 20'000'000'000;
    static constexpr size_t kDefaultMaxFlows = 1u << 18;

    explicit PinholeTracker(int64_t silence_ns = kDefaultSilenceNs, size_t max_flows = kDefaultMaxFlows);

    Outbound on_outbound(const FlowKey &key, int64_t time_ns) {
        return on_outbound(key, FlowHash{FlowKeyHash()(key)}, time_ns);
    }
    // The same with the key's hash computed (flow_key.hpp).
    Outbound on_outbound(const FlowKey &key, FlowHash hash, int64_t time_ns);
    // A datagram from remote addr:port to device addr:port.
    void on_inbound(const FlowKey &key, int64_t time_ns) { on_inbound(key, FlowHash{FlowKeyHash()(key)}, time_ns); }
    void on_inbound(const FlowKey &key, FlowHash hash, int64_t time_ns);

    void set_silence(int64_t silence_ns) { silence_ns_ = silence_ns; }
    int64_t silence_ns() const { return silence_ns_; }
    size_t flows() const { return flows_.size(); }
    // Flows forgotten to stay under max_flows (the least recently active first).
    uint64_t evicted() const { return evicted_; }
    void clear();

    struct State {
        int64_t last_out_ns = 0;
        int64_t last_activity_ns = 0;
        int64_t opened_ns = 0;
        uint64_t datagrams = 0;
        bool replied = false;
        bool open = false;
    };

private:
    State &touch(const FlowKey &key, FlowHash hash, int64_t time_ns);
    void evict_idle(int64_t now_ns);

    int64_t silence_ns_;
    size_t max_flows_;
    uint64_t evicted_ = 0;
    FlatTable<FlowKey, State, FlowKeyHash> flows_;
};

}  // namespace phonehome
