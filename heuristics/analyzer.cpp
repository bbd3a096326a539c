#include "heuristics/analyzer.hpp"

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

Analyzer::Analyzer(AnalyzerConfig config)
    : config_(std::move(config)), pinholes_(config_.pinhole_silence_ns) {}

void Analyzer::reset() { pinholes_.clear(); }

void Analyzer::set_config(AnalyzerConfig config) {
    config_ = std::move(config);
    pinholes_.set_silence(config_.pinhole_silence_ns);
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

    if (is_sink(p, r, config_.sink_ports)) v.findings |= finding_bit(Finding::Sink);

    if (p.transport == Transport::Udp) {
        FlowKey key{r.device, r.remote, r.device_port, r.remote_port};
        if (r.outbound) {
            v.pinhole = pinholes_.on_outbound(key, p.time_ns);
            if (v.pinhole.pinhole) v.findings |= finding_bit(Finding::Pinhole);
        } else {
            pinholes_.on_inbound(key, p.time_ns);
        }
    }
    return v;
}

}  // namespace phonehome
