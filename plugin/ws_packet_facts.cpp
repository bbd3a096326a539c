#include "ws_packet_facts.hpp"

#include <cstring>

namespace phonehome::glue {

namespace {

int proto_ip = -1, proto_ipv6 = -1, proto_udp = -1, proto_tcp = -1, proto_icmp = -1, proto_icmpv6 = -1;
int hf_ip_src = -1, hf_ip_dst = -1, hf_ipv6_src = -1, hf_ipv6_dst = -1;
int hf_udp_srcport = -1, hf_udp_dstport = -1, hf_tcp_srcport = -1, hf_tcp_dstport = -1, hf_tcp_flags = -1;
int hf_dns_qry_name = -1, hf_dns_resp_name = -1, hf_dns_cname = -1, hf_dns_response = -1;
int hf_dns_a = -1, hf_dns_aaaa = -1, hf_tls_sni = -1, hf_udp_length = -1, hf_tcp_len = -1;
int hf_mqtt_msgtype = -1, hf_mqtt_kalive = -1;

// The occurrence of a field that belongs to the given instance of its
// protocol in this frame (1 = outermost), from the primed tree.
field_info *field_of_layer(proto_tree *tree, int hf, int layer_num) {
    if (!tree || hf < 0 || layer_num <= 0) return nullptr;
    GPtrArray *all = proto_get_finfo_ptr_array(tree, hf);
    if (!all) return nullptr;
    for (guint i = 0; i < all->len; ++i) {
        auto *fi = static_cast<field_info *>(g_ptr_array_index(all, i));
        if (fi->proto_layer_num == layer_num) return fi;
    }
    return nullptr;
}

// The first occurrence of a field in this frame's tree.
field_info *first_of(proto_tree *tree, int hf) {
    if (!tree || hf < 0) return nullptr;
    GPtrArray *all = proto_get_finfo_ptr_array(tree, hf);
    return all && all->len ? static_cast<field_info *>(g_ptr_array_index(all, 0)) : nullptr;
}

// Copies an address field's bytes out of its data source, bounds-checked
// first so no Wireshark exception can fire here.
bool copy_address(field_info *fi, size_t len, uint8_t *out) {
    if (!fi || !fi->ds_tvb || fi->length != int(len)) return false;
    if (!tvb_bytes_exist(fi->ds_tvb, fi->start, int(len))) return false;
    tvb_memcpy(fi->ds_tvb, out, fi->start, len);
    return true;
}

bool uint_field(proto_tree *tree, int hf, int layer_num, uint32_t *out) {
    field_info *fi = field_of_layer(tree, hf, layer_num);
    if (!fi) return false;
    *out = fvalue_get_uinteger(&fi->value);
    return true;
}

// Which IP header and transport header of this frame are the packet's own,
// as instance numbers of their protocols (1 = outermost).
struct LayerChoice {
    int network = -1;       // proto_ip or proto_ipv6; -1 when the frame has none
    int network_num = 0;    // instance of that protocol
    Transport transport = Transport::Other;
    int transport_num = 0;  // instance of udp or tcp
};

// Walks the frame's protocol layers in dissection order. Each IP header
// replaces the previous choice (a tunnel carries the real packet inside); the
// transport is the first UDP/TCP/ICMP layer above the chosen header. The walk
// stops at ICMP: what follows is the quoted header of an error, not traffic.
LayerChoice choose_layers(packet_info *pinfo) {
    LayerChoice c;
    if (!pinfo->layers) return c;
    int n_ip = 0, n_ipv6 = 0, n_udp = 0, n_tcp = 0;
    bool want_transport = false;
    for (wmem_list_frame_t *f = wmem_list_head(pinfo->layers); f; f = wmem_list_frame_next(f)) {
        const int id = GPOINTER_TO_INT(wmem_list_frame_data(f));
        if (id == proto_ip || id == proto_ipv6) {
            c.network = id;
            c.network_num = id == proto_ip ? ++n_ip : ++n_ipv6;
            c.transport = Transport::Other;
            c.transport_num = 0;
            want_transport = true;
        } else if (id == proto_udp || id == proto_tcp) {
            const int num = id == proto_udp ? ++n_udp : ++n_tcp;
            if (want_transport) {
                c.transport = id == proto_udp ? Transport::Udp : Transport::Tcp;
                c.transport_num = num;
                want_transport = false;
            }
        } else if (id == proto_icmp || id == proto_icmpv6) {
            if (want_transport) c.transport = Transport::Icmp;
            break;
        }
    }
    return c;
}

bool addresses_from_pinfo(packet_info *pinfo, PacketFacts *out) {
    const address &s = pinfo->net_src, &d = pinfo->net_dst;
    if (s.type == AT_IPv4 && d.type == AT_IPv4 && s.len == 4 && d.len == 4) {
        out->src = IpAddress::v4(static_cast<const uint8_t *>(s.data));
        out->dst = IpAddress::v4(static_cast<const uint8_t *>(d.data));
        return true;
    }
    if (s.type == AT_IPv6 && d.type == AT_IPv6 && s.len == 16 && d.len == 16) {
        out->src = IpAddress::v6(static_cast<const uint8_t *>(s.data));
        out->dst = IpAddress::v6(static_cast<const uint8_t *>(d.data));
        return true;
    }
    return false;
}

int64_t to_ns(const nstime_t &t) { return int64_t(t.secs) * 1000000000 + t.nsecs; }

}  // namespace

void facts_init() {
    proto_ip = proto_get_id_by_filter_name("ip");
    proto_ipv6 = proto_get_id_by_filter_name("ipv6");
    proto_udp = proto_get_id_by_filter_name("udp");
    proto_tcp = proto_get_id_by_filter_name("tcp");
    proto_icmp = proto_get_id_by_filter_name("icmp");
    proto_icmpv6 = proto_get_id_by_filter_name("icmpv6");
    hf_ip_src = proto_registrar_get_id_byname("ip.src");
    hf_ip_dst = proto_registrar_get_id_byname("ip.dst");
    hf_ipv6_src = proto_registrar_get_id_byname("ipv6.src");
    hf_ipv6_dst = proto_registrar_get_id_byname("ipv6.dst");
    hf_udp_srcport = proto_registrar_get_id_byname("udp.srcport");
    hf_udp_dstport = proto_registrar_get_id_byname("udp.dstport");
    hf_tcp_srcport = proto_registrar_get_id_byname("tcp.srcport");
    hf_tcp_dstport = proto_registrar_get_id_byname("tcp.dstport");
    hf_tcp_flags = proto_registrar_get_id_byname("tcp.flags");
    hf_dns_qry_name = proto_registrar_get_id_byname("dns.qry.name");
    hf_dns_resp_name = proto_registrar_get_id_byname("dns.resp.name");
    hf_dns_cname = proto_registrar_get_id_byname("dns.cname");
    hf_dns_response = proto_registrar_get_id_byname("dns.flags.response");
    hf_dns_a = proto_registrar_get_id_byname("dns.a");
    hf_dns_aaaa = proto_registrar_get_id_byname("dns.aaaa");
    hf_tls_sni = proto_registrar_get_id_byname("tls.handshake.extensions_server_name");
    hf_udp_length = proto_registrar_get_id_byname("udp.length");
    hf_tcp_len = proto_registrar_get_id_byname("tcp.len");
    hf_mqtt_msgtype = proto_registrar_get_id_byname("mqtt.msgtype");
    hf_mqtt_kalive = proto_registrar_get_id_byname("mqtt.kalive");
}

GArray *facts_wanted_hfids() {
    GArray *ids = g_array_new(FALSE, FALSE, sizeof(int));
    const int all[] = {hf_ip_src,       hf_ip_dst,       hf_ipv6_src,     hf_ipv6_dst,      hf_udp_srcport,
                       hf_udp_dstport,  hf_tcp_srcport,  hf_tcp_dstport,  hf_tcp_flags,     hf_dns_qry_name,
                       hf_dns_resp_name, hf_dns_cname,   hf_dns_response,  hf_dns_a,         hf_dns_aaaa,
                       hf_tls_sni,      hf_udp_length,   hf_tcp_len,      hf_mqtt_msgtype,  hf_mqtt_kalive};
    for (int id : all)
        if (id >= 0) g_array_append_val(ids, id);
    return ids;
}

namespace {

// What every path fills the same way: time, length, link-layer addresses.
void fill_frame_facts(packet_info *pinfo, PacketFacts *out) {
    out->frame_number = pinfo->num;
    out->time_ns = to_ns(pinfo->abs_ts);
    out->rel_time_ns = to_ns(pinfo->rel_ts);
    out->frame_len = pinfo->fd ? pinfo->fd->pkt_len : 0;
    if (pinfo->dl_src.type == AT_ETHER && pinfo->dl_src.len == 6) {
        out->has_src_mac = true;
        std::memcpy(out->src_mac.data(), pinfo->dl_src.data, 6);
    }
    if (pinfo->dl_dst.type == AT_ETHER && pinfo->dl_dst.len == 6)
        out->dst_link_group = (static_cast<const uint8_t *>(pinfo->dl_dst.data)[0] & 1) != 0;
}

}  // namespace

bool extract_facts(packet_info *pinfo, proto_tree *tree, PacketFacts *out) {
    const LayerChoice layers = choose_layers(pinfo);
    if (layers.network < 0 || !tree) return false;

    uint8_t src[16], dst[16];
    const bool v4 = layers.network == proto_ip;
    const size_t alen = v4 ? 4 : 16;
    if (!copy_address(field_of_layer(tree, v4 ? hf_ip_src : hf_ipv6_src, layers.network_num), alen, src) ||
        !copy_address(field_of_layer(tree, v4 ? hf_ip_dst : hf_ipv6_dst, layers.network_num), alen, dst))
        return false;
    out->src = v4 ? IpAddress::v4(src) : IpAddress::v6(src);
    out->dst = v4 ? IpAddress::v4(dst) : IpAddress::v6(dst);

    out->transport = layers.transport;
    uint32_t sport = 0, dport = 0, flags = 0;
    if (layers.transport == Transport::Udp) {
        if (uint_field(tree, hf_udp_srcport, layers.transport_num, &sport) &&
            uint_field(tree, hf_udp_dstport, layers.transport_num, &dport)) {
            out->src_port = uint16_t(sport);
            out->dst_port = uint16_t(dport);
            uint32_t udp_len = 0;
            if (uint_field(tree, hf_udp_length, layers.transport_num, &udp_len) && udp_len >= 8)
                out->payload_len = udp_len - 8;
        } else {
            out->transport = Transport::Other;  // a UDP header too short to read
        }
    } else if (layers.transport == Transport::Tcp) {
        if (uint_field(tree, hf_tcp_srcport, layers.transport_num, &sport) &&
            uint_field(tree, hf_tcp_dstport, layers.transport_num, &dport) &&
            uint_field(tree, hf_tcp_flags, layers.transport_num, &flags)) {
            out->src_port = uint16_t(sport);
            out->dst_port = uint16_t(dport);
            out->tcp_flags = uint16_t(flags);
            uint32_t seg_len = 0;
            if (uint_field(tree, hf_tcp_len, layers.transport_num, &seg_len)) out->payload_len = seg_len;
        } else {
            out->transport = Transport::Other;
        }
    }
    // MQTT as Wireshark decoded it (the first message of the segment).
    if (field_info *fi = first_of(tree, hf_mqtt_msgtype)) {
        out->has_mqtt_type = true;
        out->mqtt_type = uint8_t(fvalue_get_uinteger(&fi->value));
    }
    if (field_info *fi = first_of(tree, hf_mqtt_kalive)) {
        out->has_mqtt_keepalive = true;
        out->mqtt_keepalive_s = uint16_t(fvalue_get_uinteger(&fi->value));
    }
    fill_frame_facts(pinfo, out);
    return true;
}

size_t dns_answers(proto_tree *tree, LearntName *out, size_t max) {
    field_info *qname = first_of(tree, hf_dns_qry_name);
    if (!qname) return 0;
    const char *name = fvalue_get_string(&qname->value);
    if (!name || !*name) return 0;
    size_t n = 0;
    for (int hf : {hf_dns_a, hf_dns_aaaa}) {
        GPtrArray *all = hf >= 0 ? proto_get_finfo_ptr_array(tree, hf) : nullptr;
        if (!all) continue;
        const size_t len = hf == hf_dns_a ? 4 : 16;
        for (guint i = 0; i < all->len && n < max; ++i) {
            uint8_t bytes[16];
            if (!copy_address(static_cast<field_info *>(g_ptr_array_index(all, i)), len, bytes)) continue;
            out[n++] = {len == 4 ? IpAddress::v4(bytes) : IpAddress::v6(bytes), name};
        }
    }
    return n;
}

const char *tls_sni(proto_tree *tree) {
    field_info *fi = first_of(tree, hf_tls_sni);
    return fi ? fvalue_get_string(&fi->value) : nullptr;
}

const char *match_dns_names(proto_tree *tree, const P2pDomains &domains, bool *response) {
    if (!tree) return nullptr;
    const int name_fields[] = {hf_dns_qry_name, hf_dns_resp_name, hf_dns_cname};
    for (int hf : name_fields) {
        if (hf < 0) continue;
        GPtrArray *all = proto_get_finfo_ptr_array(tree, hf);
        if (!all) continue;
        for (guint i = 0; i < all->len; ++i) {
            auto *fi = static_cast<field_info *>(g_ptr_array_index(all, i));
            const char *name = fvalue_get_string(&fi->value);
            if (!name) continue;
            const char *hit = nullptr;
            try {
                hit = domains.match(name);
            } catch (...) {
            }
            if (!hit) continue;
            uint32_t is_response = 0;
            field_info *flag = hf_dns_response >= 0 ? field_of_layer(tree, hf_dns_response, fi->proto_layer_num) : nullptr;
            if (flag) is_response = fvalue_get_uinteger64(&flag->value) != 0;
            *response = is_response != 0;
            return name;
        }
    }
    return nullptr;
}

bool extract_facts_from_pinfo(packet_info *pinfo, PacketFacts *out) {
    const LayerChoice layers = choose_layers(pinfo);
    if (layers.network < 0 || !addresses_from_pinfo(pinfo, out)) return false;
    out->transport = layers.transport;
    const port_type want = layers.transport == Transport::Udp ? PT_UDP : PT_TCP;
    if (layers.transport == Transport::Udp || layers.transport == Transport::Tcp) {
        if (pinfo->ptype == want) {
            out->src_port = uint16_t(pinfo->srcport);
            out->dst_port = uint16_t(pinfo->destport);
        } else {
            out->transport = Transport::Other;
        }
    }
    fill_frame_facts(pinfo, out);
    return true;
}

}  // namespace phonehome::glue
