// The hand-over from the Kalay and PPPP dissectors to the phonehome
// postdissector: what a dissector claimed in this frame, kept in the
// packet's own memory (every dissection of the frame notes it again).
#pragma once

#include "heuristics/detectors/p2p/p2p_observation.hpp"
#include "ws.hpp"

namespace phonehome::glue {

void p2p_notes_init(int proto_phonehome);
void note_p2p(packet_info *pinfo, const P2pObservation &obs);
// What was noted in this frame, or nullptr.
const P2pObservation *noted_p2p(packet_info *pinfo);

}  // namespace phonehome::glue
