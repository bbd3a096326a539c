// The per-device report in both front ends, fed by the "phonehome" tap and
// computed by the core's DeviceReport:
// - tshark: a stat_tap_ui whose draw callback prints the core's text table
//   (`-z phonehome,devices`, with an optional display filter after a comma);
// - Wireshark: a stat_tap_table_ui, listed under Statistics, whose rows are
//   kept in step with the same DeviceReport.
#include "devices_report.hpp"

#include <cstdio>
#include <cstring>
#include <string>
#include <unordered_map>

#include "heuristics/device_report.hpp"
#include "tap_record.hpp"
#include "ws.hpp"

using namespace phonehome;

namespace phonehome::glue {
namespace {

constexpr const char kCliName[] = "phonehome,devices";

// ---- tshark -------------------------------------------------------------

struct CliReport {
    std::string filter;
    DeviceReport report;
};

tap_packet_status cli_packet(void *tapdata, packet_info *, epan_dissect_t *, const void *data, tap_flags_t) {
    auto *ctx = static_cast<CliReport *>(tapdata);
    const auto *rec = static_cast<const TapRecord *>(data);
    try {
        ctx->report.add(rec->facts, rec->roles, rec->findings);
    } catch (...) {
        return TAP_PACKET_FAILED;
    }
    return TAP_PACKET_REDRAW;
}

void cli_reset(void *tapdata) { static_cast<CliReport *>(tapdata)->report.clear(); }

void cli_draw(void *tapdata) {
    auto *ctx = static_cast<CliReport *>(tapdata);
    try {
        const std::string text = ctx->report.render_text(ctx->filter);
        std::fwrite(text.data(), 1, text.size(), stdout);
    } catch (...) {
    }
}

void cli_finish(void *tapdata) { delete static_cast<CliReport *>(tapdata); }

void cli_init(const char *opt_arg, void *) {
    const char *filter = nullptr;
    const size_t n = std::strlen(kCliName);
    if (opt_arg && std::strncmp(opt_arg, kCliName, n) == 0 && opt_arg[n] == ',') filter = opt_arg + n + 1;
    auto *ctx = new CliReport{filter ? filter : "", {}};
    GString *err = register_tap_listener("phonehome", ctx, filter, TL_REQUIRES_NOTHING, cli_reset, cli_packet,
                                         cli_draw, cli_finish);
    if (err) {
        std::fprintf(stderr, "tshark: Couldn't register phonehome,devices tap: %s\n", err->str);
        g_string_free(err, TRUE);
        delete ctx;
        std::exit(1);
    }
}

stat_tap_ui cli_ui = {REGISTER_PACKET_STAT_GROUP_UNSORTED, "phonehome devices", kCliName, cli_init, 0, nullptr};

// ---- Wireshark (Statistics menu) ----------------------------------------

enum Column : guint {
    kColDevice, kColMac, kColPackets, kColBytes, kColFirst, kColLast, kColPerMinute, kColRemoteHosts,
    kColRemoteEndpoints, kColP2p, kColUids, kColP2pServers, kColP2pPeers, kColP2pPrefixes,
    kColFindings  // then one column per finding
};
constexpr guint kColumns = kColFindings + guint(kFindingCount);

stat_tap_table_item gui_fields[kColumns] = {
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Device", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "MAC", "%s"},
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

void set_string(stat_tap_table_item_type *item, const std::string &s) {
    g_free(const_cast<char *>(item->value.string_value));
    item->type = TABLE_ITEM_STRING;
    item->value.string_value = g_strdup(s.c_str());
}

void write_row(stat_tap_table *table, guint index, const DeviceRow &r) {
    stat_tap_table_item_type *cells = table->elements[index];
    set_string(&cells[kColDevice], r.address.to_string());
    set_string(&cells[kColMac], r.has_mac ? format_mac(r.mac) : "-");
    auto uint_cell = [&](guint col, uint64_t v) {
        cells[col].type = TABLE_ITEM_UINT;
        cells[col].value.uint_value = guint(v > G_MAXUINT ? G_MAXUINT : v);
    };
    auto float_cell = [&](guint col, double v) {
        cells[col].type = TABLE_ITEM_FLOAT;
        cells[col].value.float_value = v;
    };
    uint_cell(kColPackets, r.packets);
    uint_cell(kColBytes, r.bytes);
    float_cell(kColFirst, double(r.first_rel_ns) / 1e9);
    float_cell(kColLast, double(r.last_rel_ns) / 1e9);
    float_cell(kColPerMinute, r.packets_per_minute());
    uint_cell(kColRemoteHosts, r.remote_hosts);
    uint_cell(kColRemoteEndpoints, r.remote_endpoints);
    std::string platforms, uids;
    for (P2pPlatform p : r.p2p_platforms) platforms += (platforms.empty() ? "" : ",") + std::string(p2p_platform_name(p));
    for (const std::string &u : r.uids) uids += (uids.empty() ? "" : ",") + u;
    set_string(&cells[kColP2p], platforms);
    set_string(&cells[kColUids], uids);
    uint_cell(kColP2pServers, r.p2p_servers);
    uint_cell(kColP2pPeers, r.p2p_peers);
    uint_cell(kColP2pPrefixes, r.p2p_prefixes);
    for (size_t i = 0; i < kFindingCount; ++i) uint_cell(kColFindings + guint(i), r.finding_packets[i]);
}

// Rewrites the rows of the devices a packet touched; new devices get a row.
tap_packet_status gui_packet(void *tapdata, packet_info *, epan_dissect_t *, const void *data, tap_flags_t) {
    auto *stat = static_cast<stat_data_t *>(tapdata);
    const auto *rec = static_cast<const TapRecord *>(data);
    stat_tap_table *table = stat_tap_find_table(stat->stat_tap_data, kTableName);
    if (!table) return TAP_PACKET_DONT_REDRAW;
    try {
        DeviceReport &report = gui_report();
        const size_t before = report.device_count();
        report.add(rec->facts, rec->roles, rec->findings);
        if (before == report.device_count() && rec->findings == 0 &&
            rec->roles.src_class != AddressClass::Local && rec->roles.dst_class != AddressClass::Local)
            return TAP_PACKET_DONT_REDRAW;
        // Refresh every row (the table is small: one row per device).
        for (const DeviceRow &row : report.rows()) {
            auto [it, inserted] = gui_rows().try_emplace(row.address, table->num_elements);
            if (inserted) {
                stat_tap_table_item_type blank[kColumns];
                std::memset(blank, 0, sizeof blank);
                stat_tap_init_table_row(table, it->second, kColumns, blank);
            }
            write_row(table, it->second, row);
        }
    } catch (...) {
        return TAP_PACKET_FAILED;
    }
    return TAP_PACKET_REDRAW;
}

void gui_free_item(stat_tap_table *, guint, guint column, stat_tap_table_item_type *field) {
    if (column == kColDevice || column == kColMac || column == kColP2p || column == kColUids) {
        g_free(const_cast<char *>(field->value.string_value));
        field->value.string_value = nullptr;
    }
}

void gui_reset(stat_tap_table *table) {
    for (guint i = 0; i < table->num_elements; ++i) {
        for (guint c = 0; c < kColumns; ++c) gui_free_item(table, i, c, &table->elements[i][c]);
        g_free(table->elements[i]);
    }
    g_free(table->elements);
    table->elements = nullptr;
    table->num_elements = 0;
    gui_report().clear();
    gui_rows().clear();
}

tap_param gui_params[] = {{PARAM_FILTER, "filter", "Filter", nullptr, TRUE}};

stat_tap_table_ui gui_ui = {
    REGISTER_PACKET_STAT_GROUP_UNSORTED,
    "phonehome devices",
    "phonehome",
    // The tshark text report owns "phonehome,devices"; this generic table
    // form stays reachable from tshark under its own name.
    "phonehome,devices_table",
    gui_init,
    gui_packet,
    gui_reset,
    gui_free_item,
    nullptr,
    kColumns,
    gui_fields,
    G_N_ELEMENTS(gui_params),
    gui_params,
    nullptr,
    0,
};

}  // namespace

void register_devices_report() {
    fill_finding_columns();
    register_stat_tap_ui(&cli_ui, nullptr);
    register_stat_tap_table_ui(&gui_ui);
}

}  // namespace phonehome::glue
