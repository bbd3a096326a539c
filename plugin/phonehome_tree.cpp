// Wireshark calls here may longjmp: nothing below keeps a C++ object with a
// destructor alive across them (fixed buffers, no std::string).
#include "phonehome_tree.hpp"

#include <cmath>
#include <cstring>

#include "analysis_state.hpp"
#include "expert_gate.hpp"
#include "heuristics/common/label_text.hpp"
#include "phonehome_fields.hpp"
#include "remote_geo.hpp"
#include "ws_compat.hpp"

namespace phonehome::glue {

namespace {

// Whether a display filter, custom column or colouring rule refers to the
// phonehome protocol or one of its fields: priming a field marks it and its
// protocol as referenced (and it stays so).
bool phonehome_referenced() {
    return proto_registrar_get_nth(guint(proto_phonehome))->ref_type != HF_REF_TYPE_NONE;
}

bool allowed_remote(const Roles &r) noexcept {
    return r.phonehome && allowlist().contains(r.remote);
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

// A field the tree shows, or keeps hidden on ordinary packets: every packet
// between a device and the Internet carries the fields (for filters, custom
// columns and -T fields), but only packets with a finding show them; on the
// others the whole phonehome item is hidden, so printing every packet's tree
// (tshark -V, the details pane) stays as it was without the plugin and the
// flagged packets stand out.
void shown(proto_item *pi, bool visible) {
    proto_item_set_generated(pi);
    if (!visible) proto_item_set_hidden(pi);
}

// An address field: the IPv4 one of the pair, or the IPv6 one.
proto_item *add_address(proto_tree *tree, int hf_v4, int hf_v6, tvbuff_t *tvb, const IpAddress &a) {
    if (a.is_v4()) {
        ws_in4_addr v4;  // network byte order, as Wireshark keeps IPv4 addresses
        std::memcpy(&v4, a.bytes.data(), sizeof v4);
        return proto_tree_add_ipv4(tree, hf_v4, tvb, 0, 0, v4);
    }
    ws_in6_addr v6;
    std::memcpy(v6.bytes, a.bytes.data(), sizeof v6.bytes);
    return proto_tree_add_ipv6(tree, hf_v6, tvb, 0, 0, &v6);
}

void add_string_if(proto_tree *tree, int hf, tvbuff_t *tvb, const char *value, bool visible) {
    if (value && *value) shown(proto_tree_add_string(tree, hf, tvb, 0, 0, value), visible);
}

// Who the device is (what it announced before this frame, its MAC's vendor)
// and where the remote is (country and AS owner, where MaxMind databases are
// configured).
void add_identity(proto_tree *ph, tvbuff_t *tvb, const PacketFacts &p, const Roles &r, bool visible) {
    // The device is the MAC that last sent from its address (its own frames
    // say so); the frame's own link-layer address where it never sent yet.
    const DeviceDirectory &dir = analyzer()->devices();
    const MacAddress *owner = dir.mac_of(r.device, p.frame_number);
    const DeviceDirectory::Labels labels = dir.labels(owner, r.device, p.frame_number);
    const bool has_mac = r.outbound ? p.has_src_mac : p.has_dst_mac;
    const MacAddress *mac = owner ? owner : has_mac ? (r.outbound ? &p.src_mac : &p.dst_mac) : nullptr;
    if (labels.name) add_string_if(ph, hf_device_name, tvb, labels.name->c_str(), visible);
    if (mac) add_string_if(ph, hf_device_vendor, tvb, ws_compat::manuf_name(mac->data()), visible);
    if (labels.vendor_class) add_string_if(ph, hf_device_vendor_class, tvb, labels.vendor_class->c_str(), visible);
    if (labels.ssdp_server) add_string_if(ph, hf_device_ssdp_server, tvb, labels.ssdp_server->c_str(), visible);
    RemoteGeo geo;
    if (remote_geo(r.remote, &geo)) {
        add_string_if(ph, hf_remote_country, tvb, geo.country, visible);
        if (geo.asn) shown(proto_tree_add_uint(ph, hf_remote_asn, tvb, 0, 0, geo.asn), visible);
        add_string_if(ph, hf_remote_as_org, tvb, geo.as_org, visible);
    }
}

// Each finding is a "Pattern" item with the finding's expert info (one fixed
// summary per kind) and, below it, the fields that carry this packet's
// numbers; the item's own text says them in words for the details pane.

// Whether the tree keeps labels (tshark -V, -T pdml, the details pane): a
// packet-list pass has no tree, and a filter's tree is not visible, so
// neither needs a label's words formatted.
bool labels_shown(proto_tree *tree) { return tree && PTREE_DATA(tree)->visible; }

// The Pattern item of one finding, its label ("Pattern: heartbeat (beat 3,
// ...)") given whole in one call: `text` starts with `kind`, or is empty
// where labels_shown is false and no label is made.
proto_item *add_pattern(proto_tree *tree, tvbuff_t *tvb, const char *kind, const LabelText &text) {
    proto_item *pi = proto_tree_add_string_format_value(tree, hf_pattern, tvb, 0, 0, kind, "%s", text.c_str());
    proto_item_set_generated(pi);
    return pi;
}

void add_sink_item(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb, const PacketFacts &p, const Roles &r,
                   bool allowed) {
    LabelText text;
    if (labels_shown(tree)) {
        char rem[64];
        format_endpoint(r.remote, p.dst_port, true, rem, sizeof rem);
        text.put("sink (").put(p.transport == Transport::Udp ? "UDP" : "TCP SYN").put(" to ").put(rem).put(")");
    }
    proto_item *pi = add_pattern(tree, tvb, "sink", text);
    add_expert(pinfo, pi, ei_for(Finding::Sink, &ei_sink, allowed));
}

void add_pinhole_item(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb, const PinholeTracker::Outbound &ph,
                      bool allowed) {
    LabelText text;
    if (labels_shown(tree))
        text.put("pinhole (")
            .put(ph.after_silence ? "sent again after " : "still one-way, ")
            .put_tenths(double(ph.gap_ns) / 1e9)
            .put(" s of silence; one-way for ")
            .put_tenths(double(ph.since_open_ns) / 1e9)
            .put(" s)");
    proto_item *pi = add_pattern(tree, tvb, "pinhole", text);
    proto_tree *sub = proto_item_add_subtree(pi, ett_phonehome);
    proto_item_set_generated(proto_tree_add_double(sub, hf_pinhole_gap, tvb, 0, 0, double(ph.gap_ns) / 1e9));
    proto_item_set_generated(proto_tree_add_double(sub, hf_pinhole_open_for, tvb, 0, 0, double(ph.since_open_ns) / 1e9));
    proto_item_set_generated(proto_tree_add_uint64(sub, hf_pinhole_datagrams, tvb, 0, 0, ph.datagrams));
    add_expert(pinfo, pi, ei_for(Finding::Pinhole, &ei_pinhole, allowed));
}

void add_p2p_item(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb, const PacketFacts &p, bool lan,
                  bool allowed) {
    const char *kind = lan ? "p2p_lan" : "p2p";
    LabelText text;
    if (labels_shown(tree)) {
        text.put(kind).put(" (").put(p2p_platform_title(p.p2p.platform)).put(" \"").put(p.p2p.name).put("\"");
        if (p.p2p.has_uid()) text.put(", UID ").put(p.p2p.uid);
        text.put(")");
    }
    proto_item *pi = add_pattern(tree, tvb, kind, text);
    add_expert(pinfo, pi, lan ? &ei_p2p_lan : ei_for(Finding::P2p, &ei_p2p, allowed));
}

void add_p2p_dns_item(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb, const FrameRecord *record) {
    proto_item *pi = proto_tree_add_string(tree, hf_pattern, tvb, 0, 0, "p2p_dns");
    proto_item_set_generated(pi);
    const char *name = record->dns_name ? record->dns_name : "?";
    proto_item_append_text(pi, " (%s for %s)", record->facts && record->facts->dns_response ? "response" : "query",
                           name);
    proto_item_set_generated(proto_tree_add_string(proto_item_add_subtree(pi, ett_phonehome), hf_dns_name, tvb, 0, 0, name));
    add_expert(pinfo, pi, &ei_p2p_dns);
}

// Seconds to the millisecond: the estimate is no finer, and Wireshark 4.6
// prints a double in full (29.69833333333333) where 4.0 cut it at 15 digits,
// so the columns and -T fields show the same value on every series.
double to_ms(double seconds) { return std::round(seconds * 1000.0) / 1000.0; }

void add_heartbeat_item(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb, const FrameRecord *record,
                        bool allowed) {
    const FrameRecord::Beat &hb = record->heartbeat;
    LabelText text;
    if (labels_shown(tree))
        text.put("heartbeat (beat ")
            .put(uint64_t(hb.count))
            .put(", every ")
            .put_tenths(hb.period_s)
            .put(" s, jitter ")
            .put_tenths(hb.jitter_s)
            .put(" s)");
    proto_item *pi = add_pattern(tree, tvb, "heartbeat", text);
    proto_tree *sub = proto_item_add_subtree(pi, ett_phonehome);
    proto_item_set_generated(proto_tree_add_double(sub, hf_hb_period, tvb, 0, 0, to_ms(hb.period_s)));
    proto_item_set_generated(proto_tree_add_double(sub, hf_hb_jitter, tvb, 0, 0, to_ms(hb.jitter_s)));
    proto_item_set_generated(proto_tree_add_uint(sub, hf_hb_count, tvb, 0, 0, hb.count));
    if (hb.mqtt_keepalive_s)
        proto_item_set_generated(proto_tree_add_uint(sub, hf_hb_keepalive, tvb, 0, 0, hb.mqtt_keepalive_s));
    add_expert(pinfo, pi, ei_for(Finding::Heartbeat, &ei_heartbeat, allowed));
}

void add_dead_cloud_item(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb, const FrameRecord *record,
                         bool allowed) {
    LabelText text;
    if (labels_shown(tree))
        text.put("dead_cloud (SYN ")
            .put(uint64_t(record->syn.attempt))
            .put(", unanswered for ")
            .put_tenths(double(record->syn.since_first_ns) / 1e9)
            .put(" s)");
    proto_item *pi = add_pattern(tree, tvb, "dead_cloud", text);
    proto_tree *sub = proto_item_add_subtree(pi, ett_phonehome);
    proto_item_set_generated(proto_tree_add_uint(sub, hf_dead_attempt, tvb, 0, 0, record->syn.attempt));
    proto_item_set_generated(proto_tree_add_double(sub, hf_dead_since, tvb, 0, 0, double(record->syn.since_first_ns) / 1e9));
    add_expert(pinfo, pi, ei_for(Finding::DeadCloud, &ei_dead_cloud, allowed));
}

}  // namespace

void add_tree(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const PacketFacts &p, const Roles &r,
              const FrameRecord *result, const char *remote_name) {
    proto_item *ti = proto_tree_add_item(tree, proto_phonehome, tvb, 0, 0, ENC_NA);
    proto_tree *ph = proto_item_add_subtree(ti, ett_phonehome);
    const bool full = result && result->findings;
    if (!full) proto_item_set_hidden(ti);
    // A packet without a finding carries the fields the foundation promises
    // on every device/remote packet (device, remote, and the remote's name)
    // always; direction, transport and ports, only when a filter, column or
    // colouring rule refers to phonehome (tshark 4.0 primes its -Y and column
    // fields, not its -e ones). Each string field costs a malloc and a free in
    // 4.0, and the four cost ~1.5 % of tshark -V (bench/README.md).
    const bool details = full || phonehome_referenced();
    // Device and remote only on packets between a local device and an
    // Internet remote; LAN-only findings (p2p_lan, p2p_dns to the LAN
    // resolver) stand without them. Without a tree (tshark's packet list: a
    // fifth of a busy IoT capture is flagged keepalives) no field can show,
    // so no address is formatted and no name, label or owner looked up; only
    // the findings' expert infos below (the Expert column) remain.
    if (tree && r.phonehome) {
        const char *direction = r.outbound ? "outbound" : "inbound";
        // The protocol line, where it shows (a hidden item's text is never
        // seen, so the addresses of the packets without a finding, most of
        // them, are not formatted).
        if (full && labels_shown(tree)) {
            char dev[IpAddress::kMaxText], rem[IpAddress::kMaxText];
            r.device.format(dev, sizeof dev);
            r.remote.format(rem, sizeof rem);
            // The protocol's own label (its name) and what this packet adds,
            // set whole; cut at the label length as an appended text is.
            LabelText text;
            text.put(proto_get_protocol_name(proto_phonehome)).put(", device ").put(dev).put(", remote ").put(rem);
            if (remote_name) text.put(" (").put(remote_name).put(")");
            text.put(", ").put(direction);
            proto_item_set_text(ti, "%s", text.c_str());
        }
        shown(add_address(ph, hf_device, hf_device6, tvb, r.device), full);
        shown(add_address(ph, hf_remote, hf_remote6, tvb, r.remote), full);
        if (remote_name) shown(proto_tree_add_string(ph, hf_remote_name, tvb, 0, 0, remote_name), full);
        if (details) {
            shown(proto_tree_add_string(ph, hf_direction, tvb, 0, 0, direction), full);
            add_identity(ph, tvb, p, r, full);
        }
    }
    if (tree && details) shown(proto_tree_add_string(ph, hf_transport, tvb, 0, 0, transport_name(p.transport)), full);
    if (tree && details && r.phonehome && (p.transport == Transport::Udp || p.transport == Transport::Tcp)) {
        shown(proto_tree_add_uint(ph, hf_device_port, tvb, 0, 0, r.device_port), full);
        shown(proto_tree_add_uint(ph, hf_remote_port, tvb, 0, 0, r.remote_port), full);
    }
    if (tree && p.p2p.present()) {
        proto_item_set_generated(proto_tree_add_string(ph, hf_p2p_platform, tvb, 0, 0, p2p_platform_name(p.p2p.platform)));
        proto_item_set_generated(proto_tree_add_string(ph, hf_p2p_message, tvb, 0, 0, p.p2p.name));
        if (p.p2p.has_uid()) proto_item_set_generated(proto_tree_add_string(ph, hf_p2p_uid, tvb, 0, 0, p.p2p.uid));
    }
    if (!result) return;
    const FindingSet f = result->findings;
    const bool allowed = allowed_remote(r);
    if (allowed) proto_item_set_generated(proto_tree_add_boolean(ph, hf_allowed, tvb, 0, 0, TRUE));
    if (has_finding(f, Finding::Sink)) add_sink_item(ph, pinfo, tvb, p, r, allowed);
    if (has_finding(f, Finding::Pinhole)) add_pinhole_item(ph, pinfo, tvb, result->pinhole, allowed);
    if (has_finding(f, Finding::P2p)) add_p2p_item(ph, pinfo, tvb, p, false, allowed);
    if (has_finding(f, Finding::P2pLan)) add_p2p_item(ph, pinfo, tvb, p, true, allowed);
    if (has_finding(f, Finding::P2pDns)) add_p2p_dns_item(ph, pinfo, tvb, result);
    if (has_finding(f, Finding::Heartbeat)) add_heartbeat_item(ph, pinfo, tvb, result, allowed);
    if (has_finding(f, Finding::DeadCloud)) add_dead_cloud_item(ph, pinfo, tvb, result, allowed);
}

void append_info(packet_info *pinfo, FindingSet findings) {
    // One append per packet: each col_append_str looks the column up again.
    LabelText text;
    const char *sep = " [phonehome: ";
    for (const FindingInfo &f : kFindings) {
        if (!has_finding(findings, f.finding)) continue;
        text.put(sep).put(f.name);
        sep = ", ";
    }
    text.put("]");
    col_append_str(pinfo->cinfo, COL_INFO, text.c_str());
}

}  // namespace phonehome::glue
