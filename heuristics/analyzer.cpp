#include "heuristics/analyzer.hpp"

#include <optional>
#include <utility>

namespace phonehome {

Roles assign_roles(const PacketFacts &p, const LocalNetworks &local) {
    Roles r;
    r.src_class = classify(p.src, local);
    r.dst_class = classify(p.dst, local);
    if (r.src_class == AddressClass::Local && r.dst_class == AddressClass::Global) {
        r.phonehome = true;
        r.outbound = true;
        r.device = p.src;
        r.remote = p.dst;
        r.device_port = p.src_port;
        r.remote_port = p.dst_port;
    } else if (r.src_class == AddressClass::Global && r.dst_class == AddressClass::Local) {
        r.phonehome = true;
        r.outbound = false;
        r.device = p.dst;
        r.remote = p.src;
        r.device_port = p.dst_port;
        r.remote_port = p.src_port;
    }
    return r;
}

bool is_sink(const PacketFacts &p, const Roles &roles, const PortSet &sink_ports) {
    if (!roles.phonehome || !roles.outbound) return false;
    if (!sink_ports.contains(p.dst_port)) return false;
    if (p.transport == Transport::Udp) return true;
    if (p.transport == Transport::Tcp)
        return (p.tcp_flags & tcp_flag::kSyn) != 0 && (p.tcp_flags & tcp_flag::kAck) == 0;
    return false;
}

bool finding_device(const PacketFacts &p, const Roles &roles, IpAddress *device) {
    if (roles.phonehome) {
        *device = roles.device;
        return true;
    }
    const bool src_local = roles.src_class == AddressClass::Local;
    const bool dst_local = roles.dst_class == AddressClass::Local && !p.dst_link_group;
    // The DNS client: the source of a query, the destination of a response.
    const bool prefer_dst = p.dns_p2p && p.dns_response;
    if (prefer_dst && dst_local) {
        *device = p.dst;
        return true;
    }
    if (src_local) {
        *device = p.src;
        return true;
    }
    if (dst_local) {
        *device = p.dst;
        return true;
    }
    return false;
}

bool heartbeat_candidate(const PacketFacts &p, const Roles &roles) {
    if (!roles.phonehome) return false;
    if (p.transport != Transport::Udp && p.transport != Transport::Tcp) return false;
    if (p.payload_len == 0) return false;  // pure TCP ACKs and empty datagrams
    for (uint16_t service : {uint16_t(53), uint16_t(123), uint16_t(5353)})
        if (roles.remote_port == service || roles.device_port == service) return false;
    return true;
}

Analyzer::Analyzer(AnalyzerConfig config)
    : config_(std::move(config)), pinholes_(config_.pinhole_silence_ns), heartbeats_(config_.heartbeat) {}

void Analyzer::reset() {
    pinholes_.clear();
    heartbeats_.clear();
    dead_clouds_.clear();
    names_.clear();
    devices_.clear();
    keepalives_.clear();
}

void Analyzer::set_config(AnalyzerConfig config) {
    config_ = std::move(config);
    pinholes_.set_silence(config_.pinhole_silence_ns);
    heartbeats_ = HeartbeatTracker(config_.heartbeat);
}

std::string Analyzer::eviction_note() const {
    const std::pair<const char *, uint64_t> tables[] = {
        {"UDP 4-tuples (pinhole)", pinholes_.evicted()},
        {"heartbeat series", heartbeats_.evicted()},
        {"TCP services (dead cloud)", dead_clouds_.evicted()},
    };
    std::string out;
    for (const auto &[what, n] : tables)
        if (n) out += (out.empty() ? "" : ", ") + std::to_string(n) + " " + what;
    if (!out.empty()) out = "State bounded: forgot " + out + " (the least recently active) to stay within the caps.\n";
    // Names are never forgotten (every pass must find what the first one
    // did); past the bound new ones are not learnt.
    if (names_.dropped())
        out += "Name history full: " + std::to_string(names_.dropped()) + " names the capture resolved were not learnt.\n";
    if (devices_.dropped())
        out += "Device directory full: " + std::to_string(devices_.dropped()) +
               " announcements of devices were not learnt.\n";
    return out;
}

void Analyzer::track_heartbeat(const PacketFacts &p, const Roles &r, const FlowKey &flow, FlowHash hash, Verdict &v) {
    if (p.has_mqtt_keepalive && r.outbound) {
        if (keepalives_.size() >= kMaxKeepalives) keepalives_.forget_all();
        keepalives_.emplace(flow, 0, hash.value).first->second = p.mqtt_keepalive_s;
    }
    const Direction dir = r.outbound ? Direction::Outbound : Direction::Inbound;
    const bool tcp = p.transport == Transport::Tcp;
    // A SYN starts a connection: its sequence numbers are new.
    if (tcp && (p.tcp_flags & tcp_flag::kSyn)) heartbeats_.on_tcp_syn(SeriesKey::by_size(flow, p.transport, dir, 0), hash);
    if (!heartbeat_candidate(p, r)) return;
    const std::optional<uint32_t> seq = tcp && p.has_tcp_seq ? std::optional<uint32_t>(p.tcp_seq) : std::nullopt;
    SeriesKey key;
    if (p.has_mqtt_type)
        key = SeriesKey::by_message(flow, p.transport, dir, message_kind(MessageProtocol::Mqtt, p.mqtt_type));
    else if (p.p2p.present())
        key = SeriesKey::by_message(
            flow, p.transport, dir,
            message_kind(p.p2p.platform == P2pPlatform::Kalay ? MessageProtocol::Kalay : MessageProtocol::Pppp,
                         uint16_t(p.p2p.code)));
    else
        key = SeriesKey::by_size(flow, p.transport, dir, p.payload_len);
    if (key.kind_source == KindSource::SizeClass && p.payload_len > kMaxOpaqueBeat) {
        // Full-size segments of a transfer: never a keepalive, so no series
        // lookup (most packets of a capture), but counted as flow activity.
        v.heartbeat = heartbeats_.on_other_packet(key, hash, p.time_ns, p.payload_len, seq);
        return;
    }
    v.heartbeat = heartbeats_.on_packet(key, hash, p.time_ns, p.payload_len, seq);
    if (!v.heartbeat.in_series) return;
    v.findings |= finding_bit(Finding::Heartbeat);
    auto it = keepalives_.find(flow, hash.value);
    if (it != keepalives_.end()) v.mqtt_keepalive_s = it->second;
}

void Analyzer::track_tcp(const PacketFacts &p, const Roles &r, PairHash pair_hash, Verdict &v) {
    if (p.transport != Transport::Tcp) return;
    const uint16_t flags = p.tcp_flags;
    if (r.outbound && (flags & tcp_flag::kSyn) && !(flags & tcp_flag::kAck)) {
        v.syn = dead_clouds_.on_syn(r.device, r.device_port, r.remote, r.remote_port, p.time_ns, pair_hash);
        if (v.syn.dead) v.findings |= finding_bit(Finding::DeadCloud);
        return;
    }
    // Any other segment, either way, shows the service is alive. SYN-ACKs,
    // RSTs and FINs (a few per connection) and the first data of each flow
    // direction (the heartbeat tracker's per-flow state tells which) are
    // remembered even for a service no SYN went to yet; other segments (most
    // of a capture) look the service up only while some service is waiting
    // for an answer.
    if ((flags & (tcp_flag::kSyn | tcp_flag::kRst | tcp_flag::kFin)) || v.heartbeat.first_of_direction)
        v.dead_cloud_answered = dead_clouds_.on_alive(r.device, r.remote, r.remote_port, p.time_ns, pair_hash);
    else
        v.dead_cloud_answered =
            dead_clouds_.on_alive_if_waiting(r.device, r.remote, r.remote_port, p.time_ns, pair_hash);
}

Verdict Analyzer::analyze(const PacketFacts &p) {
    Verdict v;
    v.roles = assign_roles(p, config_.local_networks);
    const Roles &r = v.roles;

    // Per-packet findings that need no Internet remote.
    if (p.dns_p2p) v.findings |= finding_bit(Finding::P2pDns);
    if (p.p2p.present() && !r.phonehome &&
        (r.src_class == AddressClass::Local || r.dst_class == AddressClass::Local))
        v.findings |= finding_bit(Finding::P2pLan);
    if (!r.phonehome) return v;

    if (p.p2p.present()) v.findings |= finding_bit(Finding::P2p);
    // The flow's two addresses are hashed once for every table below.
    const FlowKey flow{r.device, r.remote, r.device_port, r.remote_port};
    const PairHash pair_hash = address_pair_hash(r.device, r.remote);
    const FlowHash flow_hash{FlowKeyHash::from_pair(pair_hash, r.device_port, r.remote_port)};
    track_heartbeat(p, r, flow, flow_hash, v);
    track_tcp(p, r, pair_hash, v);

    if (is_sink(p, r, config_.sink_ports)) v.findings |= finding_bit(Finding::Sink);

    if (p.transport == Transport::Udp) {
        if (r.outbound) {
            v.pinhole = pinholes_.on_outbound(flow, flow_hash, p.time_ns);
            if (v.pinhole.pinhole) v.findings |= finding_bit(Finding::Pinhole);
        } else {
            pinholes_.on_inbound(flow, flow_hash, p.time_ns);
        }
    }
    return v;
}

}  // namespace phonehome
