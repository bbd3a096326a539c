// What the postdissector keeps per frame between dissections.
#pragma once

#include <type_traits>

#include "heuristics/analyzer.hpp"

namespace phonehome::glue {

// What the first, in-order pass decided for a frame, kept for every later
// dissection of it: the findings, and the packet's facts where pinfo alone
// would tell a different story later (an ICMP error quoting another packet).
// Frames with neither keep nothing.
struct FrameRecord {
    FindingSet findings;
    PinholeTracker::Outbound pinhole;
    HeartbeatTracker::Result heartbeat;
    uint16_t mqtt_keepalive_s;
    DeadCloudTracker::Syn syn;
    bool has_facts;
    PacketFacts facts;
    const char *dns_name;  // the P2P-domain name a DNS packet carries (file memory)
};
static_assert(std::is_trivially_destructible_v<FrameRecord>, "lives in wmem memory");

}  // namespace phonehome::glue
