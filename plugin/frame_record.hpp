// What the postdissector keeps per frame between dissections.
#pragma once

#include <type_traits>

#include "heuristics/analyzer.hpp"

namespace phonehome::glue {

// What the first, in-order pass decided for a frame, kept for every later
// dissection of it: the findings, and the packet's facts where pinfo alone
// would tell a different story later (an ICMP error quoting another packet)
// or where later passes need what only the payload said (a p2p_dns packet's
// query/response direction), and the packet with which a dead cloud answered
// after all (for the remotes report on later passes). Frames with neither keep nothing; a flagged
// frame keeps ~100 bytes, ~250 with its facts (file memory, like Wireshark's
// own per-frame data).
struct FrameRecord {
    FindingSet findings;
    PinholeTracker::Outbound pinhole;
    HeartbeatTracker::Result heartbeat;
    uint16_t mqtt_keepalive_s;
    DeadCloudTracker::Syn syn;
    const PacketFacts *facts;  // file memory, or nullptr: pinfo gives the same facts later
    const char *dns_name;      // the P2P-domain name a DNS packet carries (file memory)
    bool dead_cloud_answered;  // a service flagged dead_cloud answered with this packet
};
static_assert(std::is_trivially_destructible_v<FrameRecord>, "lives in wmem memory");

}  // namespace phonehome::glue
