#include "p2p_notes.hpp"

#include <new>

namespace phonehome::glue {

namespace {
int proto_owner = -1;
constexpr guint32 kKeyP2p = 1;
}  // namespace

void p2p_notes_init(int proto_phonehome) { proto_owner = proto_phonehome; }

void note_p2p(packet_info *pinfo, const P2pObservation &obs) {
    if (proto_owner < 0) return;
    auto *slot = static_cast<P2pObservation *>(p_get_proto_data(pinfo->pool, pinfo, proto_owner, kKeyP2p));
    if (!slot) {
        slot = static_cast<P2pObservation *>(wmem_alloc(pinfo->pool, sizeof(P2pObservation)));
        p_add_proto_data(pinfo->pool, pinfo, proto_owner, kKeyP2p, slot);
    }
    new (slot) P2pObservation(obs);
}

const P2pObservation *noted_p2p(packet_info *pinfo) {
    if (proto_owner < 0) return nullptr;
    return static_cast<const P2pObservation *>(p_get_proto_data(pinfo->pool, pinfo, proto_owner, kKeyP2p));
}

}  // namespace phonehome::glue
