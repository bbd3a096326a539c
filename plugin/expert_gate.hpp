// Expert infos that nothing can see are not made (the packet-list pass).
#pragma once

#include "ws.hpp"

namespace phonehome::glue {

// expert_add_info(pinfo, pi, ei), unless nothing could tell the difference.
void add_expert(packet_info *pinfo, proto_item *pi, expert_field *ei);
// A new capture: its highest severity starts again.
void expert_gate_reset();

}  // namespace phonehome::glue
