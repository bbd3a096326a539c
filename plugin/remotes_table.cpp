// Statistics > phonehome remotes: every Internet remote of each local device,
// as a stat_tap_table_ui kept in step with the core's RemoteReport.
#include <map>
#include <string>
#include <utility>

#include "heuristics/reports/remote_report.hpp"
#include "reports.hpp"
#include "stat_table_util.hpp"
#include "tap_record.hpp"
#include "ws.hpp"

using namespace phonehome;

namespace phonehome::glue {
namespace {

enum Column : guint {
    kColDevice, kColRemote, kColName, kColServices, kColPacketsOut, kColBytesOut, kColPacketsIn, kColBytesIn,
    kColFirst, kColLast, kColHeartbeat, kColFindings,
    kColumns
};

stat_tap_table_item gui_fields[kColumns] = {
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Device", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Remote", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Name", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Services", "%s"},
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Packets out", "%u"},
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Bytes out", "%u"},
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Packets in", "%u"},
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Bytes in", "%u"},
    {TABLE_ITEM_FLOAT, TAP_ALIGN_RIGHT, "First seen (s)", "%.3f"},
    {TABLE_ITEM_FLOAT, TAP_ALIGN_RIGHT, "Last seen (s)", "%.3f"},
    {TABLE_ITEM_FLOAT, TAP_ALIGN_RIGHT, "Heartbeat (s)", "%.1f"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Findings", "%s"},
};

constexpr const char kTableName[] = "Remotes";

// One report and one (device, remote) -> row map behind the shared table.
RemoteReport &gui_report() {
    static RemoteReport r;
    return r;
}
std::map<std::pair<IpAddress, IpAddress>, guint> &gui_rows() {
    static std::map<std::pair<IpAddress, IpAddress>, guint> m;
    return m;
}

void gui_init(stat_tap_table_ui *ui) {
    if (stat_tap_find_table(ui, kTableName)) return;
    stat_tap_add_table(ui, stat_tap_init_table(kTableName, kColumns, 0, "phonehome.remote == \"%s\""));
}

void write_row(stat_tap_table *table, guint index, const RemoteRow &r) {
    stat_tap_table_item_type *cells = table->elements[index];
    cell_string(&cells[kColDevice], r.device.to_string());
    cell_string(&cells[kColRemote], r.remote.to_string());
    cell_string(&cells[kColName], r.name);
    cell_string(&cells[kColServices], r.services_text());
    cell_uint(&cells[kColPacketsOut], r.packets_out);
    cell_uint(&cells[kColBytesOut], r.bytes_out);
    cell_uint(&cells[kColPacketsIn], r.packets_in);
    cell_uint(&cells[kColBytesIn], r.bytes_in);
    cell_float(&cells[kColFirst], double(r.first_rel_ns) / 1e9);
    cell_float(&cells[kColLast], double(r.last_rel_ns) / 1e9);
    cell_float(&cells[kColHeartbeat], r.heartbeat_period_s);
    cell_string(&cells[kColFindings], r.findings_text());
}

tap_packet_status gui_packet(void *tapdata, packet_info *, epan_dissect_t *, const void *data, tap_flags_t) {
    auto *stat = static_cast<stat_data_t *>(tapdata);
    const auto *rec = static_cast<const TapRecord *>(data);
    if (!rec->roles.phonehome) return TAP_PACKET_DONT_REDRAW;
    stat_tap_table *table = stat_tap_find_table(stat->stat_tap_data, kTableName);
    if (!table) return TAP_PACKET_DONT_REDRAW;
    try {
        RemoteReport &report = gui_report();
        report.add(rec->facts, rec->roles, rec->findings, rec->remote_name, rec->heartbeat_period_s,
                   rec->dead_cloud_answered);
        if (const RemoteRow *row = report.find(rec->roles.device, rec->roles.remote)) {
            const auto key = std::make_pair(row->device, row->remote);
            auto it = gui_rows().find(key);
            if (it == gui_rows().end()) it = gui_rows().emplace(key, append_row(table, kColumns)).first;
            write_row(table, it->second, *row);
        }
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

void register_remotes_table() {
    static stat_tap_table_ui ui =
        table_ui("phonehome remotes", "phonehome,remotes_table", gui_init, gui_packet, gui_reset, kColumns, gui_fields);
    register_stat_tap_table_ui(&ui);
}

}  // namespace phonehome::glue
