// Without an item (no tree: tshark's packet list, the GUI's first pass) an
// expert info leaves three traces in Wireshark (expert.c, 4.0 to 4.6): the
// Expert column, a record for the "expert" tap's listeners (tshark -z expert,
// the Expert Information dialog) and the capture's highest severity (the GUI's
// status bar). Where there is no Expert column and no listener, only the
// highest severity can show, and only the first expert info of each kind in a
// capture can raise it; the others are skipped. Each costs ~1,450
// instructions (its summary copied into a label buffer, its severity's name
// looked up for the column), and one packet in eight of the benchmark's iot
// mix is flagged, one in thirteen of the flood (bench/README.md).
#include "expert_gate.hpp"

#include <array>
#include <cstddef>

namespace phonehome::glue {

namespace {

int expert_tap = -1;
// The expert fields raised in this capture while no one could see them (a
// dozen kinds at most: one per finding, and one per finding to an allowed
// remote).
std::array<const expert_field *, 32> raised;
size_t raised_count = 0;

bool seen_by_someone(packet_info *pinfo) {
    return (expert_tap >= 0 && have_tap_listener(expert_tap)) || col_get_text(pinfo->cinfo, COL_EXPERT) != nullptr;
}

// Whether `ei` was raised unseen before in this capture; marks it so.
bool raised_before(const expert_field *ei) {
    for (size_t i = 0; i < raised_count; ++i)
        if (raised[i] == ei) return true;
    if (raised_count < raised.size()) raised[raised_count++] = ei;
    return false;
}

}  // namespace

void add_expert(packet_info *pinfo, proto_item *pi, expert_field *ei) {
    if (pi || seen_by_someone(pinfo) || !raised_before(ei)) expert_add_info(pinfo, pi, ei);
}

void expert_gate_reset() {
    // expert.c registers its tap before any plugin's handoff; looked up here,
    // once a capture, as nothing else of it is public.
    expert_tap = find_tap_id("expert");
    raised_count = 0;
}

}  // namespace phonehome::glue
