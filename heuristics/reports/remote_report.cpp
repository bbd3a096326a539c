#include "heuristics/reports/remote_report.hpp"

#include <algorithm>
#include <cstdio>

#include "heuristics/reports/text_table.hpp"

namespace phonehome {

uint64_t RemoteRow::finding_total() const {
    uint64_t total = 0;
    for (uint64_t n : finding_packets) total += n;
    return total;
}

std::vector<std::string> RemoteRow::service_names() const {
    std::vector<std::string> out;
    for (const auto &[transport, port] : services)
        out.push_back(std::string(transport_name(transport)) +
                      (transport == Transport::Udp || transport == Transport::Tcp ? "/" + std::to_string(port) : ""));
    return out;
}

std::string RemoteRow::services_text(size_t max_shown) const {
    const std::vector<std::string> names = service_names();
    std::string out;
    for (size_t i = 0; i < names.size(); ++i) {
        if (i == max_shown) {
            out += ",+" + std::to_string(names.size() - i);
            break;
        }
        out += (i ? "," : "") + names[i];
    }
    return out.empty() ? "-" : out;
}

std::string RemoteRow::findings_text() const {
    std::string out;
    for (size_t i = 0; i < kFindingCount; ++i) {
        if (!finding_packets[i]) continue;
        if (!out.empty()) out += ',';
        out += std::string(kFindings[i].name) + ":" + std::to_string(finding_packets[i]);
        if (kFindings[i].finding == Finding::DeadCloud && dead_cloud_answered_rel_ns >= 0)
            out += " (answered at " + format_fixed(double(dead_cloud_answered_rel_ns) / 1e9, 1) + " s)";
    }
    return out.empty() ? "-" : out;
}

void RemoteReport::note_device(const IpAddress &addr) {
    if (devices_.size() < max_rows_ || devices_.count(addr)) devices_.insert(addr);
}

size_t RemoteReport::size() const {
    size_t n = 0;
    for (const auto &kv : rows_) n += devices_.count(kv.first.device);
    return n;
}

void NatTraffic::add(const PacketFacts &p, uint16_t remote_port) {
    const uint32_t size = p.payload_len;
    if (packets == 0) {
        min_payload = max_payload = size;
        bursts = 1;
    } else {
        min_payload = std::min(min_payload, size);
        max_payload = std::max(max_payload, size);
        const int64_t gap = p.rel_time_ns - last_ns;
        if (gap >= kBurstGapNs) {
            min_gap_ns = bursts == 1 ? gap : std::min(min_gap_ns, gap);
            max_gap_ns = std::max(max_gap_ns, gap);
            bursts++;
        }
    }
    packets++;
    transport = p.transport;
    port = remote_port;
    last_ns = p.rel_time_ns;
}

void RemoteReport::add(const PacketFacts &p, const Roles &roles, FindingSet findings, const char *remote_name,
                       double heartbeat_period_s, bool dead_cloud_answered) {
    if (roles.src_class == AddressClass::Local) note_device(p.src);
    if (roles.dst_class == AddressClass::Local && !p.dst_link_group) note_device(p.dst);
    if (!roles.phonehome) return;
    const Key key{roles.device, roles.remote};
    if (rows_.size() >= max_rows_ && rows_.find(key) == rows_.end()) {
        overflow_packets_++;
        return;
    }
    auto [it, inserted] = rows_.try_emplace(key);
    RemoteRow &r = it->second;
    if (inserted) {
        r.device = roles.device;
        r.remote = roles.remote;
        r.first_rel_ns = r.last_rel_ns = p.rel_time_ns;
    }
    r.first_rel_ns = std::min(r.first_rel_ns, p.rel_time_ns);
    r.last_rel_ns = std::max(r.last_rel_ns, p.rel_time_ns);
    if (remote_name && *remote_name) r.name = remote_name;
    if (r.services.size() < kMaxServices)
        r.services.emplace(p.transport, p.transport == Transport::Udp || p.transport == Transport::Tcp ? roles.remote_port : 0);
    if (roles.outbound) {
        r.packets_out++;
        r.bytes_out += p.frame_len;
    } else {
        r.packets_in++;
        r.bytes_in += p.frame_len;
    }
    for (size_t i = 0; i < kFindingCount; ++i)
        if (has_finding(findings, kFindings[i].finding)) r.finding_packets[i]++;
    if (roles.outbound && (has_finding(findings, Finding::Sink) || has_finding(findings, Finding::Pinhole)))
        r.nat.add(p, roles.remote_port);
    if (heartbeat_period_s > 0) r.heartbeat_period_s = heartbeat_period_s;
    if (dead_cloud_answered && r.dead_cloud_answered_rel_ns < 0) r.dead_cloud_answered_rel_ns = p.rel_time_ns;
}

std::string RemoteRow::names_text(const char *sep) const {
    std::string out;
    for (const std::string &n : names) out += (out.empty() ? "" : sep) + n;
    return out.empty() ? "-" : out;
}

std::string RemoteRow::owner_text() const {
    if (!geo.asn && geo.as_org.empty()) return "-";
    std::string out = geo.asn ? "AS" + std::to_string(geo.asn) : "";
    if (!geo.as_org.empty()) out += (out.empty() ? "" : " ") + geo.as_org;
    return out;
}

std::vector<RemoteRow> RemoteReport::rows(const RowIdentity *identity) const {
    std::vector<RemoteRow> out;
    out.reserve(rows_.size());
    for (const auto &kv : rows_) {
        if (!devices_.count(kv.first.device)) continue;
        out.push_back(kv.second);
        if (identity) identity->fill(out.back());
    }
    std::stable_sort(out.begin(), out.end(), [](const RemoteRow &a, const RemoteRow &b) {
        if (a.finding_total() != b.finding_total()) return a.finding_total() > b.finding_total();
        if ((a.heartbeat_period_s > 0) != (b.heartbeat_period_s > 0)) return a.heartbeat_period_s > 0;
        const int64_t da = a.last_rel_ns - a.first_rel_ns, db = b.last_rel_ns - b.first_rel_ns;
        if (da != db) return da > db;
        return a.packets_out + a.packets_in > b.packets_out + b.packets_in;
    });
    return out;
}


std::string RemoteReport::notes() const {
    if (!overflow_packets_) return "";
    return "Bounded: " + std::to_string(overflow_packets_) + " packets of conversations beyond the first " +
           std::to_string(max_rows_) + " are not itemised.\n";
}

}  // namespace phonehome
