#include "heuristics/reports/device_report.hpp"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "heuristics/reports/text_table.hpp"

namespace phonehome {

// Inserts unless the set or all sets together are at their bound.
template <typename Set, typename... Args>
void DeviceReport::bounded_insert(Set &set, Args &&...args) {
    if (set.size() >= kMaxSetSize || set_entries_ >= kMaxSetEntries) {
        saturated_ = true;
        return;
    }
    if (set.emplace(std::forward<Args>(args)...).second) ++set_entries_;
}

std::string DeviceRow::platforms_text(const char *sep) const {
    std::string out;
    for (P2pPlatform p : p2p_platforms) out += (out.empty() ? "" : sep) + std::string(p2p_platform_name(p));
    return out;
}

std::string DeviceRow::uids_text(const char *sep) const {
    std::string out;
    for (const std::string &u : uids) out += (out.empty() ? "" : sep) + u;
    return out;
}

uint64_t DeviceRow::finding_total() const {
    uint64_t total = 0;
    for (uint64_t n : finding_packets) total += n;
    return total;
}

double DeviceRow::packets_per_minute() const {
    const double minutes = std::max(1.0, double(last_rel_ns - first_rel_ns) / 60e9);
    return double(packets) / minutes;
}

std::string format_mac(const MacAddress &mac) {
    char buf[18];
    std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
    return buf;
}

bool is_group_address(const IpAddress &a) {
    if (a.is_v4()) return a.bytes[0] >= 224 && a.bytes[0] <= 239 ? true : a.v4_value() == 0xFFFFFFFFu;
    return a.bytes[0] == 0xFF;
}

namespace {
// The Internet prefix an address lies in, for counting how widely spread a
// device's P2P contacts are: IPv4 /16, IPv6 /32.
IpAddress prefix_of(const IpAddress &a) {
    IpAddress p = a;
    for (size_t i = a.is_v4() ? 2 : 4; i < p.bytes.size(); ++i) p.bytes[i] = 0;
    return p;
}
}  // namespace

void DeviceReport::add_p2p(Entry &e, const PacketFacts &p, const IpAddress &other, bool other_is_group,
                           AddressClass other_class, bool sent) {
    if (sent) {
        e.row.p2p_platforms.insert(p.p2p.platform);
        if (p.p2p.has_uid()) e.row.uids.insert(p.p2p.uid);
    }
    if (other_is_group || is_group_address(other) || other == e.row.address) return;
    bounded_insert(p.p2p.role == P2pRole::Server ? e.p2p_servers : e.p2p_peers, other);
    if (other_class == AddressClass::Global) bounded_insert(e.p2p_prefixes, prefix_of(other));
}

DeviceReport::Entry *DeviceReport::entry(const IpAddress &addr, int64_t rel_ns, bool device) {
    auto found = devices_.find(addr);
    if (found == devices_.end() && devices_.size() >= max_devices_) {
        overflow_packets_++;
        return nullptr;
    }
    auto [it, inserted] = devices_.try_emplace(addr);
    Entry &e = it->second;
    if (inserted) {
        e.row.address = addr;
        e.row.first_rel_ns = e.row.last_rel_ns = rel_ns;
        group_only_++;
    }
    if (device && !e.device) {
        e.device = true;
        group_only_--;
    }
    e.row.first_rel_ns = std::min(e.row.first_rel_ns, rel_ns);
    e.row.last_rel_ns = std::max(e.row.last_rel_ns, rel_ns);
    return &e;
}

void DeviceReport::add(const PacketFacts &p, const Roles &roles, FindingSet findings) {
    const bool src_local = roles.src_class == AddressClass::Local;
    // A packet a device sends to itself (loopback) is one packet of it, sent
    // and received; endpoint statistics count it twice.
    const bool to_self = src_local && p.dst == p.src;
    const bool dst_local = roles.dst_class == AddressClass::Local && !to_self;

    if (src_local) {
      if (Entry *ep = entry(p.src, p.rel_time_ns, true)) {
        Entry &e = *ep;
        e.row.packets++;
        e.row.packets_sent++;
        if (to_self) e.row.packets_received++;
        e.row.bytes += p.frame_len;
        if (!e.row.has_mac && p.has_src_mac) {
            e.row.has_mac = true;
            e.row.mac = p.src_mac;
        }
        if (roles.dst_class == AddressClass::Global) {
            bounded_insert(e.remote_hosts, p.dst);
            bounded_insert(e.remote_endpoints, p.dst, p.transport, p.dst_port);
        }
        if (p.p2p.present()) add_p2p(e, p, p.dst, p.dst_link_group, roles.dst_class, true);
      }
    }
    if (dst_local) {
      if (Entry *ep = entry(p.dst, p.rel_time_ns, !p.dst_link_group)) {
        Entry &e = *ep;
        e.row.packets++;
        e.row.packets_received++;
        e.row.bytes += p.frame_len;
        if (roles.src_class == AddressClass::Global) {
            bounded_insert(e.remote_hosts, p.src);
            bounded_insert(e.remote_endpoints, p.src, p.transport, p.src_port);
        }
        if (p.p2p.present()) add_p2p(e, p, p.src, false, roles.src_class, false);
      }
    }
    IpAddress owner;
    if (findings != 0 && finding_device(p, roles, &owner)) {
        auto it = devices_.find(owner);
        if (it != devices_.end())
            for (size_t i = 0; i < kFindingCount; ++i)
                if (has_finding(findings, kFindings[i].finding)) it->second.row.finding_packets[i]++;
    }
}

void DeviceReport::clear() {
    devices_.clear();
    group_only_ = 0;
    overflow_packets_ = 0;
    set_entries_ = 0;
    saturated_ = false;
}

DeviceRow DeviceReport::finished(const Entry &e) {
    DeviceRow row = e.row;
    row.remote_hosts = e.remote_hosts.size();
    row.remote_endpoints = e.remote_endpoints.size();
    row.p2p_servers = e.p2p_servers.size();
    row.p2p_peers = e.p2p_peers.size();
    row.p2p_prefixes = e.p2p_prefixes.size();
    return row;
}

bool DeviceReport::row(const IpAddress &addr, DeviceRow *out) const {
    auto it = devices_.find(addr);
    if (it == devices_.end() || !it->second.device) return false;
    *out = finished(it->second);
    return true;
}

std::vector<DeviceRow> DeviceReport::rows(const RowIdentity *identity) const {
    std::vector<DeviceRow> out;
    out.reserve(devices_.size());
    for (const auto &kv : devices_) {
        if (!kv.second.device) continue;
        out.push_back(finished(kv.second));
        if (identity) identity->fill(out.back());
    }
    std::sort(out.begin(), out.end(), [](const DeviceRow &a, const DeviceRow &b) {
        if (a.finding_total() != b.finding_total()) return a.finding_total() > b.finding_total();
        if (a.remote_hosts != b.remote_hosts) return a.remote_hosts > b.remote_hosts;
        if (a.packets != b.packets) return a.packets > b.packets;
        return a.address < b.address;
    });
    return out;
}

std::string DeviceRow::names_text(const char *sep) const {
    std::string out;
    for (const std::string &n : names) out += (out.empty() ? "" : sep) + n;
    return out;
}

std::string DeviceReport::notes() const {
    std::string out;
    if (overflow_packets_)
        out += "Bounded: " + std::to_string(overflow_packets_) + " packets of devices beyond the first " +
               std::to_string(max_devices_) + " are not itemised.\n";
    if (saturated_)
        out += "Bounded: some device talked to more than " + std::to_string(kMaxSetSize) +
               " remotes, or all devices together to more than " + std::to_string(kMaxSetEntries) +
               "; remote counts are lower bounds.\n";
    return out;
}

}  // namespace phonehome
