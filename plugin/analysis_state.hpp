// The capture's analysis state, shared by the postdissector, the tree and
// the reports: the core's Analyzer, the frames' verdicts, the P2P domain list
// and the allowlist.
// Reset with each new file and each preference change (Wireshark then
// dissects every frame again from the first, unvisited).
#pragma once

#include <string>

#include "heuristics/identity/address_class.hpp"
#include "heuristics/analyzer.hpp"
#include "heuristics/frame_verdicts.hpp"
#include "heuristics/detectors/p2p/p2p_domains.hpp"

namespace phonehome::glue {

// An object of its own rather than a function's static: the postdissector
// asks for it several times a packet, and a static's guard is a call each.
extern Analyzer the_analyzer;
inline Analyzer *analyzer() { return &the_analyzer; }
// The first pass's verdict on each frame, for later dissections of it.
FrameVerdicts &frame_verdicts();
P2pDomains &p2p_domains();
NetworkList &allowlist();

// A line saying which bounded tables forgot state, or empty.
std::string eviction_note();

}  // namespace phonehome::glue
