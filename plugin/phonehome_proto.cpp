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
#include "expert_gate.hpp"
#include "p2p_dissectors.hpp"
#include "p2p_notes.hpp"
#include "phonehome_fields.hpp"
#include "phonehome_prefs.hpp"
#include "phonehome_shim.h"
#include "identity_learning.hpp"
#include "phonehome_tree.hpp"
#include "remote_geo.hpp"
#include "reports.hpp"
#include "tap_record.hpp"
#include "ws.hpp"
#include "ws_packet_facts.hpp"
#include "heuristics/wire/dns_message.hpp"
#include "heuristics/wire/mqtt_header.hpp"
#include "heuristics/wire/quic_initial.hpp"
#include "heuristics/wire/tls_client_hello.hpp"

using namespace phonehome;
using namespace phonehome::glue;

namespace {

int tap_phonehome = -1;
dissector_handle_t phonehome_handle;
// The protocol's short name: registered with it, and what the dissector
// names as pinfo->current_proto (its handle's protocol is a helper's).
constexpr char kShortName[] = "phonehome";

// Runs the core on a frame seen for the first time, in capture order; the
// verdict's roles go to `roles` (so they are not classified twice), the
// frame's record to `record` (kept for later dissections when worth it).
void analyze_first_time(const PacketFacts &facts, bool keep_facts, const char *dns_name, uint32_t frame,
                        FrameRecord *record, Roles *roles, bool *have_roles) noexcept {
    try {
        const Verdict v = analyzer()->analyze(facts);
        *roles = v.roles;
        *have_roles = true;
        record->findings = v.findings;
        record->pinhole = v.pinhole;
        record->heartbeat = FrameRecord::Beat{v.heartbeat.period_s, v.heartbeat.jitter_s, v.heartbeat.count,
                                              v.mqtt_keepalive_s};
        record->syn = v.syn;
        record->dead_cloud_answered = v.dead_cloud_answered;
        // A p2p_dns finding needs the DNS direction on later passes too.
        if (keep_facts || has_finding(v.findings, Finding::P2pDns)) record->facts = &facts;
        record->dns_name = dns_name;
        if (record->worth_keeping()) frame_verdicts().add(frame, *record);
    } catch (...) {
        // out of memory: no verdict rather than a crash
        *record = FrameRecord{};
    }
}

// A DNS response teaches every address it answers with the name the querier
// (its destination) asked for, and the CNAMEs and owner names on the way.
void learn_dns_answer(const wire::DnsMessage &dns, const PacketFacts &facts) {
    Analyzer &a = *analyzer();
    for (const IpAddress &addr : dns.addresses) {
        a.learn_name(addr, dns.query_name, NameSource::Dns, facts.dst, facts.frame_number);
        for (const std::string &alias : dns.names)
            if (alias != dns.query_name) a.learn_name(addr, alias, NameSource::DnsAlias, facts.dst, facts.frame_number);
    }
}

// Reads what the frame's DNS, TLS or MQTT payload says (first pass, in
// order; QUIC Initials too): MQTT's message type and keep-alive go into the facts; DNS answers
// and a ClientHello's SNI teach the analyzer names; a DNS name under a P2P
// platform domain is returned (in packet memory) for the p2p_dns finding.
const char *read_app_payload(packet_info *pinfo, const glue::AppPayload &app, PacketFacts *facts) noexcept {
    const char *p2p_name = nullptr;
    try {
        if (app.quic_frames) {
            std::string sni;
            if (wire::quic_initial_sni(app.quic_frames, app.quic_len, &sni))
                analyzer()->learn_name(facts->dst, sni, NameSource::Sni, facts->src, facts->frame_number);
        }
        if (!app.data || app.len == 0) return nullptr;
        if (app.mqtt) {
            wire::MqttHeader m;
            if (wire::parse_mqtt_header(app.data, app.len, &m)) {
                facts->has_mqtt_type = true;
                facts->mqtt_type = m.type;
                facts->has_mqtt_keepalive = m.has_keepalive;
                facts->mqtt_keepalive_s = m.keepalive_s;
            }
        }
        if (app.tls) {
            std::string sni;
            if (wire::tls_client_hello_sni(app.data, app.len, &sni) && !sni.empty())
                analyzer()->learn_name(facts->dst, sni, NameSource::Sni, facts->src, facts->frame_number);
        }
        if (app.dns) {
            const size_t skip = app.dns_over_tcp ? 2 : 0;
            wire::DnsMessage dns;
            if (app.len > skip && wire::parse_dns_message(app.data + skip, app.len - skip, &dns)) {
                if (dns.response && !dns.query_name.empty()) learn_dns_answer(dns, *facts);
                for (const std::string &name : dns.names) {
                    if (!p2p_domains().match(name.c_str())) continue;
                    facts->dns_p2p = true;
                    facts->dns_response = dns.response;
                    p2p_name = wmem_strdup(pinfo->pool, name.c_str());
                    break;
                }
            }
        }
    } catch (...) {
        // out of memory: the frame teaches nothing
    }
    return p2p_name;
}

// The name the capture resolved for the remote, copied into packet memory.
const char *remote_name_for(packet_info *pinfo, const Roles &roles, const PacketFacts &facts) noexcept {
    if (!roles.phonehome) return nullptr;
    try {
        const std::string *name = analyzer()->remote_name(roles.remote, facts.frame_number);
        return name ? wmem_strdup(pinfo->pool, name->c_str()) : nullptr;
    } catch (...) {
        return nullptr;
    }
}

// The packet's facts and the record of a frame (empty without a verdict),
// and on the first pass its roles (`*have_roles`); false when it is not an IP
// packet.
bool facts_for_frame(tvbuff_t *tvb, packet_info *pinfo, PacketFacts *facts, FrameRecord *record, Roles *roles,
                     bool *have_roles) {
    if (!PINFO_FD_VISITED(pinfo)) {
        glue::AppPayload app;
        bool keep = false;
        if (!glue::extract_facts(pinfo, tvb, facts, &app, &keep)) return false;
        if (app.p2p)
            if (const P2pObservation *p2p = glue::noted_p2p(pinfo)) facts->p2p = *p2p;
        const char *dns_name = read_app_payload(pinfo, app, facts);
        analyze_first_time(*facts, keep, dns_name, pinfo->num, record, roles, have_roles);
        glue::learn_identity(app, *facts, *have_roles && roles->src_class == AddressClass::Local);
        return true;
    }
    if (frame_verdicts().find(pinfo->num, record) && record->facts) {
        *facts = *record->facts;
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
    // What Wireshark sets for a dissector of a protocol of its own, and what
    // the expert infos' Protocol column and a malformed-packet note name (the
    // handle's protocol is a helper, see phonehome_register_protocol).
    pinfo->current_proto = kShortName;
    PacketFacts facts;
    FrameRecord record;
    Roles roles;
    bool have_roles = false;
    if (!facts_for_frame(tvb, pinfo, &facts, &record, &roles, &have_roles)) return 0;
    const FindingSet findings = record.findings;
    if (!have_roles && !roles_for(facts, &roles)) return 0;

    // Every device/remote packet gets its (hidden) device, remote and name
    // fields where there is a tree: a visible tree without priming is also how
    // tshark -T fields works, so whether anyone asked for them cannot be told
    // here (add_tree says which fields need a reference to phonehome).
    const bool in_tree = tree != nullptr;
    const bool tapped = have_tap_listener(tap_phonehome);
    // The name is only needed for the tree and the reports.
    const char *remote_name = in_tree || tapped ? remote_name_for(pinfo, roles, facts) : nullptr;
    if (tapped) {
        auto *rec = static_cast<glue::TapRecord *>(wmem_alloc(pinfo->pool, sizeof(glue::TapRecord)));
        new (rec) glue::TapRecord{facts, roles, findings, remote_name,
                                  has_finding(findings, Finding::Heartbeat) ? record.heartbeat.period_s : 0.0,
                                  record.dead_cloud_answered};
        // The record is about the frame itself. An ICMP error whose quoted
        // packet threw (a truncated quote) leaves pinfo marked as inside an
        // error packet, and Wireshark would then hide the record from every
        // listener; the frame's own taps (ip, ipv6) were queued before.
        const bool in_error_pkt = pinfo->flags.in_error_pkt;
        pinfo->flags.in_error_pkt = false;
        tap_queue_packet(tap_phonehome, pinfo, rec);
        pinfo->flags.in_error_pkt = in_error_pkt;
    }

    if (!roles.phonehome && !findings) return 0;
    // Without a tree (tshark's packet list) only findings leave a trace: their
    // expert infos (where anything can see them: expert_gate.cpp) and the
    // Info column.
    if (in_tree || findings) add_tree(tvb, pinfo, tree, facts, roles, findings ? &record : nullptr, remote_name);
    if (findings) append_info(pinfo, findings);
    return tvb_captured_length(tvb);
}

void init_capture() {
    analyzer()->reset();
    frame_verdicts().clear();
    glue::remote_geo_init();
    glue::expert_gate_reset();
}

// The verdicts live as long as the file: freed with it, not at the next one.
void cleanup_capture() { frame_verdicts().clear(); }

}  // namespace

namespace phonehome::glue {
int phonehome_tap_id() { return tap_phonehome; }
}  // namespace phonehome::glue

extern "C" void phonehome_register_protocol(void) {
    proto_phonehome = proto_register_protocol("IoT Phone-Home Analysis", kShortName, "phonehome");
    glue::register_phonehome_fields(proto_phonehome);
    glue::register_phonehome_prefs(proto_phonehome);

    // The postdissector's handle belongs to a helper protocol of phonehome
    // ("protocol in name only"), enabled and disabled with it. Wireshark adds
    // a handle's own protocol as a layer of the packet before each call and
    // removes it again when the dissector declines (a list node, a map
    // lookup, an allocation and a map insert on every frame: ~300
    // instructions), and skips that for a helper's. The layer would say
    // nothing: phonehome's items are in the tree whatever the handle.
    const int proto_postdissector =
        proto_register_protocol_in_name_only("IoT Phone-Home Analysis postdissector", "phonehome_postdissector",
                                             "phonehome.postdissector", proto_phonehome, FT_PROTOCOL);
    phonehome_handle = register_dissector("phonehome", dissect_phonehome, proto_postdissector);
    tap_phonehome = register_tap("phonehome");
    register_init_routine(init_capture);
    register_cleanup_routine(cleanup_capture);
    glue::p2p_notes_init(proto_phonehome);
    glue::register_reports();
    glue::kalay_register();
    glue::pppp_register();
}

extern "C" void phonehome_register_handoff(void) {
    glue::facts_init();
    register_postdissector(phonehome_handle);
    glue::kalay_handoff();
    glue::pppp_handoff();
    apply_prefs();
}
