// The per-packet verdict: which endpoint is the local device and which the
// Internet remote, and which findings the packet carries. Feed packets in
// capture order, each exactly once (the glue stores the verdict for later
// re-dissections), so one-pass tshark, two-pass tshark and the GUI agree.
#pragma once

#include <cstdint>

#include <string>

#include "heuristics/common/flat_table.hpp"
#include "heuristics/identity/address_class.hpp"
#include "heuristics/detectors/dead_cloud.hpp"
#include "heuristics/detectors/heartbeat/heartbeat_tracker.hpp"
#include "heuristics/identity/device_directory.hpp"
#include "heuristics/identity/name_history.hpp"
#include "heuristics/common/findings.hpp"
#include "heuristics/common/packet_facts.hpp"
#include "heuristics/detectors/pinhole_tracker.hpp"
#include "heuristics/common/port_set.hpp"

namespace phonehome {

struct AnalyzerConfig {
    LocalNetworks local_networks;
    PortSet sink_ports;  // default: 0 and 1, where no real service listens
    int64_t pinhole_silence_ns = PinholeTracker::kDefaultSilenceNs;
    HeartbeatConfig heartbeat;

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
    HeartbeatTracker::Result heartbeat;  // in_series for heartbeat beats
    // The keep-alive the MQTT CONNECT of this flow announced, 0 when unseen.
    uint16_t mqtt_keepalive_s = 0;
    DeadCloudTracker::Syn syn;  // filled for outbound TCP SYNs
    // The packet shows that a service flagged dead_cloud earlier is alive
    // after all (the remotes report says it answered later).
    bool dead_cloud_answered = false;
};

// Whether a packet takes part in heartbeat detection: between a local device
// and an Internet remote, carrying data, and not time or name service (NTP
// and DNS poll on schedules of their own and are not phone-home channels).
bool heartbeat_candidate(const PacketFacts &p, const Roles &roles);


class Analyzer {
public:
    explicit Analyzer(AnalyzerConfig config = AnalyzerConfig());

    Verdict analyze(const PacketFacts &p);
    // Forget all flow state (a new capture file, or changed preferences).
    void reset();
    void set_config(AnalyzerConfig config);
    const AnalyzerConfig &config() const { return config_; }
    const PinholeTracker &pinholes() const { return pinholes_; }
    const HeartbeatTracker &heartbeats() const { return heartbeats_; }

    // What the bounded tables forgot to stay within their caps (least
    // recently active first); a line for the reports, empty when nothing.
    std::string eviction_note() const;

    // Names the capture resolved, fed in capture order before the packet
    // that carries them is analyzed (NameHistory): DNS answers (the name the
    // device asked for, and the aliases on the way) and TLS/QUIC SNI, with
    // the device they were given to and the frame that gave them.
    void learn_name(const IpAddress &addr, std::string_view name, NameSource source, const IpAddress &device,
                    uint32_t frame) {
        names_.learn(addr, name, source, device, frame);
    }
    // The name for a remote at a frame (NameHistory::remote_name); nullptr
    // when the capture resolved none by then. Valid until the next learn.
    const std::string *remote_name(const IpAddress &addr, uint32_t frame) const {
        return names_.remote_name(addr, frame);
    }
    const NameHistory &names() const { return names_; }

    // What local devices announce about themselves (DeviceDirectory), fed in
    // capture order like the names.
    DeviceDirectory &devices() { return devices_; }
    const DeviceDirectory &devices() const { return devices_; }

private:
    // `hash` is the flow's FlowKeyHash, `pair_hash` its address_pair_hash.
    void track_heartbeat(const PacketFacts &p, const Roles &r, const FlowKey &flow, FlowHash hash, Verdict &v);
    void track_tcp(const PacketFacts &p, const Roles &r, PairHash pair_hash, Verdict &v);

    AnalyzerConfig config_;
    PinholeTracker pinholes_;
    HeartbeatTracker heartbeats_;
    DeadCloudTracker dead_clouds_;
    NameHistory names_;
    DeviceDirectory devices_;
    // MQTT keep-alives from CONNECT, per flow (bounded: cleared when full).
    static constexpr size_t kMaxKeepalives = 1u << 16;
    FlatTable<FlowKey, uint16_t, FlowKeyHash> keepalives_;
};

}  // namespace phonehome
