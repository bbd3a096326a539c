// Statistics > IoT Phone-Home > Remotes: every Internet remote of each local
// device, as a stat_tap_table_ui kept in step with the core's RemoteReport.
// As in the Devices table, the first column is the row's rank (the dialog
// sorts by it when it opens) and the last the row's display filter.
#include <map>
#include <string>
#include <utility>

#include "heuristics/reports/remote_report.hpp"
#include "heuristics/reports/text_table.hpp"
#include "report_identity.hpp"
#include "reports.hpp"
#include "stat_table_util.hpp"
#include "tap_record.hpp"
#include "ws.hpp"

using namespace phonehome;

namespace phonehome::glue {
namespace {

enum Column : guint {
    kColRank, kColDevice, kColRemote, kColFindings, kColNames, kColWhere, kColServices, kColPacketsOut, kColPacketsIn,
    kColLast, kColHeartbeat, kColFilter,
    kColumns
};

stat_tap_table_item gui_fields[kColumns] = {
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "#", "%u"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Device", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Remote", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Findings (packets)", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Names", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Country and AS owner", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Services", "%s"},
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Packets out", "%u"},
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Packets in", "%u"},
    {TABLE_ITEM_FLOAT, TAP_ALIGN_RIGHT, "Last seen (s)", "%.3f"},
    {TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Heartbeat (s)", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Filter", "%s"},
};

constexpr const char kTableName[] = "Remotes";
constexpr size_t kMaxRanked = 20000;  // as in the Devices table

using Key = std::pair<IpAddress, IpAddress>;

// One report and one (device, remote) -> row map behind the shared table.
RemoteReport &gui_report() {
    static RemoteReport r;
    return r;
}
std::map<Key, guint> &gui_rows() {
    static std::map<Key, guint> m;
    return m;
}

void gui_init(stat_tap_table_ui *ui) {
    if (stat_tap_find_table(ui, kTableName)) return;
    stat_tap_add_table(ui, stat_tap_init_table(kTableName, kColumns, 0, nullptr));
}

std::string where_cell(const RemoteRow &r) {
    std::string out = r.geo.country;
    const std::string owner = r.owner_text();
    if (owner != "-") out += (out.empty() ? "" : ", ") + owner;
    return out.empty() ? "-" : out;
}

std::string findings_cell(const RemoteRow &r) {
    std::string out;
    for (size_t i = 0; i < kFindingCount; ++i)
        if (r.finding_packets[i])
            out += (out.empty() ? "" : ", ") + std::string(kFindings[i].name) + " " + std::to_string(r.finding_packets[i]);
    // A dead cloud that answered after all says when.
    if (r.dead_cloud_answered_rel_ns >= 0)
        out += " (answered at " + format_fixed(double(r.dead_cloud_answered_rel_ns) / 1e9, 1) + " s)";
    return out.empty() ? "-" : out;
}

std::string filter_cell(const RemoteRow &r) {
    auto term = [](const char *v4, const char *v6, const IpAddress &a) {
        return std::string(a.is_v4() ? v4 : v6) + " == " + a.to_string();
    };
    return term("phonehome.device", "phonehome.device6", r.device) + " && " +
           term("phonehome.remote", "phonehome.remote6", r.remote);
}

void write_row(stat_tap_table *table, guint index, RemoteRow r) {
    report_identity().fill(r);
    stat_tap_table_item_type *cells = table->elements[index];
    cell_string(&cells[kColDevice], r.device.to_string());
    cell_string(&cells[kColRemote], r.remote.to_string());
    cell_string(&cells[kColNames], r.names_text(", "));
    cell_string(&cells[kColWhere], where_cell(r));
    cell_string(&cells[kColServices], r.services_text());
    cell_string(&cells[kColFindings], findings_cell(r));
    cell_uint(&cells[kColPacketsOut], r.packets_out);
    cell_uint(&cells[kColPacketsIn], r.packets_in);
    cell_float(&cells[kColLast], double(r.last_rel_ns) / 1e9);
    char period[32];
    g_snprintf(period, sizeof period, "%.1f", r.heartbeat_period_s);
    cell_string(&cells[kColHeartbeat], r.heartbeat_period_s > 0 ? period : "-");
    cell_string(&cells[kColFilter], filter_cell(r));
}

void rank_rows(stat_tap_table *table) {
    guint rank = 1;
    for (const RemoteRow &r : gui_report().rows()) {
        auto it = gui_rows().find(Key{r.device, r.remote});
        if (it != gui_rows().end()) cell_uint(&table->elements[it->second][kColRank], rank++);
    }
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
        const RemoteRow *row = report.find(rec->roles.device, rec->roles.remote);
        if (!row) return TAP_PACKET_DONT_REDRAW;
        bool reorder = rec->findings != 0;
        const Key key{row->device, row->remote};
        auto it = gui_rows().find(key);
        if (it == gui_rows().end()) {
            it = gui_rows().emplace(key, append_row(table, kColumns)).first;
            cell_uint(&table->elements[it->second][kColRank], gui_rows().size());
            reorder = true;
        }
        write_row(table, it->second, *row);
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

void register_remotes_table() {
    static stat_tap_table_ui ui =
        table_ui("IoT Phone-Home/Remotes", "phonehome,remotes_table", gui_init, gui_packet, gui_reset, kColumns, gui_fields);
    register_stat_tap_table_ui(&ui);
}

}  // namespace phonehome::glue
