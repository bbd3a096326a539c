// The per-device report (`tshark -z phonehome,devices`, Statistics menu): one
// row per local device seen in the capture, with its traffic, the Internet
// remotes it talked to and how many of its packets carry each finding.
#pragma once

#include <array>
#include <cstdint>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "heuristics/analyzer.hpp"
#include "heuristics/reports/row_identity.hpp"

namespace phonehome {

struct DeviceRow {
    IpAddress address;
    bool has_mac = false;
    MacAddress mac{};
    uint64_t packets = 0, bytes = 0;
    uint64_t packets_sent = 0, packets_received = 0;
    int64_t first_rel_ns = 0, last_rel_ns = 0;
    uint64_t remote_hosts = 0;      // distinct globally routable addresses
    uint64_t remote_endpoints = 0;  // distinct (address, transport, port) of those
    std::array<uint64_t, kFindingCount> finding_packets{};

    // P2P platforms: from the Kalay/PPPP messages the device sent, which
    // platforms and UIDs; from those it exchanged either way, how many
    // distinct servers and peers, and in how many Internet prefixes (IPv4
    // /16, IPv6 /32) those lie.
    std::set<P2pPlatform> p2p_platforms;
    std::set<std::string> uids;
    uint64_t p2p_servers = 0, p2p_peers = 0, p2p_prefixes = 0;

    // Identity (RowIdentity::fill): the MAC's vendor; the names the device
    // announced (DHCP, mDNS, NetBIOS, LLMNR), its DHCP vendor class and SSDP
    // server strings.
    std::string vendor;
    std::string name;  // the name to call it by (DeviceDirectory::Identity::name)
    std::vector<std::string> names;
    std::string vendor_class;
    std::vector<std::string> ssdp_servers;
    std::string names_text(const char *sep) const;  // "" when none

    uint64_t finding_total() const;
    // Platform names and UIDs joined with `sep`; empty when none.
    std::string platforms_text(const char *sep) const;
    std::string uids_text(const char *sep) const;
    // Packets per minute between first and last seen (at least one minute).
    double packets_per_minute() const;
};

class DeviceReport {
public:
    // Bounds, so a flood of spoofed or scanned addresses cannot exhaust
    // memory: at most this many devices get a row (packets of further ones
    // are counted apart and the report says so), and each per-device set of
    // remotes stops growing at kMaxSetSize, and all of them together at
    // kMaxSetEntries (counts are then lower bounds): a million-flow flood
    // otherwise fills the sets of 65,536 devices.
    static constexpr size_t kDefaultMaxDevices = size_t(1) << 16;
    static constexpr size_t kMaxSetSize = size_t(1) << 16;
    static constexpr size_t kMaxSetEntries = size_t(1) << 20;

    explicit DeviceReport(size_t max_devices = kDefaultMaxDevices) : max_devices_(max_devices) {}

    // One packet: counted for each local endpoint, source and destination,
    // as Wireshark's endpoint statistics count it; findings go to the
    // packet's device. An address is a device (has a row) once it sent a
    // packet or received one through a link-layer unicast: one that only
    // ever received link-layer broadcasts or multicasts is a subnet's
    // broadcast address (192.168.1.255), not a device, though its packets
    // count for it like any other once it shows it is one.
    void add(const PacketFacts &p, const Roles &roles, FindingSet findings);
    void clear();

    size_t device_count() const { return devices_.size() - group_only_; }
    // Packets of devices beyond the bound, not itemised.
    uint64_t overflow_packets() const { return overflow_packets_; }
    bool saturated() const { return saturated_; }
    // Most findings first, then most remote hosts, most packets, address;
    // with their identity where `identity` is given.
    std::vector<DeviceRow> rows(const RowIdentity *identity = nullptr) const;
    // The row of one device; false when it has none.
    bool row(const IpAddress &addr, DeviceRow *out) const;
    // Lines about bounds that were hit, for the end of a report ("" when none).
    std::string notes() const;


private:
    using Endpoint = std::tuple<IpAddress, Transport, uint16_t>;
    struct Entry {
        DeviceRow row;
        bool device = false;  // sent, or received through a link-layer unicast
        std::unordered_set<IpAddress, IpAddressHash> remote_hosts;
        std::set<Endpoint> remote_endpoints;
        std::unordered_set<IpAddress, IpAddressHash> p2p_servers, p2p_peers;
        std::set<IpAddress> p2p_prefixes;
    };
    Entry *entry(const IpAddress &addr, int64_t rel_ns, bool device);
    static DeviceRow finished(const Entry &e);
    void add_p2p(Entry &e, const PacketFacts &p, const IpAddress &other, bool other_is_group,
                 AddressClass other_class, bool sent);

    template <typename Set, typename... Args>
    void bounded_insert(Set &set, Args &&...args);

    std::unordered_map<IpAddress, Entry, IpAddressHash> devices_;
    size_t max_devices_;
    uint64_t overflow_packets_ = 0;
    size_t set_entries_ = 0;  // entries in all devices' sets
    size_t group_only_ = 0;   // entries not (yet) shown to be devices
    bool saturated_ = false;  // some per-device set hit kMaxSetSize, or all of them kMaxSetEntries

};

std::string format_mac(const MacAddress &mac);

// Multicast or limited broadcast: a group, not a host.
bool is_group_address(const IpAddress &a);

}  // namespace phonehome
