#include "heuristics/reports/report_formats.hpp"

#include <cstdio>

#include "heuristics/reports/text_table.hpp"

namespace phonehome {

namespace {

std::string secs(int64_t ns) { return format_fixed(double(ns) / 1e9, 6); }

template <typename T, typename F>
std::string joined(const T &items, F text, const char *sep) {
    std::string out;
    for (const auto &i : items) {
        if (!out.empty()) out += sep;
        out += text(i);
    }
    return out;
}

std::string json_list(const std::vector<std::string> &items) {
    return "[" + joined(items, [](const std::string &s) { return json_string(s); }, ",") + "]";
}

std::vector<std::string> platforms_of(const DeviceRow &r) {
    std::vector<std::string> out;
    for (P2pPlatform p : r.p2p_platforms) out.push_back(p2p_platform_name(p));
    return out;
}

std::string findings_json(const std::array<uint64_t, kFindingCount> &counts) {
    std::string out = "{";
    for (size_t i = 0; i < kFindingCount; ++i)
        out += (i ? "," : "") + json_string(kFindings[i].name) + ":" + std::to_string(counts[i]);
    return out + "}";
}

std::string or_null(const std::string &s) { return s.empty() ? "null" : json_string(s); }

// A row's time as an absolute UTC time.
std::string utc(const ReportContext &ctx, int64_t rel_ns) { return iso8601_utc(ctx.capture_start_ns + rel_ns); }

// Which capture, filters and versions the rows come from.
std::string capture_json(const ReportContext &ctx) {
    std::string out = "\"capture\":{\"file\":" + or_null(ctx.file);
    out += ",\"start_utc\":" + (ctx.have_capture ? json_string(iso8601_utc(ctx.capture_start_ns)) : "null");
    out += ",\"end_utc\":" + (ctx.have_capture ? json_string(iso8601_utc(ctx.last_packet_ns)) : "null");
    out += ",\"start_epoch\":" + (ctx.have_capture ? format_fixed(double(ctx.capture_start_ns) / 1e9, 6) : "null");
    out += ",\"end_epoch\":" + (ctx.have_capture ? format_fixed(double(ctx.last_packet_ns) / 1e9, 6) : "null");
    out += ",\"filter\":" + or_null(ctx.filter) + ",\"display_filter\":" + or_null(ctx.display_filter);
    out += ",\"plugin_version\":" + or_null(ctx.plugin_version) +
           ",\"wireshark_version\":" + or_null(ctx.wireshark_version) + "}";
    return out;
}

}  // namespace

std::string json_string(const std::string &s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += char(c);
        } else if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else {
            out += char(c);
        }
    }
    return out + "\"";
}

std::string csv_field(const std::string &s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string devices_csv(const std::vector<DeviceRow> &rows, const ReportContext &ctx) {
    std::string out = "device,mac,packets,bytes,sent,received,first_seen,last_seen,packets_per_minute,remote_hosts,"
                      "remote_endpoints,p2p_platforms,uids,p2p_servers,p2p_peers,p2p_prefixes";
    for (const FindingInfo &f : kFindings) out += std::string(",") + f.name;
    out += ",vendor,names,dhcp_vendor_class,ssdp_servers,first_seen_utc,last_seen_utc\n";
    for (const DeviceRow &r : rows) {
        out += r.address.to_string() + "," + (r.has_mac ? format_mac(r.mac) : "") + "," + std::to_string(r.packets) +
               "," + std::to_string(r.bytes) + "," + std::to_string(r.packets_sent) + "," +
               std::to_string(r.packets_received) + "," + secs(r.first_rel_ns) + "," + secs(r.last_rel_ns) + "," +
               format_fixed(r.packets_per_minute(), 3) + "," + std::to_string(r.remote_hosts) + "," +
               std::to_string(r.remote_endpoints) + "," + csv_field(r.platforms_text(" ")) +
               "," + csv_field(r.uids_text(" ")) + "," + std::to_string(r.p2p_servers) +
               "," + std::to_string(r.p2p_peers) + "," + std::to_string(r.p2p_prefixes);
        for (uint64_t n : r.finding_packets) out += "," + std::to_string(n);
        // Lists are "; "-separated: names and server strings hold spaces and commas.
        out += "," + csv_field(r.vendor) + "," + csv_field(joined(r.names, [](auto &s) { return s; }, "; ")) + "," +
               csv_field(r.vendor_class) + "," + csv_field(joined(r.ssdp_servers, [](auto &s) { return s; }, "; ")) +
               "," + utc(ctx, r.first_rel_ns) + "," + utc(ctx, r.last_rel_ns);
        out += "\n";
    }
    return out;
}

std::string devices_json(const std::vector<DeviceRow> &rows, const ReportContext &ctx) {
    std::string out = "{" + capture_json(ctx) + ",\"devices\":[";
    for (size_t i = 0; i < rows.size(); ++i) {
        const DeviceRow &r = rows[i];
        out += i ? ",\n" : "\n";
        out += "{\"device\":" + json_string(r.address.to_string()) +
               ",\"mac\":" + (r.has_mac ? json_string(format_mac(r.mac)) : "null") +
               ",\"packets\":" + std::to_string(r.packets) + ",\"bytes\":" + std::to_string(r.bytes) +
               ",\"sent\":" + std::to_string(r.packets_sent) + ",\"received\":" + std::to_string(r.packets_received) +
               ",\"first_seen\":" + secs(r.first_rel_ns) + ",\"last_seen\":" + secs(r.last_rel_ns) +
               ",\"first_seen_utc\":" + json_string(utc(ctx, r.first_rel_ns)) +
               ",\"last_seen_utc\":" + json_string(utc(ctx, r.last_rel_ns)) +
               ",\"packets_per_minute\":" + format_fixed(r.packets_per_minute(), 3) +
               ",\"remote_hosts\":" + std::to_string(r.remote_hosts) +
               ",\"remote_endpoints\":" + std::to_string(r.remote_endpoints) +
               ",\"p2p_platforms\":" + json_list(platforms_of(r)) +
               ",\"uids\":" + json_list(std::vector<std::string>(r.uids.begin(), r.uids.end())) +
               ",\"p2p_servers\":" + std::to_string(r.p2p_servers) + ",\"p2p_peers\":" + std::to_string(r.p2p_peers) +
               ",\"p2p_prefixes\":" + std::to_string(r.p2p_prefixes) +
               ",\"findings\":" + findings_json(r.finding_packets) +
               ",\"vendor\":" + (r.vendor.empty() ? "null" : json_string(r.vendor)) + ",\"names\":" + json_list(r.names) +
               ",\"dhcp_vendor_class\":" + (r.vendor_class.empty() ? "null" : json_string(r.vendor_class)) +
               ",\"ssdp_servers\":" + json_list(r.ssdp_servers) + "}";
    }
    return out + "\n]}\n";
}

std::string remotes_csv(const std::vector<RemoteRow> &rows, const ReportContext &ctx) {
    std::string out = "device,remote,name,services,packets_out,bytes_out,packets_in,bytes_in,first_seen,last_seen,"
                      "heartbeat_period";
    for (const FindingInfo &f : kFindings) out += std::string(",") + f.name;
    out += ",names,country,country_iso,asn,as_org,first_seen_utc,last_seen_utc,dead_cloud_answered\n";
    for (const RemoteRow &r : rows) {
        out += r.device.to_string() + "," + r.remote.to_string() + "," + csv_field(r.name) + "," +
               csv_field(joined(r.service_names(), [](auto &s) { return s; }, " ")) + "," +
               std::to_string(r.packets_out) + "," + std::to_string(r.bytes_out) + "," + std::to_string(r.packets_in) +
               "," + std::to_string(r.bytes_in) + "," + secs(r.first_rel_ns) + "," + secs(r.last_rel_ns) + "," +
               (r.heartbeat_period_s > 0 ? format_fixed(r.heartbeat_period_s, 3) : "");
        for (uint64_t n : r.finding_packets) out += "," + std::to_string(n);
        out += "," + csv_field(joined(r.names, [](auto &s) { return s; }, " ")) + "," + csv_field(r.geo.country) + "," +
               csv_field(r.geo.country_iso) + "," + (r.geo.asn ? std::to_string(r.geo.asn) : "") + "," +
               csv_field(r.geo.as_org) + "," + utc(ctx, r.first_rel_ns) + "," + utc(ctx, r.last_rel_ns) + "," +
               (r.dead_cloud_answered_rel_ns >= 0 ? secs(r.dead_cloud_answered_rel_ns) : "");
        out += "\n";
    }
    return out;
}

std::string remotes_json(const std::vector<RemoteRow> &rows, const ReportContext &ctx) {
    std::string out = "{" + capture_json(ctx) + ",\"remotes\":[";
    for (size_t i = 0; i < rows.size(); ++i) {
        const RemoteRow &r = rows[i];
        out += i ? ",\n" : "\n";
        out += "{\"device\":" + json_string(r.device.to_string()) + ",\"remote\":" + json_string(r.remote.to_string()) +
               ",\"name\":" + (r.name.empty() ? "null" : json_string(r.name)) +
               ",\"services\":" + json_list(r.service_names()) + ",\"packets_out\":" + std::to_string(r.packets_out) +
               ",\"bytes_out\":" + std::to_string(r.bytes_out) + ",\"packets_in\":" + std::to_string(r.packets_in) +
               ",\"bytes_in\":" + std::to_string(r.bytes_in) + ",\"first_seen\":" + secs(r.first_rel_ns) +
               ",\"last_seen\":" + secs(r.last_rel_ns) + ",\"first_seen_utc\":" + json_string(utc(ctx, r.first_rel_ns)) +
               ",\"last_seen_utc\":" + json_string(utc(ctx, r.last_rel_ns)) +
               ",\"heartbeat_period\":" + (r.heartbeat_period_s > 0 ? format_fixed(r.heartbeat_period_s, 3) : "null") +
               ",\"findings\":" + findings_json(r.finding_packets) + ",\"names\":" + json_list(r.names) +
               ",\"country\":" + (r.geo.country.empty() ? "null" : json_string(r.geo.country)) +
               ",\"country_iso\":" + (r.geo.country_iso.empty() ? "null" : json_string(r.geo.country_iso)) +
               ",\"asn\":" + (r.geo.asn ? std::to_string(r.geo.asn) : "null") +
               ",\"as_org\":" + (r.geo.as_org.empty() ? "null" : json_string(r.geo.as_org)) +
               ",\"dead_cloud_answered\":" +
               (r.dead_cloud_answered_rel_ns >= 0 ? secs(r.dead_cloud_answered_rel_ns) : "null") + "}";
    }
    return out + "\n]}\n";
}

}  // namespace phonehome
