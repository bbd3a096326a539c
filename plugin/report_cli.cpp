// tshark's -z forms of the reports. Each name is a stat_tap_ui whose draw
// callback prints one rendering of the core's reports:
//   phonehome,devices[,filter]       the per-device text table
//   phonehome,devices.csv / .json    the same, machine-readable
//   phonehome,remotes[,filter]       every Internet remote of each device
//   phonehome,remotes.csv / .json
// An optional display filter follows the name after a comma.
#include <cstdio>
#include <cstring>
#include <string>

#include "heuristics/reports/device_report.hpp"
#include "heuristics/reports/remote_report.hpp"
#include "analysis_state.hpp"
#include "heuristics/reports/report_formats.hpp"
#include "reports.hpp"
#include "tap_record.hpp"
#include "ws.hpp"
#include "ws_compat.hpp"

using namespace phonehome;

namespace phonehome::glue {
namespace {

enum class Form { DevicesText, DevicesCsv, DevicesJson, RemotesText, RemotesCsv, RemotesJson };

struct FormInfo {
    Form form;
    const char *cli;
    const char *title;
};

const FormInfo kForms[] = {
    {Form::DevicesText, "phonehome,devices", "phonehome devices"},
    {Form::DevicesCsv, "phonehome,devices.csv", "phonehome devices (CSV)"},
    {Form::DevicesJson, "phonehome,devices.json", "phonehome devices (JSON)"},
    {Form::RemotesText, "phonehome,remotes", "phonehome remotes"},
    {Form::RemotesCsv, "phonehome,remotes.csv", "phonehome remotes (CSV)"},
    {Form::RemotesJson, "phonehome,remotes.json", "phonehome remotes (JSON)"},
};

bool is_devices(Form f) { return f == Form::DevicesText || f == Form::DevicesCsv || f == Form::DevicesJson; }

struct CliReport {
    Form form;
    std::string filter;
    DeviceReport devices;
    RemoteReport remotes;
};

tap_packet_status cli_packet(void *tapdata, packet_info *, epan_dissect_t *, const void *data, tap_flags_t) {
    auto *ctx = static_cast<CliReport *>(tapdata);
    const auto *rec = static_cast<const TapRecord *>(data);
    try {
        if (is_devices(ctx->form))
            ctx->devices.add(rec->facts, rec->roles, rec->findings);
        else
            ctx->remotes.add(rec->facts, rec->roles, rec->findings, rec->remote_name, rec->heartbeat_period_s,
                             rec->dead_cloud_answered);
    } catch (...) {
        return TAP_PACKET_FAILED;
    }
    return TAP_PACKET_REDRAW;
}

void cli_reset(void *tapdata) {
    auto *ctx = static_cast<CliReport *>(tapdata);
    ctx->devices.clear();
    ctx->remotes.clear();
}

std::string render(const CliReport &ctx) {
    switch (ctx.form) {
    case Form::DevicesText: return ctx.devices.render_text(ctx.filter) + eviction_note();
    case Form::DevicesCsv: return devices_csv(ctx.devices.rows());
    case Form::DevicesJson: return devices_json(ctx.devices.rows());
    case Form::RemotesText: return ctx.remotes.render_text(ctx.filter) + eviction_note();
    case Form::RemotesCsv: return remotes_csv(ctx.remotes.rows());
    case Form::RemotesJson: return remotes_json(ctx.remotes.rows());
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
