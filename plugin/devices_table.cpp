// Statistics > phonehome devices: a stat_tap_table_ui whose rows are kept in
// step with the core's DeviceReport, fed by the "phonehome" tap.
#include "reports.hpp"

#include <cstdio>
#include <cstring>
#include <string>
#include <unordered_map>

#include "heuristics/reports/device_report.hpp"
#include "report_identity.hpp"
#include "stat_table_util.hpp"
#include "tap_record.hpp"
#include "ws.hpp"

using namespace phonehome;

namespace phonehome::glue {
namespace {

// ---- Wireshark (Statistics menu) ----------------------------------------

enum Column : guint {
    kColDevice, kColMac, kColVendor, kColNames, kColPackets, kColBytes, kColFirst, kColLast, kColPerMinute, kColRemoteHosts,
    kColRemoteEndpoints, kColP2p, kColUids, kColP2pServers, kColP2pPeers, kColP2pPrefixes,
    kColFindings  // then one column per finding
};
constexpr guint kColumns = kColFindings + guint(kFindingCount);

stat_tap_table_item gui_fields[kColumns] = {
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Device", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "MAC", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Vendor", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Names", "%s"},
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Packets", "%u"},
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Bytes", "%u"},
    {TABLE_ITEM_FLOAT, TAP_ALIGN_RIGHT, "First seen (s)", "%.3f"},
    {TABLE_ITEM_FLOAT, TAP_ALIGN_RIGHT, "Last seen (s)", "%.3f"},
    {TABLE_ITEM_FLOAT, TAP_ALIGN_RIGHT, "Pkts/min", "%.1f"},
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Remote hosts", "%u"},
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Remote endpoints", "%u"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "P2P", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "UIDs", "%s"},
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "P2P servers", "%u"},
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "P2P peers", "%u"},
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "P2P /16s", "%u"},
    // One column per finding, named after it (filled in by fill_finding_columns).
};

void fill_finding_columns() {
    for (size_t i = 0; i < kFindingCount; ++i)
        gui_fields[kColFindings + i] = {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, kFindings[i].name, "%u"};
}

constexpr const char kTableName[] = "Devices";

// The GUI's table is shared by every open dialog of this statistic, so one
// DeviceReport and one address -> row map back it.
DeviceReport &gui_report() {
    static DeviceReport r;
    return r;
}
std::unordered_map<IpAddress, guint, IpAddressHash> &gui_rows() {
    static std::unordered_map<IpAddress, guint, IpAddressHash> m;
    return m;
}

void gui_init(stat_tap_table_ui *ui) {
    if (stat_tap_find_table(ui, kTableName)) return;
    stat_tap_table *table = stat_tap_init_table(kTableName, kColumns, 0, "phonehome.device == \"%s\"");
    stat_tap_add_table(ui, table);
}

void write_row(stat_tap_table *table, guint index, DeviceRow &r) {
    report_identity().fill(r);
    stat_tap_table_item_type *cells = table->elements[index];
    cell_string(&cells[kColDevice], r.address.to_string());
    cell_string(&cells[kColMac], r.has_mac ? format_mac(r.mac) : "-");
    cell_string(&cells[kColVendor], r.vendor);
    cell_string(&cells[kColNames], r.names_text(", "));
    cell_uint(&cells[kColPackets], r.packets);
    cell_uint(&cells[kColBytes], r.bytes);
    cell_float(&cells[kColFirst], double(r.first_rel_ns) / 1e9);
    cell_float(&cells[kColLast], double(r.last_rel_ns) / 1e9);
    cell_float(&cells[kColPerMinute], r.packets_per_minute());
    cell_uint(&cells[kColRemoteHosts], r.remote_hosts);
    cell_uint(&cells[kColRemoteEndpoints], r.remote_endpoints);
    cell_string(&cells[kColP2p], r.platforms_text(","));
    cell_string(&cells[kColUids], r.uids_text(","));
    cell_uint(&cells[kColP2pServers], r.p2p_servers);
    cell_uint(&cells[kColP2pPeers], r.p2p_peers);
    cell_uint(&cells[kColP2pPrefixes], r.p2p_prefixes);
    for (size_t i = 0; i < kFindingCount; ++i) cell_uint(&cells[kColFindings + guint(i)], r.finding_packets[i]);
}

// Keeps the rows of the devices a packet touched up to date; new devices get
// a row.
tap_packet_status gui_packet(void *tapdata, packet_info *, epan_dissect_t *, const void *data, tap_flags_t) {
    auto *stat = static_cast<stat_data_t *>(tapdata);
    const auto *rec = static_cast<const TapRecord *>(data);
    stat_tap_table *table = stat_tap_find_table(stat->stat_tap_data, kTableName);
    if (!table) return TAP_PACKET_DONT_REDRAW;
    try {
        DeviceReport &report = gui_report();
        report.add(rec->facts, rec->roles, rec->findings);
        // Rewrite the rows of the devices this packet touched.
        bool changed = false;
        for (const IpAddress &addr : {rec->facts.src, rec->facts.dst}) {
            DeviceRow row;
            if (!report.row(addr, &row)) continue;
            auto it = gui_rows().find(addr);
            if (it == gui_rows().end()) it = gui_rows().emplace(addr, append_row(table, kColumns)).first;
            write_row(table, it->second, row);
            changed = true;
        }
        if (!changed) return TAP_PACKET_DONT_REDRAW;
    } catch (...) {
        return TAP_PACKET_FAILED;
    }
    return TAP_PACKET_REDRAW;
}

void gui_reset(stat_tap_table *table) {
    clear_rows(table, kColumns);
    gui_report().clear();
    gui_rows().clear();
}

}  // namespace

void register_devices_table() {
    fill_finding_columns();
    // tshark's text report (report_cli.cpp) owns "phonehome,devices"; this
    // generic table form stays reachable from tshark under its own name.
    static stat_tap_table_ui ui =
        table_ui("phonehome devices", "phonehome,devices_table", gui_init, gui_packet, gui_reset, kColumns, gui_fields);
    register_stat_tap_table_ui(&ui);
}

void register_reports() {
    register_report_cli();
    register_devices_table();
    register_remotes_table();
}

}  // namespace phonehome::glue
