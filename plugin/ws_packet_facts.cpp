#include "ws_packet_facts.hpp"

#include <algorithm>
#include <cstring>
#include <utility>
#include <vector>

#include "heuristics/wire/ip_packet.hpp"
#include "ws_compat.hpp"

namespace phonehome::glue {

namespace {

// The two network protocols a LayerChoice names; every other protocol is
// known only through layer_of_proto (facts_init).
int proto_ip = -1, proto_ipv6 = -1;

// What pinfo alone says of the packet: what later dissections will see.
struct PinfoPacket {
    IpAddress src, dst;
    Transport transport = Transport::Other;
    uint16_t src_port = 0, dst_port = 0;
};

// What each protocol id means to choose_layers, looked up once per layer
// (every frame walks its layers: one load instead of a chain of compares).
// The application layers (Dns to P2p) come last, so that each is one bit of
// LayerChoice::apps.
enum class Layer : uint8_t { Other, Ip, Ipv6, Udp, Tcp, Icmp, Dns, Mdns, Llmnr, Dhcp, Nbns, Ssdp, Tls, Mqtt, Quic, P2p };
std::vector<Layer> layer_of_proto;

constexpr uint16_t app_bit(Layer layer) { return uint16_t(1u << (unsigned(layer) - unsigned(Layer::Dns))); }
static_assert(unsigned(Layer::P2p) - unsigned(Layer::Dns) < 16, "one bit per application layer");

// Which IP header and transport of this frame are the packet's own, and what
// Wireshark decoded above that transport.
struct LayerChoice {
    int network = -1;            // proto_ip or proto_ipv6; -1 when the frame has none
    Transport transport = Transport::Other;
    bool quoted_ip = false;      // an IP header follows the chosen one's ICMP (an error's quote)
    uint16_t apps = 0;           // app_bit of each application layer above the transport

    bool has(Layer app) const { return (apps & app_bit(app)) != 0; }
    // mDNS and LLMNR are DNS messages too.
    bool dns() const { return (apps & (app_bit(Layer::Dns) | app_bit(Layer::Mdns) | app_bit(Layer::Llmnr))) != 0; }
    // The kalay or pppp dissector claimed a payload above the transport.
    bool p2p() const { return has(Layer::P2p); }
};

Layer layer_of(int id) {
    return id >= 0 && size_t(id) < layer_of_proto.size() ? layer_of_proto[size_t(id)] : Layer::Other;
}

// Walks the frame's protocol layers in dissection order. Each IP header
// replaces the previous choice (a tunnel carries the real packet inside); the
// transport is the first UDP/TCP/ICMP layer above the chosen header. The walk
// stops at ICMP: what follows is the quoted header of an error, not traffic.
// A layer phonehome ignores (most of them) costs one compare, an application
// layer three and a bit.
LayerChoice choose_layers(packet_info *pinfo) {
    LayerChoice c;
    if (!pinfo->layers) return c;
    bool want_transport = false, above_transport = false, after_icmp = false;
    for (wmem_list_frame_t *f = wmem_list_head(pinfo->layers); f; f = wmem_list_frame_next(f)) {
        const Layer layer = layer_of(GPOINTER_TO_INT(wmem_list_frame_data(f)));
        if (layer == Layer::Other) continue;
        if (after_icmp) {
            if (layer == Layer::Ip || layer == Layer::Ipv6) {
                c.quoted_ip = true;
                break;
            }
            continue;
        }
        if (layer >= Layer::Dns) {
            if (above_transport) c.apps |= app_bit(layer);
            continue;
        }
        switch (layer) {
        case Layer::Ip:
        case Layer::Ipv6:
            c = LayerChoice{};
            c.network = layer == Layer::Ip ? proto_ip : proto_ipv6;
            want_transport = true;
            above_transport = false;
            break;
        case Layer::Udp:
        case Layer::Tcp:
            if (want_transport) {
                c.transport = layer == Layer::Udp ? Transport::Udp : Transport::Tcp;
                want_transport = false;
                above_transport = true;
            }
            break;
        default:  // Icmp
            if (want_transport) c.transport = Transport::Icmp;
            if (c.network >= 0) after_icmp = true;
            break;
        }
    }
    return c;
}

bool addresses_from_pinfo(packet_info *pinfo, IpAddress *src, IpAddress *dst) {
    const address &s = pinfo->net_src, &d = pinfo->net_dst;
    if (s.type == AT_IPv4 && d.type == AT_IPv4 && s.len == 4 && d.len == 4) {
        *src = IpAddress::v4(static_cast<const uint8_t *>(s.data));
        *dst = IpAddress::v4(static_cast<const uint8_t *>(d.data));
        return true;
    }
    if (s.type == AT_IPv6 && d.type == AT_IPv6 && s.len == 16 && d.len == 16) {
        *src = IpAddress::v6(static_cast<const uint8_t *>(s.data));
        *dst = IpAddress::v6(static_cast<const uint8_t *>(d.data));
        return true;
    }
    return false;
}

int64_t to_ns(const nstime_t &t) { return int64_t(t.secs) * 1000000000 + t.nsecs; }

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
    if (pinfo->dl_dst.type == AT_ETHER && pinfo->dl_dst.len == 6) {
        out->has_dst_mac = true;
        std::memcpy(out->dst_mac.data(), pinfo->dl_dst.data, 6);
        out->dst_link_group = (out->dst_mac[0] & 1) != 0;
    }
}

// The captured bytes of the data source (the frame, or a reassembled,
// decrypted or decompressed buffer) that holds `p`. The IPv4 dissector points
// pinfo->net_src into the bytes it dissected, so this finds the header
// Wireshark chose without parsing any link layer here.
bool data_source_holding(packet_info *pinfo, tvbuff_t *frame, const void *p, const uint8_t **base, size_t *len) {
    const uintptr_t want = reinterpret_cast<uintptr_t>(p);
    auto holds = [&](tvbuff_t *t) {
        const guint n = t ? tvb_captured_length(t) : 0;
        if (n == 0) return false;
        const guint8 *b = tvb_get_ptr(t, 0, gint(n));
        const uintptr_t start = reinterpret_cast<uintptr_t>(b);
        if (want < start || want >= start + n) return false;
        *base = b;
        *len = n;
        return true;
    };
    if (holds(frame)) return true;
    for (GSList *s = pinfo->data_src; s; s = s->next) {
        tvbuff_t *t = get_data_source_tvb(static_cast<const struct data_source *>(s->data));
        if (t != frame && holds(t)) return true;
    }
    return false;
}

// Where the IP header that set pinfo->net_src starts, in *base (*len bytes).
// IPv4: where net_src points, if the destination sits where the same header
// puts it (else something other than an IP header set net_src). IPv6 keeps
// copies of its addresses, so its header (and an IPv4 one not found by its
// pointer) is looked up in the frame by the two addresses.
bool locate_header(packet_info *pinfo, tvbuff_t *frame, const PinfoPacket *addresses, const uint8_t **base,
                   size_t *len, size_t *header_at) {
    const address &s = pinfo->net_src;
    if (s.type == AT_IPv4 && data_source_holding(pinfo, frame, s.data, base, len)) {
        const size_t src_at = size_t(static_cast<const uint8_t *>(s.data) - *base);
        if (src_at < 12) return false;
        *header_at = src_at - 12;
        return pinfo->net_dst.type == AT_IPv4 && pinfo->net_dst.data == *base + *header_at + 16;
    }
    if (!addresses) return false;
    const guint n = tvb_captured_length(frame);
    *base = n ? tvb_get_ptr(frame, 0, gint(n)) : nullptr;
    *len = n;
    return *base && wire::find_ip_header(*base, *len, addresses->src, addresses->dst, header_at);
}

}  // namespace

void facts_init() {
    const std::pair<const char *, Layer> known[] = {
        {"ip", Layer::Ip},       {"ipv6", Layer::Ipv6}, {"udp", Layer::Udp},   {"tcp", Layer::Tcp},
        {"icmp", Layer::Icmp},   {"icmpv6", Layer::Icmp}, {"dns", Layer::Dns}, {"mdns", Layer::Mdns},
        {"llmnr", Layer::Llmnr}, {"dhcp", Layer::Dhcp}, {"nbns", Layer::Nbns}, {"ssdp", Layer::Ssdp},
        {"tls", Layer::Tls},     {"mqtt", Layer::Mqtt}, {"quic", Layer::Quic}, {"kalay", Layer::P2p},
        {"pppp", Layer::P2p}};
    std::vector<std::pair<int, Layer>> ids;
    for (const auto &k : known) {
        ids.emplace_back(proto_get_id_by_filter_name(k.first), k.second);
        if (k.second == Layer::Ip) proto_ip = ids.back().first;
        if (k.second == Layer::Ipv6) proto_ipv6 = ids.back().first;
    }
    int top = -1;
    for (const auto &k : ids) top = std::max(top, k.first);
    layer_of_proto.assign(size_t(top + 1), Layer::Other);
    for (const auto &k : ids)
        if (k.first >= 0) layer_of_proto[size_t(k.first)] = k.second;
}

namespace {

bool pinfo_packet(packet_info *pinfo, const LayerChoice &layers, PinfoPacket *out) {
    if (layers.network < 0 || !addresses_from_pinfo(pinfo, &out->src, &out->dst)) return false;
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
    return true;
}

void apply(const PinfoPacket &p, PacketFacts *out) {
    out->src = p.src;
    out->dst = p.dst;
    out->transport = p.transport;
    out->src_port = p.src_port;
    out->dst_port = p.dst_port;
}

bool same_packet(const PacketFacts &a, const PinfoPacket &b) {
    return a.src == b.src && a.dst == b.dst && a.transport == b.transport && a.src_port == b.src_port &&
           a.dst_port == b.dst_port;
}

bool facts_from_pinfo(packet_info *pinfo, const LayerChoice &layers, PacketFacts *out) {
    PinfoPacket p;
    if (!pinfo_packet(pinfo, layers, &p)) return false;
    apply(p, out);
    fill_frame_facts(pinfo, out);
    return true;
}

// The packet's facts from its own headers, as extract_facts() says.
bool facts_from_headers(packet_info *pinfo, tvbuff_t *tvb, const LayerChoice &layers, const PinfoPacket *from_pinfo,
                        PacketFacts *out, AppPayload *app);

}  // namespace

bool extract_facts(packet_info *pinfo, tvbuff_t *tvb, PacketFacts *out, AppPayload *app, bool *keep) {
    const LayerChoice layers = choose_layers(pinfo);
    app->p2p = layers.p2p();
    PinfoPacket from_pinfo;
    const bool have_pinfo = pinfo_packet(pinfo, layers, &from_pinfo);
    if (facts_from_headers(pinfo, tvb, layers, have_pinfo ? &from_pinfo : nullptr, out, app)) {
        *keep = !have_pinfo || !same_packet(*out, from_pinfo);
    } else {
        if (!have_pinfo) return false;
        // Headers that cannot be read: pinfo's word, as later dissections will have it.
        *out = PacketFacts{};
        apply(from_pinfo, out);
        *keep = false;
    }
    fill_frame_facts(pinfo, out);
    return true;
}

namespace {

bool facts_from_headers(packet_info *pinfo, tvbuff_t *tvb, const LayerChoice &layers, const PinfoPacket *from_pinfo,
                        PacketFacts *out, AppPayload *app) {
    if (layers.network < 0) return false;
    const bool v6 = layers.network == proto_ipv6;
    // pinfo->net_src is the last IP header dissected: the chosen one, or the
    // quote inside the chosen packet's ICMP error.
    const address &s = pinfo->net_src;
    if ((s.type != AT_IPv4 && s.type != AT_IPv6) || !s.data) return false;
    const uint8_t *base = nullptr;
    size_t len = 0, header_at = 0;
    if (!locate_header(pinfo, tvb, from_pinfo, &base, &len, &header_at)) return false;
    if (layers.quoted_ip && !wire::find_icmp_error_outer_header(base, len, header_at, v6, &header_at)) return false;

    wire::IpHeader ip;
    if (!wire::parse_ip_header(base + header_at, len - header_at, &ip) || ip.src.is_v4() == v6) return false;
    out->src = ip.src;
    out->dst = ip.dst;
    out->transport = layers.transport;

    if (layers.transport == Transport::Udp || layers.transport == Transport::Tcp) {
        const bool tcp = layers.transport == Transport::Tcp;
        const size_t at = header_at + ip.header_len;
        wire::TransportHeader th;
        const bool here = ip.protocol == (tcp ? wire::kIpProtoTcp : wire::kIpProtoUdp) && ip.first_fragment &&
                          at <= len &&
                          (tcp ? wire::parse_tcp_header(base + at, len - at, ip.upper_len, &th)
                               : wire::parse_udp_header(base + at, len - at, &th));
        if (here) {
            out->src_port = th.src_port;
            out->dst_port = th.dst_port;
            out->tcp_flags = th.tcp_flags;
            out->has_tcp_seq = tcp;
            out->tcp_seq = th.tcp_seq;
            out->payload_len = th.payload_len;
            const size_t payload_at = at + th.header_len;
            if (payload_at <= len && !ip.fragment) {
                app->data = base + payload_at;
                app->len = std::min(len - payload_at, size_t(th.payload_len));
            }
        } else if (!layers.quoted_ip && pinfo->ptype == (tcp ? PT_TCP : PT_UDP)) {
            // Reassembled from IP fragments: the transport header is in the
            // reassembled buffer, and Wireshark's ports are this packet's.
            out->src_port = uint16_t(pinfo->srcport);
            out->dst_port = uint16_t(pinfo->destport);
        } else {
            out->transport = Transport::Other;  // a transport header too short to read
        }
    }
    app->dns = layers.dns();
    app->dns_over_tcp = app->dns && layers.transport == Transport::Tcp;
    app->tls = layers.has(Layer::Tls);
    app->mqtt = layers.has(Layer::Mqtt);
    app->dhcp = layers.has(Layer::Dhcp);
    app->mdns = layers.has(Layer::Mdns);
    app->llmnr = layers.has(Layer::Llmnr);
    app->nbns = layers.has(Layer::Nbns);
    app->ssdp = layers.has(Layer::Ssdp);
    if (layers.has(Layer::Quic)) {
        // Wireshark decrypts Initial packets with keys derived from the
        // connection ID; the frames it decrypted hold the ClientHello.
        tvbuff_t *q = ws_compat::data_source_tvb(pinfo, "Decrypted QUIC");
        const guint n = q ? tvb_captured_length(q) : 0;
        if (n) {
            app->quic_frames = tvb_get_ptr(q, 0, gint(n));
            app->quic_len = n;
        }
    }
    return true;
}

}  // namespace

bool extract_facts_from_pinfo(packet_info *pinfo, PacketFacts *out) {
    return facts_from_pinfo(pinfo, choose_layers(pinfo), out);
}

}  // namespace phonehome::glue
