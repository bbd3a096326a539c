// The per-remote report (`tshark -z phonehome,remotes`, Statistics menu): for
// each local device, every Internet remote it exchanged packets with, as one
// conversation: the name the capture resolved, the services (transport and
// remote port), packets and bytes each way, first and last seen, findings and
// the heartbeat period. Most phone-home-like first.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "heuristics/analyzer.hpp"
#include "heuristics/reports/row_identity.hpp"

namespace phonehome {

// The outbound packets of a conversation that keep a NAT mapping open (sink
// and pinhole findings): their sizes and how they come, for the devices'
// verdicts ("172-byte UDP ... in 9 bursts minutes to hours apart").
struct NatTraffic {
    static constexpr int64_t kBurstGapNs = 10'000'000'000;  // packets closer than this are one burst
    uint64_t packets = 0;
    uint32_t min_payload = 0, max_payload = 0;
    Transport transport = Transport::Other;
    uint16_t port = 0;     // the remote port of the latest one
    uint64_t bursts = 0;
    int64_t min_gap_ns = 0, max_gap_ns = 0;  // between bursts
    int64_t last_ns = 0;

    void add(const PacketFacts &p, uint16_t remote_port);
};

struct RemoteRow {
    IpAddress device, remote;
    std::string name;                                       // empty when unresolved
    std::set<std::pair<Transport, uint16_t>> services;      // remote side
    uint64_t packets_out = 0, bytes_out = 0, packets_in = 0, bytes_in = 0;
    int64_t first_rel_ns = 0, last_rel_ns = 0;
    std::array<uint64_t, kFindingCount> finding_packets{};
    double heartbeat_period_s = 0;  // the latest period reported, 0 when none
    // When a service of the remote flagged dead_cloud showed later that it is
    // alive (it answered after all): the first such time, -1 when none.
    int64_t dead_cloud_answered_rel_ns = -1;
    NatTraffic nat;

    // Identity (RowIdentity::fill): every name the device was given for the
    // remote, and where the remote is.
    std::vector<std::string> names;
    GeoInfo geo;
    std::string names_text(const char *sep) const;  // "-" when none
    std::string owner_text() const;                  // "AS38365 Beijing Baidu Netcom", "-"

    uint64_t finding_total() const;
    std::vector<std::string> service_names() const;          // "udp/1", "tcp/443", "icmp"
    std::string services_text(size_t max_shown = 6) const;  // "udp/1,tcp/443"
    // "sink:26,pinhole:23" or "-"; a dead cloud that answered later says so:
    // "dead_cloud:7 (answered at 30.0 s)".
    std::string findings_text() const;
};

class RemoteReport {
public:
    // At most this many (device, remote) rows; packets of further pairs are
    // counted apart and the report says so (a flood cannot exhaust memory).
    static constexpr size_t kDefaultMaxRows = size_t(1) << 18;
    static constexpr size_t kMaxServices = 64;  // per row; more are counted, not kept

    explicit RemoteReport(size_t max_rows = kDefaultMaxRows) : max_rows_(max_rows) {}

    // Feed every packet: only those between a local device and an Internet
    // remote count, but every one tells which local addresses are devices.
    // As in the devices report, a row is listed once its local address showed
    // it is a device (sent, or received through a link-layer unicast): a
    // subnet's broadcast address that an Internet host sent to is none.
    // dead_cloud_answered: the packet showed a service flagged dead_cloud
    // alive (Verdict::dead_cloud_answered).
    void add(const PacketFacts &p, const Roles &roles, FindingSet findings, const char *remote_name,
             double heartbeat_period_s, bool dead_cloud_answered = false);
    void clear() {
        rows_.clear();
        devices_.clear();
        overflow_packets_ = 0;
    }
    uint64_t overflow_packets() const { return overflow_packets_; }
    // Listed rows.
    size_t size() const;
    // The listed row of one conversation, or nullptr.
    const RemoteRow *find(const IpAddress &device, const IpAddress &remote) const {
        auto it = rows_.find(Key{device, remote});
        return it == rows_.end() || !devices_.count(device) ? nullptr : &it->second;
    }

    // Most findings first, then heartbeats, longest-lived, most packets.
    std::vector<RemoteRow> rows(const RowIdentity *identity = nullptr) const;
    // A line about the bound when it was hit ("" when not).
    std::string notes() const;

private:
    struct Key {
        IpAddress device, remote;
        bool operator<(const Key &o) const { return device != o.device ? device < o.device : remote < o.remote; }
    };
    void note_device(const IpAddress &addr);

    std::map<Key, RemoteRow> rows_;
    // Local addresses that showed they are devices (bounded like rows_).
    std::unordered_set<IpAddress, IpAddressHash> devices_;
    size_t max_rows_;
    uint64_t overflow_packets_ = 0;
};

}  // namespace phonehome
