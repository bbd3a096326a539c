// Fills the core's PacketFacts from a finished dissection: the outermost IP
// header and the transport right above it. pinfo->src/dst are not enough on
// their own: inside an ICMP error they are overwritten by the quoted packet,
// so the addresses, ports and TCP flags are read from the (primed) fields of
// the outermost headers.
#pragma once

#include "heuristics/packet_facts.hpp"
#include "ws.hpp"

namespace phonehome::glue {

// Looks up the protocol and field ids; call from the handoff.
void facts_init();
// The fields the postdissector must have in the tree.
GArray *facts_wanted_hfids();
// False when the frame has no IPv4/IPv6 header.
bool extract_facts(packet_info *pinfo, proto_tree *tree, PacketFacts *out);

}  // namespace phonehome::glue
