// tshark's -z forms of the reports. Each name is a stat_tap_ui whose draw
// callback prints one rendering of the core's reports:
//   phonehome,devices[,filter]       each device: identity, traffic, findings, verdict
//   phonehome,devices.full           every column, as a wide table
//   phonehome,devices.csv / .json    the same, machine-readable
//   phonehome,remotes[,filter]       every Internet remote of each device
//   phonehome,remotes.full / .csv / .json
// An optional display filter follows the name after a comma.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>

#include "heuristics/reports/device_report.hpp"
#include "heuristics/reports/remote_report.hpp"
#include "analysis_state.hpp"
#include "heuristics/reports/report_formats.hpp"
#include "heuristics/reports/text_reports.hpp"
#include "report_context_ws.hpp"
#include "report_identity.hpp"
#include "reports.hpp"
#include "tap_record.hpp"
#include "ws.hpp"
#include "ws_compat.hpp"

using namespace phonehome;

namespace phonehome::glue {
namespace {

enum class Form { Devices, DevicesFull, DevicesCsv, DevicesJson, Remotes, RemotesFull, RemotesCsv, RemotesJson };

struct FormInfo {
    Form form;
    const char *cli;
    const char *title;
};

const FormInfo kForms[] = {
    {Form::Devices, "phonehome,devices", "phonehome devices"},
    {Form::DevicesFull, "phonehome,devices.full", "phonehome devices (all columns)"},
    {Form::DevicesCsv, "phonehome,devices.csv", "phonehome devices (CSV)"},
    {Form::DevicesJson, "phonehome,devices.json", "phonehome devices (JSON)"},
    {Form::Remotes, "phonehome,remotes", "phonehome remotes"},
    {Form::RemotesFull, "phonehome,remotes.full", "phonehome remotes (all columns)"},
    {Form::RemotesCsv, "phonehome,remotes.csv", "phonehome remotes (CSV)"},
    {Form::RemotesJson, "phonehome,remotes.json", "phonehome remotes (JSON)"},
};

// Both reports are fed whatever the form: a device's verdict needs its
// conversations, a conversation its device's identity.
struct CliReport {
    Form form;
    std::string filter;
    DeviceReport devices;
    RemoteReport remotes;
    bool have_capture = false;
    int64_t capture_start_ns = 0, last_packet_ns = 0;
};

tap_packet_status cli_packet(void *tapdata, packet_info *, epan_dissect_t *, const void *data, tap_flags_t) {
    auto *ctx = static_cast<CliReport *>(tapdata);
    const auto *rec = static_cast<const TapRecord *>(data);
    try {
        ctx->devices.add(rec->facts, rec->roles, rec->findings);
        ctx->remotes.add(rec->facts, rec->roles, rec->findings, rec->remote_name, rec->heartbeat_period_s,
                         rec->dead_cloud_answered);
        // The capture's first packet is where every packet's relative time
        // counts from.
        if (!ctx->have_capture) ctx->capture_start_ns = rec->facts.time_ns - rec->facts.rel_time_ns;
        ctx->last_packet_ns = ctx->have_capture ? std::max(ctx->last_packet_ns, rec->facts.time_ns) : rec->facts.time_ns;
        ctx->have_capture = true;
    } catch (...) {
        return TAP_PACKET_FAILED;
    }
    return TAP_PACKET_REDRAW;
}

void cli_reset(void *tapdata) {
    auto *ctx = static_cast<CliReport *>(tapdata);
    ctx->devices.clear();
    ctx->remotes.clear();
    ctx->have_capture = false;
}

ReportContext context_of(const CliReport &r) {
    ReportContext ctx = report_context();
    ctx.filter = r.filter;
    ctx.have_capture = r.have_capture;
    ctx.capture_start_ns = r.capture_start_ns;
    ctx.last_packet_ns = r.last_packet_ns;
    return ctx;
}

std::string render(const CliReport &r) {
    const RowIdentity *id = &report_identity();
    const ReportContext ctx = context_of(r);
    const std::string notes = eviction_note();
    switch (r.form) {
    case Form::Devices:
        return devices_text(r.devices.rows(id), r.remotes.rows(id), ctx, r.devices.notes() + notes);
    case Form::DevicesFull: return devices_full_text(r.devices.rows(id), ctx, r.devices.notes() + notes);
    case Form::DevicesCsv: return devices_csv(r.devices.rows(id), ctx);
    case Form::DevicesJson: return devices_json(r.devices.rows(id), ctx);
    case Form::Remotes:
        return remotes_text(r.remotes.rows(id), r.devices.rows(id), ctx, r.remotes.notes() + notes);
    case Form::RemotesFull: return remotes_full_text(r.remotes.rows(id), ctx, r.remotes.notes() + notes);
    case Form::RemotesCsv: return remotes_csv(r.remotes.rows(id), ctx);
    case Form::RemotesJson: return remotes_json(r.remotes.rows(id), ctx);
    }
    return {};
}

void cli_draw(void *tapdata) {
    try {
        const std::string text = render(*static_cast<CliReport *>(tapdata));
        std::fwrite(text.data(), 1, text.size(), stdout);
    } catch (...) {
    }
}

void cli_finish(void *tapdata) { delete static_cast<CliReport *>(tapdata); }

ws_compat::cli_init_result cli_init(const char *opt_arg, void *userdata) {
    const auto *info = static_cast<const FormInfo *>(userdata);
    const char *filter = nullptr;
    const size_t n = std::strlen(info->cli);
    if (opt_arg && std::strncmp(opt_arg, info->cli, n) == 0 && opt_arg[n] == ',') filter = opt_arg + n + 1;
    auto *ctx = new CliReport{info->form, filter ? filter : "", DeviceReport(), RemoteReport()};
    GString *err = register_tap_listener("phonehome", ctx, filter, TL_REQUIRES_NOTHING, cli_reset, cli_packet,
                                         cli_draw, cli_finish);
    if (err) {
        std::fprintf(stderr, "tshark: Couldn't register %s tap: %s\n", info->cli, err->str);
        g_string_free(err, TRUE);
        delete ctx;
        return ws_compat::cli_init_done(false);
    }
    return ws_compat::cli_init_done(true);
}

}  // namespace

void register_report_cli() {
    static stat_tap_ui uis[G_N_ELEMENTS(kForms)];
    for (size_t i = 0; i < G_N_ELEMENTS(kForms); ++i) {
        uis[i] = {REGISTER_PACKET_STAT_GROUP_UNSORTED, kForms[i].title, kForms[i].cli, cli_init, 0, nullptr};
        register_stat_tap_ui(&uis[i], const_cast<FormInfo *>(&kForms[i]));
    }
}

}  // namespace phonehome::glue
