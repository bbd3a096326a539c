// Statistics > IoT Phone-Home > Devices: a stat_tap_table_ui whose rows are
// kept in step with the core's DeviceReport, fed by the "phonehome" tap.
//
// Wireshark's dialog sorts by the first column when it opens, so the first
// column is the row's rank in the report's own order (findings first); the
// findings come right after the device, where the dialog's default width
// shows them; a Filter column holds the display filter of the row's device,
// to copy (the dialog offers no "apply as filter" for these tables).
#include "reports.hpp"

#include <string>
#include <unordered_map>

#include "heuristics/reports/device_report.hpp"
#include "heuristics/reports/text_reports.hpp"
#include "report_identity.hpp"
#include "stat_table_util.hpp"
#include "tap_record.hpp"
#include "ws.hpp"

using namespace phonehome;

namespace phonehome::glue {
namespace {

enum Column : guint {
    kColRank, kColDevice, kColFindings, kColIdentity, kColPackets, kColBytes, kColRemoteHosts, kColFirst, kColLast,
    kColP2p, kColFilter,
    kColumns
};

stat_tap_table_item gui_fields[kColumns] = {
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "#", "%u"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Device", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Findings (packets)", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Name and vendor", "%s"},
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Packets", "%u"},
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Bytes", "%u"},
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Internet hosts", "%u"},
    {TABLE_ITEM_FLOAT, TAP_ALIGN_RIGHT, "First seen (s)", "%.3f"},
    {TABLE_ITEM_FLOAT, TAP_ALIGN_RIGHT, "Last seen (s)", "%.3f"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "P2P UIDs", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Filter", "%s"},
};

constexpr const char kTableName[] = "Devices";
// Ranks are kept in order while the table is no bigger than this; past it
// (a flood of addresses) re-ranking on every change would cost too much,
// and new rows keep the rank of their arrival.
constexpr size_t kMaxRanked = 20000;

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
    stat_tap_add_table(ui, stat_tap_init_table(kTableName, kColumns, 0, nullptr));
}

std::string findings_cell(const DeviceRow &r) {
    std::string out;
    for (size_t i = 0; i < kFindingCount; ++i)
        if (r.finding_packets[i])
            out += (out.empty() ? "" : ", ") + std::string(kFindings[i].name) + " " + std::to_string(r.finding_packets[i]);
    return out.empty() ? "-" : out;
}

void write_row(stat_tap_table *table, guint index, DeviceRow &r) {
    report_identity().fill(r);
    stat_tap_table_item_type *cells = table->elements[index];
    cell_string(&cells[kColDevice], r.address.to_string());
    cell_string(&cells[kColIdentity], identity_text(r));
    cell_string(&cells[kColFindings], findings_cell(r));
    cell_uint(&cells[kColPackets], r.packets);
    cell_uint(&cells[kColBytes], r.bytes);
    cell_uint(&cells[kColRemoteHosts], r.remote_hosts);
    cell_float(&cells[kColFirst], double(r.first_rel_ns) / 1e9);
    cell_float(&cells[kColLast], double(r.last_rel_ns) / 1e9);
    cell_string(&cells[kColP2p], r.uids.empty() ? "-" : r.uids_text(", "));
    cell_string(&cells[kColFilter], std::string(r.address.is_v4() ? "phonehome.device == " : "phonehome.device6 == ") +
                                        r.address.to_string());
}

void rank_rows(stat_tap_table *table) {
    guint rank = 1;
    for (const DeviceRow &r : gui_report().rows()) {
        auto it = gui_rows().find(r.address);
        if (it != gui_rows().end()) cell_uint(&table->elements[it->second][kColRank], rank++);
    }
}

// Keeps the rows of the devices a packet touched up to date; new devices get
// a row, and the ranks follow when the order may have changed.
tap_packet_status gui_packet(void *tapdata, packet_info *, epan_dissect_t *, const void *data, tap_flags_t) {
    auto *stat = static_cast<stat_data_t *>(tapdata);
    const auto *rec = static_cast<const TapRecord *>(data);
    stat_tap_table *table = stat_tap_find_table(stat->stat_tap_data, kTableName);
    if (!table) return TAP_PACKET_DONT_REDRAW;
    try {
        DeviceReport &report = gui_report();
        report.add(rec->facts, rec->roles, rec->findings);
        bool changed = false, reorder = rec->findings != 0;
        for (const IpAddress &addr : {rec->facts.src, rec->facts.dst}) {
            DeviceRow row;
            if (!report.row(addr, &row)) continue;
            auto it = gui_rows().find(addr);
            if (it == gui_rows().end()) {
                it = gui_rows().emplace(addr, append_row(table, kColumns)).first;
                cell_uint(&table->elements[it->second][kColRank], gui_rows().size());
                reorder = true;
            }
            write_row(table, it->second, row);
            changed = true;
        }
        if (!changed) return TAP_PACKET_DONT_REDRAW;
        if (reorder && gui_rows().size() <= kMaxRanked) rank_rows(table);
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
    // tshark's text report (report_cli.cpp) owns "phonehome,devices"; this
    // generic table form stays reachable from tshark under its own name, and
    // the title puts it in Statistics > IoT Phone-Home.
    static stat_tap_table_ui ui =
        table_ui("IoT Phone-Home/Devices", "phonehome,devices_table", gui_init, gui_packet, gui_reset, kColumns, gui_fields);
    register_stat_tap_table_ui(&ui);
}

void register_reports() {
    register_report_cli();
    register_devices_table();
    register_remotes_table();
}

}  // namespace phonehome::glue
