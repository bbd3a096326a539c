// The "phonehome" protocol: a postdissector that sees every IPv4/IPv6 frame,
// decides which endpoint is the local device and which the Internet remote,
// runs the core's rules once per frame in capture order, and shows the result
// as fields, expert infos and a tap for the reports.
//
// Wireshark's exceptions are longjmps: no function here keeps a C++ object
// with a destructor alive across a Wireshark call, and no C++ exception
// leaves the core calls.
#include <new>
#include <string>

#include "analysis_state.hpp"
#include "frame_record.hpp"
#include "p2p_dissectors.hpp"
#include "p2p_notes.hpp"
#include "phonehome_fields.hpp"
#include "phonehome_prefs.hpp"
#include "phonehome_shim.h"
#include "phonehome_tree.hpp"
#include "reports.hpp"
#include "tap_record.hpp"
#include "ws.hpp"
#include "ws_packet_facts.hpp"

using namespace phonehome;
using namespace phonehome::glue;

namespace {

int tap_phonehome = -1;
dissector_handle_t phonehome_handle;

bool same_packet(const PacketFacts &a, const PacketFacts &b) {
    return a.src == b.src && a.dst == b.dst && a.transport == b.transport && a.src_port == b.src_port &&
           a.dst_port == b.dst_port;
}

// Runs the core on a frame seen for the first time, in capture order; the
// verdict's roles go to `roles` (so they are not classified twice).
const FrameRecord *analyze_first_time(const PacketFacts &facts, bool keep_facts, const char *dns_name,
                                      Roles *roles, bool *have_roles) noexcept {
    try {
        const Verdict v = analyzer()->analyze(facts);
        *roles = v.roles;
        *have_roles = true;
        if (v.findings == 0 && !keep_facts) return nullptr;
        auto *r = static_cast<FrameRecord *>(wmem_alloc(wmem_file_scope(), sizeof(FrameRecord)));
        // Frames with findings keep their facts too: the report and the tree
        // need the DNS direction and the P2P message on every later pass.
        new (r) FrameRecord{v.findings, v.pinhole, v.heartbeat, v.mqtt_keepalive_s, v.syn, true, facts,
                            dns_name ? wmem_strdup(wmem_file_scope(), dns_name) : nullptr};
        return r;
    } catch (...) {
        return nullptr;  // out of memory: no verdict rather than a crash
    }
}

// Teaches the analyzer the names this frame resolves (first pass, in order).
void learn_names(proto_tree *tree, const PacketFacts &facts) noexcept {
    glue::LearntName answers[32];
    const size_t n = glue::dns_answers(tree, answers, G_N_ELEMENTS(answers));
    const char *sni = glue::tls_sni(tree);
    try {
        for (size_t i = 0; i < n; ++i) analyzer()->learn_dns_name(answers[i].addr, answers[i].name, facts.time_ns);
        if (sni && *sni) analyzer()->learn_sni(facts.dst, sni, facts.time_ns);
    } catch (...) {
    }
}

// The name the capture resolved for the remote, copied into packet memory.
const char *remote_name_for(packet_info *pinfo, const Roles &roles, const PacketFacts &facts) noexcept {
    if (!roles.phonehome) return nullptr;
    try {
        const std::string *name = analyzer()->remote_name(roles.remote, facts.time_ns);
        return name ? wmem_strdup(pinfo->pool, name->c_str()) : nullptr;
    } catch (...) {
        return nullptr;
    }
}

// The packet's facts and the stored record of a frame, and on the first
// pass its roles (`*have_roles`); false when it is not an IP packet.
bool facts_for_frame(packet_info *pinfo, proto_tree *tree, PacketFacts *facts, const FrameRecord **record,
                     Roles *roles, bool *have_roles) {
    if (!PINFO_FD_VISITED(pinfo)) {
        PacketFacts from_pinfo;
        const bool have_pinfo = glue::extract_facts_from_pinfo(pinfo, &from_pinfo);
        if (!glue::extract_facts(pinfo, tree, facts)) {
            if (!have_pinfo) return false;
            *facts = from_pinfo;
        }
        const bool keep = !have_pinfo || !same_packet(*facts, from_pinfo);
        if (const P2pObservation *p2p = glue::noted_p2p(pinfo)) facts->p2p = *p2p;
        const char *dns_name = glue::match_dns_names(tree, p2p_domains(), &facts->dns_response);
        facts->dns_p2p = dns_name != nullptr;
        learn_names(tree, *facts);
        *record = analyze_first_time(*facts, keep, dns_name, roles, have_roles);
        if (*record) p_add_proto_data(wmem_file_scope(), pinfo, proto_phonehome, 0, const_cast<FrameRecord *>(*record));
        return true;
    }
    *record = static_cast<const FrameRecord *>(p_get_proto_data(wmem_file_scope(), pinfo, proto_phonehome, 0));
    if (*record && (*record)->has_facts) {
        *facts = (*record)->facts;
        return true;
    }
    if (!glue::extract_facts_from_pinfo(pinfo, facts)) return false;
    if (const P2pObservation *p2p = glue::noted_p2p(pinfo)) facts->p2p = *p2p;
    return true;
}

bool roles_for(const PacketFacts &facts, Roles *out) noexcept {
    try {
        *out = assign_roles(facts, analyzer()->config().local_networks);
        return true;
    } catch (...) {
        return false;
    }
}

int dissect_phonehome(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *) {
    PacketFacts facts;
    const FrameRecord *record = nullptr;
    Roles roles;
    bool have_roles = false;
    if (!facts_for_frame(pinfo, tree, &facts, &record, &roles, &have_roles)) return 0;
    const FindingSet findings = record ? record->findings : 0;
    if (!have_roles && !roles_for(facts, &roles)) return 0;

    // The name is only needed for the tree and the reports.
    const bool tapped = have_tap_listener(tap_phonehome);
    const char *remote_name = tree || tapped ? remote_name_for(pinfo, roles, facts) : nullptr;
    if (tapped) {
        auto *rec = static_cast<glue::TapRecord *>(wmem_alloc(pinfo->pool, sizeof(glue::TapRecord)));
        new (rec) glue::TapRecord{facts, roles, findings, remote_name,
                                  record && has_finding(findings, Finding::Heartbeat) ? record->heartbeat.period_s : 0.0};
        tap_queue_packet(tap_phonehome, pinfo, rec);
    }

    if (!roles.phonehome && !findings) return 0;
    add_tree(tvb, pinfo, tree, facts, roles, findings ? record : nullptr, remote_name);
    if (findings) append_info(pinfo, findings);
    return tvb_captured_length(tvb);
}

void init_capture() { analyzer()->reset(); }

}  // namespace

namespace phonehome::glue {
int phonehome_tap_id() { return tap_phonehome; }
}  // namespace phonehome::glue

extern "C" void phonehome_register_protocol(void) {
    proto_phonehome = proto_register_protocol("IoT Phone-Home Analysis", "phonehome", "phonehome");
    glue::register_phonehome_fields(proto_phonehome);
    glue::register_phonehome_prefs(proto_phonehome);

    phonehome_handle = register_dissector("phonehome", dissect_phonehome, proto_phonehome);
    tap_phonehome = register_tap("phonehome");
    register_init_routine(init_capture);
    glue::p2p_notes_init(proto_phonehome);
    glue::register_reports();
    glue::kalay_register();
    glue::pppp_register();
}

extern "C" void phonehome_register_handoff(void) {
    glue::facts_init();
    register_postdissector(phonehome_handle);
    set_postdissector_wanted_hfids(phonehome_handle, glue::facts_wanted_hfids());
    glue::kalay_handoff();
    glue::pppp_handoff();
    apply_prefs();
}
