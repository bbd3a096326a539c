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
    if (heartbeat_period_s > 0) r.heartbeat_period_s = heartbeat_period_s;
    if (dead_cloud_answered && r.dead_cloud_answered_rel_ns < 0) r.dead_cloud_answered_rel_ns = p.rel_time_ns;
}

std::vector<RemoteRow> RemoteReport::rows() const {
    std::vector<RemoteRow> out;
    out.reserve(rows_.size());
    for (const auto &kv : rows_)
        if (devices_.count(kv.first.device)) out.push_back(kv.second);
    std::stable_sort(out.begin(), out.end(), [](const RemoteRow &a, const RemoteRow &b) {
        if (a.finding_total() != b.finding_total()) return a.finding_total() > b.finding_total();
        if ((a.heartbeat_period_s > 0) != (b.heartbeat_period_s > 0)) return a.heartbeat_period_s > 0;
        const int64_t da = a.last_rel_ns - a.first_rel_ns, db = b.last_rel_ns - b.first_rel_ns;
        if (da != db) return da > db;
        return a.packets_out + a.packets_in > b.packets_out + b.packets_in;
    });
    return out;
}


std::string RemoteReport::render_text(const std::string &filter) const {
    TextTable table;
    table.set_header({"Device", "Remote", "Name", "Services", "Packets out", "Bytes out", "Packets in", "Bytes in",
                      "First seen (s)", "Last seen (s)", "Heartbeat (s)", "Findings"});
    table.align_right_from(4);
    table.align_left(11);
    const auto all = rows();
    for (const RemoteRow &r : all) {
        table.add_row({r.device.to_string(), r.remote.to_string(), r.name.empty() ? "-" : r.name, r.services_text(),
                       std::to_string(r.packets_out), std::to_string(r.bytes_out), std::to_string(r.packets_in),
                       std::to_string(r.bytes_in), format_fixed(double(r.first_rel_ns) / 1e9, 3),
                       format_fixed(double(r.last_rel_ns) / 1e9, 3),
                       r.heartbeat_period_s > 0 ? format_fixed(r.heartbeat_period_s, 1) : "-", r.findings_text()});
    }
    std::string out;
    const std::string rule(100, '=');
    out += rule + "\n";
    out += "phonehome remotes: every Internet remote of each local device, most phone-home-like first\n";
    out += "Filter: " + (filter.empty() ? std::string("none") : filter) + "\n";
    out += "Conversations: " + std::to_string(all.size()) + "\n";
    out += "Name: what a device looked up in DNS for the remote (else the TLS SNI); Services: transport/remote port;\n";
    out += "Heartbeat: the latest period of a keepalive series; Findings: packets per finding (a dead cloud\n";
    out += "that answered later says when).\n\n";
    out += table.render();
    if (overflow_packets_)
        out += "Bounded: " + std::to_string(overflow_packets_) + " packets of conversations beyond the first " +
               std::to_string(max_rows_) + " are not itemised.\n";
    out += rule + "\n";
    return out;
}

}  // namespace phonehome
