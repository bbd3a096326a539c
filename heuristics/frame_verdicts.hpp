// What the first, in-order pass decided for each frame, kept for every later
// dissection of it (tshark's second pass, the GUI's clicks and filters): the
// findings, the numbers they show, and the packet's facts where pinfo alone
// would tell a different story later (an ICMP error quoting another packet)
// or where later passes need what only the payload said (a p2p_dns packet's
// query/response direction), and whether a dead cloud answered after all
// (for the remotes report on later passes).
//
// Kept compactly, since a busy IoT capture flags a fifth of its frames and
// the pass that reads nothing back (tshark's one pass) keeps them all the
// same: 16 bytes per frame with a verdict plus only the parts its findings
// show (a heartbeat beat 24 bytes, a pinhole datagram 32, a P2P message
// nothing), in blocks of 64 KiB. Frames with no verdict keep nothing. The
// plugin used Wireshark's per-frame data before (p_add_proto_data, a record
// of 128 bytes and two small allocations per flagged frame: 40 MB more than
// plain tshark on the 1M-packet iot benchmark capture).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <type_traits>
#include <vector>

#include "heuristics/common/findings.hpp"
#include "heuristics/common/packet_facts.hpp"
#include "heuristics/detectors/dead_cloud.hpp"
#include "heuristics/detectors/pinhole_tracker.hpp"

namespace phonehome {

// One frame's verdict, as the tree and the taps read it. Only the members
// of its findings are meaningful; the rest stay at their defaults.
struct FrameRecord {
    // A heartbeat beat: what the tree shows of it.
    struct Beat {
        double period_s = 0;
        double jitter_s = 0;
        uint32_t count = 0;            // observed beats so far, this one included
        uint16_t mqtt_keepalive_s = 0;  // the flow's MQTT CONNECT keep-alive, 0 when unseen
    };

    FindingSet findings = 0;
    PinholeTracker::Outbound pinhole;  // Pinhole
    Beat heartbeat;                    // Heartbeat
    DeadCloudTracker::Syn syn;         // DeadCloud
    const PacketFacts *facts = nullptr;  // kept facts (valid until clear()), or nullptr: pinfo gives the same later
    const char *dns_name = nullptr;      // the P2P-domain name a DNS packet carries (valid until clear())
    bool dead_cloud_answered = false;    // a service flagged dead_cloud answered with this packet

    // Whether anything is worth keeping (else the frame has no verdict).
    bool worth_keeping() const { return findings || facts || dns_name || dead_cloud_answered; }
};

class FrameVerdicts {
public:
    // Feed in capture order (a frame number below the last one is inserted
    // in place, one already stored replaced). `r.facts` and `r.dns_name` are
    // copied.
    void add(uint32_t frame, const FrameRecord &r);
    // The verdict on `frame`, or false. Fast for ascending frame numbers
    // (a pass over the file), a binary search otherwise.
    bool find(uint32_t frame, FrameRecord *out) const;

    size_t size() const { return entries_.size(); }
    // Memory held: the entries' and the parts' blocks.
    size_t bytes() const;
    void clear();

private:
    struct Entry {
        uint32_t frame;
        uint16_t findings;
        uint8_t extras;  // kFacts | kDnsName | kAnswered
        const std::byte *parts;  // the findings' parts in order, then the extras' pointers; nullptr for none
    };
    static_assert(kFindingCount <= 16, "findings fit an Entry's 16 bits");
    static constexpr uint8_t kFacts = 1, kDnsName = 2, kAnswered = 4;
    static constexpr uint8_t kPointers = kFacts | kDnsName;  // extras stored as pointers among the parts
    static constexpr size_t kBlockBytes = size_t(64) << 10;

    std::byte *allocate(size_t n);
    const std::byte *store_parts(const FrameRecord &r, uint8_t extras);
    static void read_parts(const Entry &e, FrameRecord *out);
    size_t position(uint32_t frame) const;  // first entry with a frame number >= frame

    std::deque<Entry> entries_;
    std::vector<std::unique_ptr<std::byte[]>> blocks_;
    size_t block_used_ = kBlockBytes;   // bytes used in blocks_.back()
    size_t held_ = 0;                   // bytes in blocks_
    mutable size_t hint_ = 0;           // where the last lookup ended
};

static_assert(std::is_trivially_copyable_v<PacketFacts>, "kept facts are copied as bytes");

}  // namespace phonehome
