#include "heuristics/reports/text_reports.hpp"

#include <algorithm>
#include <map>

#include "heuristics/reports/text_table.hpp"
#include "heuristics/reports/verdict.hpp"

namespace phonehome {

namespace {

const std::string kRule(100, '=');

struct Column {
    std::string heading;
    bool right = false;
    bool optional = true;  // left out when blank in every row
};

bool blank(const std::string &cell) { return cell.empty() || cell == "-" || cell == "0"; }

// A table of the columns that say something: an optional column blank in
// every row is left out. Notes (verdicts) follow their row.
class Sheet {
public:
    explicit Sheet(std::vector<Column> columns) : columns_(std::move(columns)) {}
    void row(std::vector<std::string> cells, std::string note = "") {
        rows_.push_back({std::move(cells), std::move(note)});
    }
    std::string render() const {
        std::vector<size_t> kept;
        for (size_t c = 0; c < columns_.size(); ++c)
            if (!columns_[c].optional ||
                std::any_of(rows_.begin(), rows_.end(), [&](const Row &r) { return !blank(r.cells[c]); }))
                kept.push_back(c);
        TextTable table;
        std::vector<std::string> header;
        for (size_t c : kept) header.push_back(columns_[c].heading);
        table.set_header(header);
        table.align_right_from(0);
        for (size_t i = 0; i < kept.size(); ++i)
            if (!columns_[kept[i]].right) table.align_left(i);
        for (const Row &r : rows_) {
            std::vector<std::string> cells;
            for (size_t c : kept) cells.push_back(r.cells[c]);
            table.add_row(cells);
            if (!r.note.empty()) table.add_note(r.note);
        }
        return table.render();
    }

private:
    struct Row {
        std::vector<std::string> cells;
        std::string note;
    };
    std::vector<Column> columns_;
    std::vector<Row> rows_;
};

std::string or_dash(const std::string &s) { return s.empty() ? "-" : s; }

std::string count(size_t n, const char *one, const char *many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string findings_words(const std::array<uint64_t, kFindingCount> &counts) {
    std::string out;
    for (size_t i = 0; i < kFindingCount; ++i)
        if (counts[i]) out += (out.empty() ? "" : ", ") + std::string(kFindings[i].name) + " " + std::to_string(counts[i]);
    return or_dash(out);
}

// A dead cloud that answered after all says when, so the row does not read
// like a service that never answered.
std::string answered_note(const RemoteRow &r, const ReportContext &ctx) {
    if (r.dead_cloud_answered_rel_ns < 0) return "";
    return "; the dead cloud answered at " + ctx.time(r.dead_cloud_answered_rel_ns);
}

std::string header(const char *title, const ReportContext &ctx, const std::string &counts) {
    std::string out = kRule + "\n" + title + "\n";
    out += "Capture: " + ctx.capture_line() + "\n";
    out += "Filter: " + (ctx.filter.empty() ? std::string("none") : ctx.filter) + ". " + counts + "\n";
    if (ctx.time_style == TimeStyle::Relative)
        out += "Times: seconds from the first packet (tshark -t ad or -t ud for the time of day).\n";
    return out + "\n";
}

std::string footer(const std::string &notes, const char *more) { return "\n" + notes + more + kRule + "\n"; }

// Where a remote is, short: "CN AS38365 Beijing Baidu..." or "-".
std::string where_text(const GeoInfo &g, size_t width) {
    std::string out = g.country_iso.empty() ? g.country : g.country_iso;
    if (g.asn) out += (out.empty() ? "" : " ") + std::string("AS") + std::to_string(g.asn);
    if (!g.as_org.empty()) out += (out.empty() ? "" : " ") + g.as_org;
    return fit(or_dash(out), width);
}

std::string names_short(const RemoteRow &r, size_t width) {
    if (r.names.empty()) return "-";
    const std::string more = r.names.size() > 1 ? " (+" + std::to_string(r.names.size() - 1) + ")" : "";
    return fit(r.names.front(), width > more.size() ? width - more.size() : 8) + more;
}

}  // namespace

std::string identity_text(const DeviceRow &d) {
    if (!d.name.empty() && !d.vendor.empty()) return d.name + " (" + d.vendor + ")";
    return or_dash(d.name.empty() ? d.vendor : d.name);
}

std::string devices_text(const std::vector<DeviceRow> &devices, const std::vector<RemoteRow> &remotes,
                         const ReportContext &ctx, const std::string &notes) {
    std::map<IpAddress, std::vector<const RemoteRow *>> by_device;
    for (const RemoteRow &r : remotes) by_device[r.device].push_back(&r);
    const size_t flagged = size_t(std::count_if(devices.begin(), devices.end(), [](const DeviceRow &d) { return d.finding_total() > 0; }));
    // The identity gets what the width leaves: the widest that keeps the
    // table within kReportWidth where it can; the findings are cut only if
    // the table would pass kReportMaxWidth even so.
    std::string table;
    for (size_t identity = 36, findings = 200;;) {
        Sheet sheet({{"Device", false, false},
                     {"Identity", false, false},
                     {ctx.time_heading("First seen"), true, false},
                     {ctx.time_heading("Last seen"), true, false},
                     {"Packets", true, false},
                     {"Remotes", true},
                     {"Findings (packets)", false}});
        for (const DeviceRow &d : devices) {
            auto it = by_device.find(d.address);
            const std::vector<const RemoteRow *> none;
            std::string note = wrap(device_verdict(d, it == by_device.end() ? none : it->second), kReportWidth, "  -> ",
                                    "     ");
            note.pop_back();  // the table ends the line
            sheet.row({d.address.to_string(), fit(identity_text(d), identity), ctx.time(d.first_rel_ns),
                       ctx.time(d.last_rel_ns), std::to_string(d.packets), std::to_string(d.remote_hosts),
                       fit(findings_words(d.finding_packets), findings)},
                      note);
        }
        table = sheet.render();
        const size_t width = widest_line(table);
        if (width <= kReportWidth || (identity <= 16 && width <= kReportMaxWidth) || findings <= 20) break;
        if (identity > 16) identity -= 4;
        else findings = 40;
    }
    std::string out = header("phonehome devices: who each local device is and what it does", ctx,
                             count(devices.size(), "device", "devices") + ", " + std::to_string(flagged) + " with findings.");
    out += table;
    return out + footer(notes, "All columns: -z phonehome,devices.full; for other tools: phonehome,devices.csv / .json.\n");
}

std::string devices_full_text(const std::vector<DeviceRow> &devices, const ReportContext &ctx, const std::string &notes) {
    TextTable table;
    std::vector<std::string> heading = {"Device", "MAC", "Vendor", "Names", "DHCP vendor class", "SSDP server",
                                        "Packets", "Bytes", "Sent", "Received", ctx.time_heading("First seen"),
                                        ctx.time_heading("Last seen"), "Pkts/min", "Remote hosts", "Remote endpoints",
                                        "P2P", "UIDs", "P2P servers", "P2P peers", "P2P /16s"};
    for (const FindingInfo &f : kFindings) heading.push_back(f.name);
    table.set_header(heading);
    table.align_right_from(6);
    table.align_left(15);  // P2P
    table.align_left(16);  // UIDs
    size_t flagged = 0;
    for (const DeviceRow &r : devices) {
        flagged += r.finding_total() ? 1 : 0;
        std::string servers;
        for (const std::string &s : r.ssdp_servers) servers += (servers.empty() ? "" : "; ") + s;
        std::vector<std::string> cells = {r.address.to_string(),
                                          r.has_mac ? format_mac(r.mac) : "-",
                                          or_dash(r.vendor),
                                          or_dash(r.names_text(", ")),
                                          or_dash(r.vendor_class),
                                          or_dash(servers),
                                          std::to_string(r.packets),
                                          std::to_string(r.bytes),
                                          std::to_string(r.packets_sent),
                                          std::to_string(r.packets_received),
                                          ctx.time(r.first_rel_ns),
                                          ctx.time(r.last_rel_ns),
                                          format_fixed(r.packets_per_minute(), 1),
                                          std::to_string(r.remote_hosts),
                                          std::to_string(r.remote_endpoints),
                                          or_dash(r.platforms_text(",")),
                                          or_dash(r.uids_text(",")),
                                          std::to_string(r.p2p_servers),
                                          std::to_string(r.p2p_peers),
                                          std::to_string(r.p2p_prefixes)};
        for (uint64_t n : r.finding_packets) cells.push_back(std::to_string(n));
        table.add_row(cells);
    }
    std::string out = header("phonehome devices (all columns)", ctx,
                             count(devices.size(), "device", "devices") + ", " + std::to_string(flagged) + " with findings.");
    out += "Finding columns count packets. P2P/UIDs: platforms and UIDs of the P2P messages a device sent;\n";
    out += "P2P /16s: Internet prefixes (IPv4 /16, IPv6 /32) of its P2P servers and peers.\n\n";
    return out + table.render() + footer(notes, "");
}

std::string remotes_text(const std::vector<RemoteRow> &remotes, const std::vector<DeviceRow> &devices,
                         const ReportContext &ctx, const std::string &notes) {
    // Devices in the order of their most phone-home-like conversation (the
    // rows come sorted), each with its remotes.
    std::vector<IpAddress> order;
    std::map<IpAddress, std::vector<const RemoteRow *>> by_device;
    for (const RemoteRow &r : remotes) {
        if (by_device.find(r.device) == by_device.end()) order.push_back(r.device);
        by_device[r.device].push_back(&r);
    }
    std::map<IpAddress, const DeviceRow *> identity;
    for (const DeviceRow &d : devices) identity[d.address] = &d;

    std::string out = header("phonehome remotes: every Internet remote of each device, most phone-home-like first", ctx,
                             count(remotes.size(), "conversation", "conversations") + " of " +
                                 count(order.size(), "device", "devices") + ".");
    for (const IpAddress &device : order) {
        auto d = identity.find(device);
        const std::string who = d != identity.end() ? identity_text(*d->second) : "-";
        out += device.to_string() + (who == "-" ? std::string() : "  " + who) + "\n";
        // Names and places get what the width leaves: the widest that keeps
        // the table within kReportWidth, or within kReportMaxWidth at the least.
        std::string table;
        for (size_t names = 40, where = 28;; names -= 4, where -= 2) {
            Sheet sheet({{"  Remote", false, false},
                         {"Names", false, false},
                         {"Where", false},
                         {"Services", false, false},
                         {"Packets out", true, false},
                         {"in", true, false},
                         {ctx.time_heading("Last seen"), true, false},
                         {"Beat (s)", true},
                         {"Findings (packets)", false}});
            for (const RemoteRow *r : by_device[device])
                sheet.row({"  " + r->remote.to_string(), names_short(*r, names), where_text(r->geo, where),
                           fit(r->services_text(3), 20), std::to_string(r->packets_out), std::to_string(r->packets_in),
                           ctx.time(r->last_rel_ns),
                           r->heartbeat_period_s > 0 ? format_fixed(r->heartbeat_period_s, 1) : "-",
                           findings_words(r->finding_packets) + answered_note(*r, ctx)});
            table = sheet.render();
            if (widest_line(table) <= kReportWidth || names <= 12) break;
        }
        out += table + "\n";
    }
    return out + footer(notes, "All columns and every name: -z phonehome,remotes.full; for other tools: "
                               "phonehome,remotes.csv / .json.\n");
}

std::string remotes_full_text(const std::vector<RemoteRow> &remotes, const ReportContext &ctx, const std::string &notes) {
    TextTable table;
    table.set_header({"Device", "Remote", "Names", "Country", "AS owner", "Services", "Packets out", "Bytes out",
                      "Packets in", "Bytes in", ctx.time_heading("First seen"), ctx.time_heading("Last seen"),
                      "Heartbeat (s)", "Findings"});
    table.align_right_from(6);
    table.align_left(13);
    for (const RemoteRow &r : remotes)
        table.add_row({r.device.to_string(), r.remote.to_string(), r.names_text(", "), or_dash(r.geo.country),
                       r.owner_text(), r.services_text(), std::to_string(r.packets_out), std::to_string(r.bytes_out),
                       std::to_string(r.packets_in), std::to_string(r.bytes_in), ctx.time(r.first_rel_ns),
                       ctx.time(r.last_rel_ns), r.heartbeat_period_s > 0 ? format_fixed(r.heartbeat_period_s, 1) : "-",
                       r.findings_text()});
    std::string out = header("phonehome remotes (all columns)", ctx, count(remotes.size(), "conversation", "conversations") + ".");
    out += "Names: every name the device was given for the remote (the names it asked DNS for, the CNAMEs on the way,\n";
    out += "the TLS/QUIC SNI it sent); Country and AS owner: from the MaxMind databases configured in Wireshark;\n";
    out += "Services: transport/remote port; Heartbeat: the latest period of a keepalive series; Findings: packets per finding.\n\n";
    return out + table.render() + footer(notes, "");
}

}  // namespace phonehome
