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

#include "reports.hpp"
#include "heuristics/analyzer.hpp"
#include "heuristics/p2p/p2p_domains.hpp"
#include "p2p_dissectors.hpp"
#include "analysis_state.hpp"
#include "list_uat.hpp"
#include "p2p_notes.hpp"
#include "phonehome_shim.h"
#include "tap_record.hpp"
#include "ws.hpp"
#include "ws_packet_facts.hpp"

using namespace phonehome;

namespace {

int proto_phonehome = -1;
int hf_device = -1, hf_remote = -1, hf_direction = -1, hf_device_port = -1, hf_remote_port = -1;
int hf_transport = -1, hf_pattern = -1;
int hf_pinhole_gap = -1, hf_pinhole_open_for = -1, hf_pinhole_datagrams = -1;
gint ett_phonehome = -1;
int hf_p2p_platform = -1, hf_p2p_message = -1, hf_p2p_uid = -1, hf_dns_name = -1;
int hf_remote_name = -1, hf_hb_period = -1, hf_hb_jitter = -1, hf_hb_count = -1, hf_hb_keepalive = -1;
int hf_dead_attempt = -1, hf_dead_since = -1, hf_allowed = -1;
expert_field ei_sink = EI_INIT, ei_pinhole = EI_INIT, ei_p2p = EI_INIT, ei_p2p_lan = EI_INIT, ei_p2p_dns = EI_INIT;
expert_field ei_heartbeat = EI_INIT, ei_dead_cloud = EI_INIT;
// The same findings at Note severity, for remotes on the user's allowlist:
// reviewed and accepted, so downgraded, not hidden (same filter names).
expert_field ei_allowed[kFindingCount] = {EI_INIT, EI_INIT, EI_INIT, EI_INIT, EI_INIT, EI_INIT, EI_INIT};
int tap_phonehome = -1;
dissector_handle_t phonehome_handle;

// Preferences.
const char *pref_local_networks = "";
range_t *pref_sink_ports = nullptr;
guint pref_pinhole_silence_s = 20;
const char *pref_p2p_domains = "";
const char *pref_allowlist = "";
guint pref_hb_min_period_s = 1, pref_hb_max_period_s = 3600, pref_hb_intervals = 3;
glue::ListUat *uat_local_networks = nullptr, *uat_allowlist = nullptr, *uat_p2p_domains = nullptr;

NetworkList &allowlist() {
    static NetworkList list;
    return list;
}

// The expert field for a finding: its own at Warning, or the Note twin when
// the remote is on the allowlist.
expert_field *ei_for(Finding f, expert_field *warn, bool allowed) {
    return allowed ? &ei_allowed[size_t(f)] : warn;
}

bool allowed_remote(const Roles &r) noexcept {
    return r.phonehome && allowlist().contains(r.remote);
}

P2pDomains &p2p_domains() {
    static P2pDomains domains;
    return domains;
}

// The core's state for the capture being read. Reset with each new file and
// each preference change (Wireshark then dissects every frame again from the
// first, unvisited).
Analyzer *analyzer() {
    static Analyzer instance;
    return &instance;
}

// What the first, in-order pass decided for a frame, kept for every later
// dissection of it: the findings, and the packet's facts where pinfo alone
// would tell a different story later (an ICMP error quoting another packet).
// Frames with neither keep nothing.
struct FrameRecord {
    FindingSet findings;
    PinholeTracker::Outbound pinhole;
    HeartbeatTracker::Result heartbeat;
    uint16_t mqtt_keepalive_s;
    DeadCloudTracker::Syn syn;
    bool has_facts;
    PacketFacts facts;
    const char *dns_name;  // the P2P-domain name a DNS packet carries (file memory)
};
static_assert(std::is_trivially_destructible_v<FrameRecord>, "lives in wmem memory");

bool same_packet(const PacketFacts &a, const PacketFacts &b) {
    return a.src == b.src && a.dst == b.dst && a.transport == b.transport && a.src_port == b.src_port &&
           a.dst_port == b.dst_port;
}

// Runs the core on a frame seen for the first time, in capture order.
const FrameRecord *analyze_first_time(const PacketFacts &facts, bool keep_facts, const char *dns_name) noexcept {
    try {
        const Verdict v = analyzer()->analyze(facts);
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

// The packet's facts and the stored record of a frame; false when it is not
// an IP packet.
bool facts_for_frame(packet_info *pinfo, proto_tree *tree, PacketFacts *facts, const FrameRecord **record) {
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
        *record = analyze_first_time(*facts, keep, dns_name);
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

// "192.168.1.20:51506" or "[2001:db8::20]:51506".
void format_endpoint(const IpAddress &a, uint16_t port, bool with_port, char *buf, size_t size) {
    char addr[IpAddress::kMaxText];
    a.format(addr, sizeof addr);
    if (!with_port)
        g_snprintf(buf, gulong(size), "%s", addr);
    else if (a.is_v4())
        g_snprintf(buf, gulong(size), "%s:%u", addr, port);
    else
        g_snprintf(buf, gulong(size), "[%s]:%u", addr, port);
}

void add_sink_item(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb, const PacketFacts &p, const Roles &r,
                   bool allowed) {
    proto_item *pi = proto_tree_add_string(tree, hf_pattern, tvb, 0, 0, "sink");
    proto_item_set_generated(pi);
    char dev[64], rem[64];
    format_endpoint(r.device, r.device_port, true, dev, sizeof dev);
    format_endpoint(r.remote, 0, false, rem, sizeof rem);
    const char *what = p.transport == Transport::Udp ? "UDP datagram" : "TCP SYN";
    expert_add_info_format(pinfo, pi, ei_for(Finding::Sink, &ei_sink, allowed),
                           "%s from %s to port %u of %s, a globally routable address: no real service listens "
                           "on port %u, so the packet can only serve to keep a NAT mapping or a channel to that "
                           "host open",
                           what, dev, p.dst_port, rem, p.dst_port);
}

void add_pinhole_item(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb, const Roles &r,
                      const PinholeTracker::Outbound &ph, bool allowed) {
    proto_item *pi = proto_tree_add_string(tree, hf_pattern, tvb, 0, 0, "pinhole");
    proto_item_set_generated(pi);
    proto_tree *sub = proto_item_add_subtree(pi, ett_phonehome);
    proto_item *g = proto_tree_add_double(sub, hf_pinhole_gap, tvb, 0, 0, double(ph.gap_ns) / 1e9);
    proto_item_set_generated(g);
    g = proto_tree_add_double(sub, hf_pinhole_open_for, tvb, 0, 0, double(ph.since_open_ns) / 1e9);
    proto_item_set_generated(g);
    g = proto_tree_add_uint64(sub, hf_pinhole_datagrams, tvb, 0, 0, ph.datagrams);
    proto_item_set_generated(g);

    char dev[64], rem[64];
    format_endpoint(r.device, r.device_port, true, dev, sizeof dev);
    format_endpoint(r.remote, r.remote_port, true, rem, sizeof rem);
    if (ph.after_silence)
        expert_add_info_format(pinfo, pi, ei_for(Finding::Pinhole, &ei_pinhole, allowed),
                               "UDP %s -> %s sent again after %.1f s of silence, and nothing has ever come back on "
                               "this 4-tuple: resending it keeps (or re-creates) a NAT mapping through which %s "
                               "can reach the device (one-way for %.1f s so far)",
                               dev, rem, double(ph.gap_ns) / 1e9, rem, double(ph.since_open_ns) / 1e9);
    else
        expert_add_info_format(pinfo, pi, ei_for(Finding::Pinhole, &ei_pinhole, allowed),
                               "UDP %s -> %s still one-way: no reply ever, NAT pinhole held open for %.1f s so far "
                               "(%.1f s since the previous datagram)",
                               dev, rem, double(ph.since_open_ns) / 1e9, double(ph.gap_ns) / 1e9);
}

void add_p2p_item(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb, const PacketFacts &p, const Roles &r,
                  bool lan, bool allowed) {
    proto_item *pi = proto_tree_add_string(tree, hf_pattern, tvb, 0, 0, lan ? "p2p_lan" : "p2p");
    proto_item_set_generated(pi);
    char src[IpAddress::kMaxText], dst[IpAddress::kMaxText], rem[IpAddress::kMaxText];
    p.src.format(src, sizeof src);
    p.dst.format(dst, sizeof dst);
    r.remote.format(rem, sizeof rem);
    const char *role = p.p2p.role == P2pRole::Server ? "server" : "peer";
    if (lan)
        expert_add_info_format(pinfo, pi, &ei_p2p_lan,
                               "%s P2P message \"%s\" from %s to %s stays on the local network (LAN discovery or a "
                               "direct LAN session)%s%s",
                               p2p_platform_title(p.p2p.platform), p.p2p.name, src, dst,
                               p.p2p.has_uid() ? ", UID " : "", p.p2p.has_uid() ? p.p2p.uid : "");
    else
        expert_add_info_format(pinfo, pi, ei_for(Finding::P2p, &ei_p2p, allowed),
                               "%s P2P message \"%s\" exchanged with Internet %s %s%s%s: the device keeps a "
                               "channel through which the platform and its users can reach into the network",
                               p2p_platform_title(p.p2p.platform), p.p2p.name, role, rem,
                               p.p2p.has_uid() ? ", UID " : "", p.p2p.has_uid() ? p.p2p.uid : "");
}

void add_p2p_dns_item(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb, const FrameRecord *record) {
    proto_item *pi = proto_tree_add_string(tree, hf_pattern, tvb, 0, 0, "p2p_dns");
    proto_item_set_generated(pi);
    const char *name = record->dns_name ? record->dns_name : "?";
    proto_item_set_generated(proto_tree_add_string(proto_item_add_subtree(pi, ett_phonehome), hf_dns_name, tvb, 0, 0, name));
    const char *domain = p2p_domains().match(name);
    expert_add_info_format(pinfo, pi, &ei_p2p_dns,
                           "DNS %s for %s, a name of the %s P2P platform: the device is about to log in to the "
                           "platform's servers",
                           record->facts.dns_response ? "response" : "query", name, domain ? domain : "listed");
}

void add_heartbeat_item(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb, const Roles &r,
                        const FrameRecord *record, bool allowed) {
    proto_item *pi = proto_tree_add_string(tree, hf_pattern, tvb, 0, 0, "heartbeat");
    proto_item_set_generated(pi);
    proto_tree *sub = proto_item_add_subtree(pi, ett_phonehome);
    const HeartbeatTracker::Result &hb = record->heartbeat;
    proto_item_set_generated(proto_tree_add_double(sub, hf_hb_period, tvb, 0, 0, hb.period_s));
    proto_item_set_generated(proto_tree_add_double(sub, hf_hb_jitter, tvb, 0, 0, hb.jitter_s));
    proto_item_set_generated(proto_tree_add_uint(sub, hf_hb_count, tvb, 0, 0, hb.count));
    if (record->mqtt_keepalive_s)
        proto_item_set_generated(proto_tree_add_uint(sub, hf_hb_keepalive, tvb, 0, 0, record->mqtt_keepalive_s));
    char rem[64];
    format_endpoint(r.remote, r.remote_port, true, rem, sizeof rem);
    expert_add_info_format(pinfo, pi, ei_for(Finding::Heartbeat, &ei_heartbeat, allowed),
                           "Heartbeat %s %s every %.1f s (jitter %.1f s), beat %u: a periodic keepalive that holds "
                           "the channel open so the remote can reach the device at any time",
                           r.outbound ? "to" : "from", rem, hb.period_s, hb.jitter_s, hb.count);
}

void add_dead_cloud_item(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb, const Roles &r, const FrameRecord *record,
                         const char *remote_name, bool allowed) {
    proto_item *pi = proto_tree_add_string(tree, hf_pattern, tvb, 0, 0, "dead_cloud");
    proto_item_set_generated(pi);
    proto_tree *sub = proto_item_add_subtree(pi, ett_phonehome);
    proto_item_set_generated(proto_tree_add_uint(sub, hf_dead_attempt, tvb, 0, 0, record->syn.attempt));
    proto_item_set_generated(proto_tree_add_double(sub, hf_dead_since, tvb, 0, 0, double(record->syn.since_first_ns) / 1e9));
    char rem[64];
    format_endpoint(r.remote, r.remote_port, true, rem, sizeof rem);
    expert_add_info_format(pinfo, pi, ei_for(Finding::DeadCloud, &ei_dead_cloud, allowed),
                           "TCP SYN %u to %s%s%s%s, never answered for %.1f s: the device keeps retrying a cloud "
                           "service that is gone or blocked",
                           record->syn.attempt, rem, remote_name ? " (" : "", remote_name ? remote_name : "",
                           remote_name ? ")" : "", double(record->syn.since_first_ns) / 1e9);
}

void add_tree(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const PacketFacts &p, const Roles &r,
              const FrameRecord *result, const char *remote_name) {
    proto_item *ti = proto_tree_add_item(tree, proto_phonehome, tvb, 0, 0, ENC_NA);
    proto_tree *ph = proto_item_add_subtree(ti, ett_phonehome);
    char dev[IpAddress::kMaxText], rem[IpAddress::kMaxText];
    // Device and remote only on packets between a local device and an
    // Internet remote; LAN-only findings (p2p_lan, p2p_dns to the LAN
    // resolver) stand without them.
    if (r.phonehome) {
        r.device.format(dev, sizeof dev);
        proto_item_append_text(ti, ", device %s", dev);
        proto_item_set_generated(proto_tree_add_string(ph, hf_device, tvb, 0, 0, dev));
        r.remote.format(rem, sizeof rem);
        proto_item_append_text(ti, ", remote %s", rem);
        proto_item_set_generated(proto_tree_add_string(ph, hf_remote, tvb, 0, 0, rem));
        if (remote_name) {
            proto_item_append_text(ti, " (%s)", remote_name);
            proto_item_set_generated(proto_tree_add_string(ph, hf_remote_name, tvb, 0, 0, remote_name));
        }
        proto_item_set_generated(proto_tree_add_string(ph, hf_direction, tvb, 0, 0, r.outbound ? "outbound" : "inbound"));
    }
    proto_item_set_generated(proto_tree_add_string(ph, hf_transport, tvb, 0, 0, transport_name(p.transport)));
    if (r.phonehome && (p.transport == Transport::Udp || p.transport == Transport::Tcp)) {
        proto_item_set_generated(proto_tree_add_uint(ph, hf_device_port, tvb, 0, 0, r.device_port));
        proto_item_set_generated(proto_tree_add_uint(ph, hf_remote_port, tvb, 0, 0, r.remote_port));
    }
    if (p.p2p.present()) {
        proto_item_set_generated(proto_tree_add_string(ph, hf_p2p_platform, tvb, 0, 0, p2p_platform_name(p.p2p.platform)));
        proto_item_set_generated(proto_tree_add_string(ph, hf_p2p_message, tvb, 0, 0, p.p2p.name));
        if (p.p2p.has_uid()) proto_item_set_generated(proto_tree_add_string(ph, hf_p2p_uid, tvb, 0, 0, p.p2p.uid));
    }
    if (!result) return;
    const FindingSet f = result->findings;
    const bool allowed = allowed_remote(r);
    if (allowed) proto_item_set_generated(proto_tree_add_boolean(ph, hf_allowed, tvb, 0, 0, TRUE));
    if (has_finding(f, Finding::Sink)) add_sink_item(ph, pinfo, tvb, p, r, allowed);
    if (has_finding(f, Finding::Pinhole)) add_pinhole_item(ph, pinfo, tvb, r, result->pinhole, allowed);
    if (has_finding(f, Finding::P2p)) add_p2p_item(ph, pinfo, tvb, p, r, false, allowed);
    if (has_finding(f, Finding::P2pLan)) add_p2p_item(ph, pinfo, tvb, p, r, true, allowed);
    if (has_finding(f, Finding::P2pDns)) add_p2p_dns_item(ph, pinfo, tvb, result);
    if (has_finding(f, Finding::Heartbeat)) add_heartbeat_item(ph, pinfo, tvb, r, result, allowed);
    if (has_finding(f, Finding::DeadCloud)) add_dead_cloud_item(ph, pinfo, tvb, r, result, remote_name, allowed);
}

void append_info(packet_info *pinfo, FindingSet findings) {
    const char *sep = " [phonehome: ";
    for (const FindingInfo &f : kFindings) {
        if (!has_finding(findings, f.finding)) continue;
        col_append_str(pinfo->cinfo, COL_INFO, sep);
        col_append_str(pinfo->cinfo, COL_INFO, f.name);
        sep = ", ";
    }
    col_append_str(pinfo->cinfo, COL_INFO, "]");
}

int dissect_phonehome(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *) {
    PacketFacts facts;
    const FrameRecord *record = nullptr;
    if (!facts_for_frame(pinfo, tree, &facts, &record)) return 0;
    const FindingSet findings = record ? record->findings : 0;

    Roles roles;
    if (!roles_for(facts, &roles)) return 0;

    const char *remote_name = remote_name_for(pinfo, roles, facts);
    if (have_tap_listener(tap_phonehome)) {
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

// A string preference and its table, as one comma-separated list.
std::string joined_list(const char *pref, const glue::ListUat *uat) {
    std::string out = pref ? pref : "";
    const std::string rows = glue::list_uat_values(uat);
    if (!rows.empty()) out += (out.empty() ? "" : ",") + rows;
    return out;
}

AnalyzerConfig config_from_prefs() {
    AnalyzerConfig c;
    std::string bad;
    if (!c.local_networks.set(joined_list(pref_local_networks, uat_local_networks), &bad))
        ws_warning("phonehome: ignoring the local networks preference, \"%s\" is not an address or CIDR block",
                   bad.c_str());
    if (!allowlist().set(joined_list(pref_allowlist, uat_allowlist), &bad))
        ws_warning("phonehome: ignoring the allowlist preference, \"%s\" is not an address or CIDR block",
                   bad.c_str());
    c.heartbeat.min_period_ns = int64_t(pref_hb_min_period_s) * 1000000000;
    c.heartbeat.max_period_ns = int64_t(pref_hb_max_period_s) * 1000000000;
    c.heartbeat.min_intervals = pref_hb_intervals;
    if (pref_sink_ports) {
        c.sink_ports.clear();
        for (guint i = 0; i < pref_sink_ports->nranges; ++i)
            c.sink_ports.add_range(uint16_t(pref_sink_ports->ranges[i].low), uint16_t(pref_sink_ports->ranges[i].high));
    }
    c.pinhole_silence_ns = int64_t(pref_pinhole_silence_s) * 1000000000;
    p2p_domains().set_extra(joined_list(pref_p2p_domains, uat_p2p_domains));
    return c;
}

void apply_prefs() {
    try {
        analyzer()->set_config(config_from_prefs());
        analyzer()->reset();
    } catch (...) {
    }
}

void init_capture() { analyzer()->reset(); }

}  // namespace

namespace phonehome::glue {
int phonehome_tap_id() { return tap_phonehome; }

std::string eviction_note() {
    try {
        return analyzer()->eviction_note();
    } catch (...) {
        return {};
    }
}
}  // namespace phonehome::glue

extern "C" void phonehome_register_protocol(void) {
    static hf_register_info hf[] = {
        {&hf_device, {"Device", "phonehome.device", FT_STRING, BASE_NONE, nullptr, 0x0,
                      "The local device of this packet (private or special-purpose address, or a listed local network)", HFILL}},
        {&hf_remote, {"Remote", "phonehome.remote", FT_STRING, BASE_NONE, nullptr, 0x0,
                      "The globally routable address the device exchanges this packet with", HFILL}},
        {&hf_direction, {"Direction", "phonehome.direction", FT_STRING, BASE_NONE, nullptr, 0x0,
                         "outbound (device to remote) or inbound (remote to device)", HFILL}},
        {&hf_transport, {"Transport", "phonehome.transport", FT_STRING, BASE_NONE, nullptr, 0x0,
                         "udp, tcp, icmp or ip", HFILL}},
        {&hf_device_port, {"Device port", "phonehome.device_port", FT_UINT16, BASE_DEC, nullptr, 0x0, nullptr, HFILL}},
        {&hf_remote_port, {"Remote port", "phonehome.remote_port", FT_UINT16, BASE_DEC, nullptr, 0x0, nullptr, HFILL}},
        {&hf_pattern, {"Pattern", "phonehome.pattern", FT_STRING, BASE_NONE, nullptr, 0x0,
                       "Short name of a finding on this packet (one item per finding)", HFILL}},
        {&hf_pinhole_gap, {"Silence before this datagram", "phonehome.pinhole.gap", FT_DOUBLE, BASE_NONE, nullptr, 0x0,
                           "Seconds since the previous datagram the device sent on this 4-tuple", HFILL}},
        {&hf_pinhole_open_for, {"Pinhole held open for", "phonehome.pinhole.open_for", FT_DOUBLE, BASE_NONE, nullptr,
                                0x0, "Seconds since the datagram that ended the silence", HFILL}},
        {&hf_pinhole_datagrams, {"Datagrams on this 4-tuple", "phonehome.pinhole.datagrams", FT_UINT64, BASE_DEC,
                                 nullptr, 0x0, "Outbound datagrams of the 4-tuple so far, this one included", HFILL}},
        {&hf_p2p_platform, {"P2P platform", "phonehome.p2p.platform", FT_STRING, BASE_NONE, nullptr, 0x0,
                            "kalay or pppp, when the Kalay or PPPP dissector claimed the packet", HFILL}},
        {&hf_p2p_message, {"P2P message", "phonehome.p2p.message", FT_STRING, BASE_NONE, nullptr, 0x0, nullptr, HFILL}},
        {&hf_p2p_uid, {"P2P UID", "phonehome.p2p.uid", FT_STRING, BASE_NONE, nullptr, 0x0,
                       "The device UID the P2P message carries", HFILL}},
        {&hf_dns_name, {"P2P platform name", "phonehome.p2p_dns.name", FT_STRING, BASE_NONE, nullptr, 0x0,
                        "The DNS name under a P2P platform domain", HFILL}},
        {&hf_remote_name, {"Remote name", "phonehome.remote_name", FT_STRING, BASE_NONE, nullptr, 0x0,
                           "The name the capture resolved for the remote before this packet: the name a device "
                           "looked up in DNS, else the TLS SNI", HFILL}},
        {&hf_hb_period, {"Period (s)", "phonehome.heartbeat.period", FT_DOUBLE, BASE_NONE, nullptr, 0x0,
                         "Estimated period of the heartbeat series", HFILL}},
        {&hf_hb_jitter, {"Jitter (s)", "phonehome.heartbeat.jitter", FT_DOUBLE, BASE_NONE, nullptr, 0x0,
                         "Median absolute deviation of the intervals", HFILL}},
        {&hf_hb_count, {"Beats", "phonehome.heartbeat.count", FT_UINT32, BASE_DEC, nullptr, 0x0,
                        "Beats of the series so far, this one included", HFILL}},
        {&hf_hb_keepalive, {"MQTT keep-alive (s)", "phonehome.heartbeat.keepalive", FT_UINT16, BASE_DEC, nullptr, 0x0,
                            "The keep-alive the flow's MQTT CONNECT announced", HFILL}},
        {&hf_dead_attempt, {"Unanswered attempt", "phonehome.dead_cloud.attempt", FT_UINT32, BASE_DEC, nullptr, 0x0,
                            "Unanswered SYNs to this remote address and port so far, this one included", HFILL}},
        {&hf_dead_since, {"Retrying for (s)", "phonehome.dead_cloud.since", FT_DOUBLE, BASE_NONE, nullptr, 0x0,
                          "Seconds since the first unanswered SYN", HFILL}},
        {&hf_allowed, {"Remote on the allowlist", "phonehome.allowed", FT_BOOLEAN, BASE_NONE, nullptr, 0x0,
                       "The user reviewed and accepted this remote: its findings are Notes, not Warnings", HFILL}},
    };
    static gint *ett[] = {&ett_phonehome};
    static ei_register_info ei[] = {
        {&ei_sink, {"phonehome.sink", PI_SECURITY, PI_WARN,
                    "UDP datagram or TCP SYN to port 0 or 1 of a globally routable address", EXPFILL}},
        {&ei_pinhole, {"phonehome.pinhole", PI_SECURITY, PI_WARN,
                       "One-way UDP 4-tuple resent after a silence: keeps a NAT pinhole open", EXPFILL}},
        {&ei_p2p, {"phonehome.p2p", PI_SECURITY, PI_WARN,
                   "Kalay or PPPP P2P message exchanged with a globally routable remote", EXPFILL}},
        {&ei_p2p_lan, {"phonehome.p2p_lan", PI_SECURITY, PI_NOTE,
                       "Kalay or PPPP P2P message that stays on the local network", EXPFILL}},
        {&ei_p2p_dns, {"phonehome.p2p_dns", PI_SECURITY, PI_WARN, "DNS query or response for a P2P platform domain",
                       EXPFILL}},
        {&ei_heartbeat, {"phonehome.heartbeat", PI_SECURITY, PI_WARN,
                         "Beat of a periodic keepalive series inside a flow", EXPFILL}},
        {&ei_dead_cloud, {"phonehome.dead_cloud", PI_SECURITY, PI_WARN,
                          "Third or later unanswered TCP SYN to an Internet service", EXPFILL}},
    };

    // The Note twins share the findings' names, so `-Y phonehome.sink` still
    // selects an allowlisted remote's sinks.
    static const char *twin_names[kFindingCount] = {"phonehome.sink",     "phonehome.pinhole",  "phonehome.p2p",
                                                    "phonehome.p2p_lan",  "phonehome.p2p_dns",  "phonehome.heartbeat",
                                                    "phonehome.dead_cloud"};
    static ei_register_info twins[kFindingCount];
    for (size_t i = 0; i < kFindingCount; ++i)
        twins[i] = {&ei_allowed[i], {twin_names[i], PI_SECURITY, PI_NOTE,
                                     "A finding on a remote the user has reviewed and accepts (allowlist)", EXPFILL}};

    proto_phonehome = proto_register_protocol("IoT Phone-Home Analysis", "phonehome", "phonehome");
    proto_register_field_array(proto_phonehome, hf, G_N_ELEMENTS(hf));
    proto_register_subtree_array(ett, G_N_ELEMENTS(ett));
    expert_module_t *expert = expert_register_protocol(proto_phonehome);
    expert_register_field_array(expert, ei, G_N_ELEMENTS(ei));
    expert_register_field_array(expert, twins, G_N_ELEMENTS(twins));

    module_t *prefs = prefs_register_protocol(proto_phonehome, apply_prefs);
    prefs_register_string_preference(prefs, "local_networks", "Extra local networks",
                                     "Networks whose addresses are local devices in addition to the private and "
                                     "special-purpose ranges, as addresses or CIDR blocks separated by commas, e.g. "
                                     "the global IPv6 /64 of the home LAN: 2001:db8:1:2::/64",
                                     &pref_local_networks);
    range_convert_str(wmem_epan_scope(), &pref_sink_ports, "0-1", 65535);
    prefs_register_range_preference(prefs, "sink_ports", "Sink ports",
                                    "UDP/TCP destination ports where no real service listens; a datagram or SYN "
                                    "from a local device to one of them on an Internet address is a sink",
                                    &pref_sink_ports, 65535);
    prefs_register_uint_preference(prefs, "pinhole_silence", "Pinhole silence (seconds)",
                                   "A one-way UDP 4-tuple resent after at least this many seconds of silence is "
                                   "a NAT pinhole",
                                   10, &pref_pinhole_silence_s);
    prefs_register_string_preference(prefs, "p2p_domains", "Extra P2P platform domains",
                                     "DNS domains of P2P platforms in addition to the built-in ones (iotcplatform.com, "
                                     "kalayservice.com, kalay.net.cn), separated by commas; a name equal to or under "
                                     "one of them is a P2P platform name",
                                     &pref_p2p_domains);
    prefs_register_string_preference(prefs, "allowlist", "Allowlist",
                                     "Remotes you have reviewed and accept, as addresses or CIDR blocks separated by "
                                     "commas: their findings are shown as Notes instead of Warnings (not hidden)",
                                     &pref_allowlist);
    prefs_register_uint_preference(prefs, "heartbeat_min_period", "Heartbeat minimum period (seconds)",
                                   "Intervals shorter than this never form a heartbeat series (streams, bulk "
                                   "transfers)",
                                   10, &pref_hb_min_period_s);
    prefs_register_uint_preference(prefs, "heartbeat_max_period", "Heartbeat maximum period (seconds)",
                                   "Intervals longer than this never form a heartbeat series", 10,
                                   &pref_hb_max_period_s);
    prefs_register_uint_preference(prefs, "heartbeat_intervals", "Heartbeat intervals to establish",
                                   "How many consistent intervals establish a heartbeat series (2 to 16)", 10,
                                   &pref_hb_intervals);
    uat_local_networks = glue::register_list_uat(prefs, "phonehome_local_networks", "Local networks (table)",
                                                 "Extra local networks, one address or CIDR block per row",
                                                 "Network", glue::check_network, apply_prefs);
    uat_allowlist = glue::register_list_uat(prefs, "phonehome_allowlist", "Allowlist (table)",
                                            "Reviewed remotes, one address or CIDR block per row", "Remote",
                                            glue::check_network, apply_prefs);
    uat_p2p_domains = glue::register_list_uat(prefs, "phonehome_p2p_domains", "P2P platform domains (table)",
                                              "Extra P2P platform domains, one per row", "Domain", glue::check_domain,
                                              apply_prefs);

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
