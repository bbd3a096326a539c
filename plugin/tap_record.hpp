// What the postdissector queues on the "phonehome" tap for every IP packet:
// plain, trivially destructible data, allocated in the packet scope.
#pragma once

#include <type_traits>

#include "heuristics/analyzer.hpp"

namespace phonehome::glue {

struct TapRecord {
    PacketFacts facts;
    Roles roles;
    FindingSet findings = 0;
    const char *remote_name = nullptr;  // packet memory; null when unresolved
    double heartbeat_period_s = 0;      // heartbeat beats only
    bool dead_cloud_answered = false;   // see Verdict::dead_cloud_answered
};

static_assert(std::is_trivially_destructible_v<TapRecord>, "lives in wmem memory");
static_assert(std::is_trivially_copyable_v<TapRecord>, "copied into wmem memory");

// The tap id, valid after registration.
int phonehome_tap_id();

}  // namespace phonehome::glue
