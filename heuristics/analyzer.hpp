// The per-packet verdict: which endpoint is the local device and which the
// Internet remote, and which findings the packet carries. Feed packets in
// capture order, each exactly once (the glue stores the verdict for later
// re-dissections), so one-pass tshark, two-pass tshark and the GUI agree.
#pragma once

#include <cstdint>

#include "heuristics/address_class.hpp"
#include "heuristics/findings.hpp"
#include "heuristics/packet_facts.hpp"
#include "heuristics/pinhole_tracker.hpp"
#include "heuristics/port_set.hpp"

namespace phonehome {

struct AnalyzerConfig {
    LocalNetworks local_networks;
    PortSet sink_ports;  // default: 0 and 1, where no real service listens
    int64_t pinhole_silence_ns = PinholeTracker::kDefaultSilenceNs;

    AnalyzerConfig() { sink_ports.add_range(0, 1); }
};

struct Roles {
    AddressClass src_class = AddressClass::NonRoutable;
    AddressClass dst_class = AddressClass::NonRoutable;
    // Set when one side is a local device and the other a globally routable
    // remote: the packets phonehome is about.
    bool phonehome = false;
    bool outbound = false;  // device -> remote
    IpAddress device, remote;
    uint16_t device_port = 0, remote_port = 0;
};

Roles assign_roles(const PacketFacts &p, const LocalNetworks &local);

// The sink rule: a UDP datagram or a TCP SYN (ACK clear) from a local device
// to a sink port of a globally routable address.
bool is_sink(const PacketFacts &p, const Roles &roles, const PortSet &sink_ports);

// The local device a packet's findings belong to: the phonehome device; for
// LAN-only P2P the local sender (else the local receiver); for a P2P-domain
// DNS packet the querier. False when no side is a local device.
bool finding_device(const PacketFacts &p, const Roles &roles, IpAddress *device);

struct Verdict {
    Roles roles;
    FindingSet findings = 0;
    PinholeTracker::Outbound pinhole;  // filled for outbound UDP
};

class Analyzer {
public:
    explicit Analyzer(AnalyzerConfig config = AnalyzerConfig());

    Verdict analyze(const PacketFacts &p);
    // Forget all flow state (a new capture file, or changed preferences).
    void reset();
    void set_config(AnalyzerConfig config);
    const AnalyzerConfig &config() const { return config_; }
    const PinholeTracker &pinholes() const { return pinholes_; }

private:
    AnalyzerConfig config_;
    PinholeTracker pinholes_;
};

}  // namespace phonehome
