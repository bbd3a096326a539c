// The phonehome subtree of a packet: device, remote, names, the P2P message,
// and one pattern item with its expert info per finding.
#pragma once

#include "heuristics/analyzer.hpp"
#include "heuristics/frame_verdicts.hpp"
#include "ws.hpp"

namespace phonehome::glue {

void add_tree(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const PacketFacts &p, const Roles &r,
              const FrameRecord *result, const char *remote_name);
// "[phonehome: sink, pinhole]" after the Info column.
void append_info(packet_info *pinfo, FindingSet findings);

}  // namespace phonehome::glue
