/* The floor under issue 16's ratios: a plugin with phonehome's shape on the
 * packet path and none of its work. A postdissector, called on every frame,
 * and two heuristic dissectors on UDP, tried on every datagram no port claims
 * (as phonehome's kalay_udp and pppp_udp are), each returning at once. What
 * tshark pays for it is what Wireshark charges any plugin of that shape before
 * a line of the plugin runs: the call itself, and for each heuristic a layer
 * added to the packet and removed again per try, the heuristic list walked.
 * The postdissector's handle belongs to a helper protocol ("in name only"),
 * as phonehome's does, for which Wireshark adds no layer. bench/run.py measures it like phonehome:
 *   python3 bench/run.py --plugin build-bench/bench/floor-plugin/phonehome_floor.so ...
 * Nothing else: no fields, no expert infos (those cost per finding, not per
 * call), no preferences. The entry points Wireshark looks up are phonehome's
 * own (plugin/plugin_entry.c), which call the two functions below. */
#include <stdbool.h>
#include <wireshark.h>
#include <epan/packet.h>
#include <epan/proto.h>

#include "phonehome_shim.h"

/* What a heuristic dissector returns: gboolean up to 4.2, bool from 4.4. */
#if WIRESHARK_VERSION_MAJOR > 4 || (WIRESHARK_VERSION_MAJOR == 4 && WIRESHARK_VERSION_MINOR >= 4)
typedef bool floor_heur_result;
#else
typedef gboolean floor_heur_result;
#endif

static int proto_floor = -1, proto_floor_a = -1, proto_floor_b = -1;
static dissector_handle_t floor_handle;

static int dissect_floor(tvbuff_t *tvb _U_, packet_info *pinfo _U_, proto_tree *tree _U_, void *data _U_)
{
    return 0;
}

static floor_heur_result dissect_floor_heur(tvbuff_t *tvb _U_, packet_info *pinfo _U_, proto_tree *tree _U_,
                                            void *data _U_)
{
    return 0;
}

void phonehome_register_protocol(void)
{
    proto_floor = proto_register_protocol("phonehome's floor: a postdissector doing nothing", "phonehome_floor",
                                          "phonehome_floor");
    proto_floor_a = proto_register_protocol("phonehome's floor: heuristic A", "phonehome_floor_a", "phonehome_floor_a");
    proto_floor_b = proto_register_protocol("phonehome's floor: heuristic B", "phonehome_floor_b", "phonehome_floor_b");
    const int proto_floor_post = proto_register_protocol_in_name_only(
        "phonehome's floor: postdissector", "phonehome_floor_post", "phonehome_floor.post", proto_floor, FT_PROTOCOL);
    floor_handle = register_dissector("phonehome_floor", dissect_floor, proto_floor_post);
}

void phonehome_register_handoff(void)
{
    register_postdissector(floor_handle);
    heur_dissector_add("udp", dissect_floor_heur, "phonehome's floor A over UDP", "phonehome_floor_a_udp", proto_floor_a,
                       HEURISTIC_ENABLE);
    heur_dissector_add("udp", dissect_floor_heur, "phonehome's floor B over UDP", "phonehome_floor_b_udp", proto_floor_b,
                       HEURISTIC_ENABLE);
}
