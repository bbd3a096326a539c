// Fuzz target for the whole Wireshark plugin: the phonehome postdissector,
// the kalay and pppp dissectors, their preferences, the "phonehome" tap and
// the reports it feeds, driven through libwireshark (Wireshark 4.0 to 4.6; plugin/ws_compat.hpp has what differs).
//
// The plugin's sources are compiled into this binary; plugin_register() runs
// before epan_init(), so epan registers the plugin's protocols as if it had
// loaded phonehome.so. Each input is one raw IP packet (WTAP_ENCAP_RAW_IP).
// Consecutive inputs are the frames of one simulated capture (a session):
// frame numbers and timestamps increase, so the plugin's per-flow state
// machines (pinholes, heartbeats, dead clouds, names learnt from DNS) see
// sequences. Sessions last 1000 inputs, then 2000, 4000, ... up to 64000: each
// new epan session costs libwireshark 4.0.17 about 11 MB it never frees (with
// or without this plugin), so long sessions keep a long run's memory bounded.
// The gap before a frame is chosen by its last byte (a table of gaps around
// the plugin's thresholds, one of them backwards), so repeating a packet
// gives a regular series and a mutation of the last byte a silence.
//
// Each capture then ends as a file close does: the CLI reports render (to
// /dev/null), the tap listeners and tables reset, and a new epan session
// starts (init routines: the analyzer forgets every flow, file-scope memory
// is freed). Sessions rotate through three ways Wireshark dissects:
//   0  tshark -V: a visible tree, taps, one pass;
//   1  plain tshark printing the packet list: no protocol tree at all (the
//      plugin wants no fields, so none is built), taps, one pass;
//   2  the GUI: a visible tree, taps, and every frame dissected a second time
//      once visited (the packet list / detail pane after the first pass).
//
// Also works with tests/fuzz/standalone_driver.cpp, which never calls
// LLVMFuzzerInitialize: the first input initialises lazily.
//
// Wireshark's exceptions are longjmps: no C++ object with a destructor lives
// in a frame that calls into libwireshark.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>

#include <fcntl.h>
#include <unistd.h>

// Every Wireshark header carries its own extern "C" guard (from 4.4 on,
// wireshark.h pulls in C++ templates, so none may be wrapped).
#include <wireshark.h>
#include <epan/column.h>
#include <epan/column-info.h>
#include <epan/disabled_protos.h>
#include <epan/epan.h>
#include <epan/epan_dissect.h>
#include <epan/frame_data.h>
#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/stat_tap_ui.h>
#include <epan/tap.h>
#include <epan/timestamp.h>
#include <epan/tvbuff.h>
#include <wiretap/wtap.h>
#include <wsutil/privileges.h>
#include <wsutil/wslog.h>

// What differs between the Wireshark series (plugin/ws_compat.hpp).
#include "ws_compat.hpp"
namespace ws_compat = phonehome::ws_compat;

// From plugin/plugin_entry.c, compiled into this binary.
extern "C" void plugin_register(void);

// The packet provider of a session: what epan asks back about earlier frames
// (the time reference and the previous displayed frame, for frame.time_*).
struct packet_provider_data {
    guint32 ref_num;
    nstime_t ref_ts;
    guint32 prev_num;
    nstime_t prev_ts;
};

#if defined(__SANITIZE_ADDRESS__)
#define PHONEHOME_FUZZ_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PHONEHOME_FUZZ_ASAN 1
#endif
#endif
#ifndef PHONEHOME_FUZZ_ASAN
#define PHONEHOME_FUZZ_ASAN 0
#endif

namespace {

// Inputs per simulated capture: short ones first (so the standalone driver's
// few thousand inputs see every mode and a report), then long ones.
constexpr guint32 kFirstSessionLength = 1000;
constexpr guint32 kMaxSessionLength = 64000;
constexpr size_t kMaxPacket = 262144;     // WTAP_MAX_PACKET_SIZE_STANDARD
constexpr int kModes = 3;

// Gaps (ns) before a frame, indexed by the frame's last byte: bursts, the
// pinhole silence (20 s by default) on both sides, heartbeat periods, the
// heartbeat maximum period (3600 s) and beyond, and a clock stepping back.
constexpr gint64 kS = 1000000000;
constexpr gint64 kGaps[16] = {0,          1000,      20000000,  300000000, 1 * kS,   5 * kS,
                              10 * kS,    19999999999, 20 * kS,  30 * kS,  60 * kS,  61 * kS,
                              300 * kS,   3601 * kS, 86400 * kS, -2 * kS};

struct State {
    bool ready = false;
    char home[64] = {};
    epan_t *epan = nullptr;
    epan_dissect_t *edt = nullptr;
    column_info cinfo = {};
    packet_provider_data prov = {};
    int mode = 0;
    guint32 session = 0;
    guint32 session_length = kFirstSessionLength;
    guint32 frames_in_session = 0;
    guint32 framenum = 0;  // frame numbers of the session, from 1
    nstime_t now = {};
    nstime_t elapsed = {};
    bool have_prev = false;
    GPtrArray *tables = nullptr;  // stat_data_t* of the plugin's stat_tap_table_ui
    int proto_quic = -1;
    bool verbose = false;         // FUZZ_PLUGIN_VERBOSE=1: one line per dissection
};

State g;

const nstime_t *get_frame_ts(packet_provider_data *prov, guint32 frame_num) {
    static const nstime_t zero = {0, 0};
    if (prov && frame_num == prov->ref_num) return &prov->ref_ts;
    if (prov && frame_num == prov->prev_num) return &prov->prev_ts;
    return &zero;
}

const packet_provider_funcs kProviderFuncs = {get_frame_ts, nullptr, nullptr, nullptr};

void set_pref(const char *name_value) {
    char buf[512];
    g_strlcpy(buf, name_value, sizeof buf);
    char *err = nullptr;
    if (prefs_set_pref(buf, &err) != PREFS_SET_OK) {
        std::fprintf(stderr, "fuzz_plugin: cannot set preference %s: %s\n", name_value, err ? err : "?");
        std::abort();
    }
    g_free(err);
}

// Runs `fn` with stdout sent to /dev/null (the CLI reports print there).
template <typename Fn>
void quietly(Fn fn) {
    std::fflush(stdout);
    const int saved = dup(STDOUT_FILENO);
    const int null_fd = open("/dev/null", O_WRONLY);
    if (saved >= 0 && null_fd >= 0) dup2(null_fd, STDOUT_FILENO);
    fn();
    std::fflush(stdout);
    if (saved >= 0) {
        dup2(saved, STDOUT_FILENO);
        close(saved);
    }
    if (null_fd >= 0) close(null_fd);
}

// The Statistics-menu tables of the plugin, fed as Wireshark's dialogs (or
// tshark's -z NAME,devices_table) feed them: init, then a tap listener.
ws_compat::wmem_foreach_result attach_table(const void *, void *value, void *) {
    auto *ui = static_cast<stat_tap_table_ui *>(value);
    if (!ui || g_strcmp0(ui->tap_name, "phonehome") != 0) return FALSE;
    auto *sd = g_new0(stat_data_t, 1);
    sd->stat_tap_data = ui;
    ui->stat_tap_init_cb(ui);
    GString *err = register_tap_listener(ui->tap_name, sd, nullptr, 0, nullptr, ui->packet_func, nullptr, nullptr);
    if (err) {
        std::fprintf(stderr, "fuzz_plugin: cannot attach table %s: %s\n", ui->cli_string, err->str);
        std::abort();
    }
    g_ptr_array_add(g.tables, sd);
    return FALSE;
}

// With FUZZ_PLUGIN_VERBOSE set, the packet list line of each dissection on
// stderr and the reports on stdout, to see what a reproducer does.
void print_columns(const char *pass) {
    if (!g.verbose) return;
    std::fprintf(stderr, "session %u mode %d %s:", g.session, g.mode, pass);
    for (gint i = 0; i < g.cinfo.num_cols; ++i)
        std::fprintf(stderr, " | %s", g.cinfo.columns[i].col_data ? g.cinfo.columns[i].col_data : "");
    std::fprintf(stderr, "\n");
}

void start_session() {
    g.mode = int(g.session % kModes);
    g.prov = {};
    g.framenum = 0;
    g.frames_in_session = 0;
    g.now.secs = 1700000000;  // 2023-11-14
    g.now.nsecs = 0;
    g.elapsed = {0, 0};
    g.have_prev = false;
    // epan_new() runs the init routines: the plugin's analyzer resets.
    // Wireshark 4.0.17's QUIC dissector fails its own assertion
    // (packet-quic.c:4253 "quic_packet") when it revisits a frame whose first
    // pass threw before storing its per-packet data: `tshark -2` shows it as a
    // dissector bug on a single malformed Initial, without this plugin. Not
    // ours to fix, and it would abort every revisiting session: QUIC is only
    // dissected in the one-pass modes.
    if (g.proto_quic >= 0) proto_set_decoding(g.proto_quic, g.mode != 2);
    g.epan = epan_new(&g.prov, &kProviderFuncs);
    g.edt = epan_dissect_new(g.epan, g.mode != 1, g.mode != 1);
    reset_tap_listeners();
    for (guint i = 0; i < g.tables->len; ++i)
        reset_stat_table(static_cast<stat_data_t *>(g_ptr_array_index(g.tables, i))->stat_tap_data);
}

void end_session() {
    if (g.verbose)
        draw_tap_listeners(TRUE);
    else
        quietly([] { draw_tap_listeners(TRUE); });
    epan_dissect_free(g.edt);
    g.edt = nullptr;
    epan_free(g.epan);  // cleanup routines; file-scope memory goes
    g.epan = nullptr;
    ++g.session;
    g.session_length = std::min(g.session_length * 2, kMaxSessionLength);
}

void remove_home() {
    if (!g.home[0]) return;
    // Wireshark only reads the personal configuration; remove whatever it made.
    std::error_code ec;
    std::filesystem::remove_all(g.home, ec);
}

void init_once() {
    if (g.ready) return;
    g.ready = true;
    g.verbose = g_getenv("FUZZ_PLUGIN_VERBOSE") != nullptr;

    // Dissector bugs and runaway trees abort instead of showing as malformed.
    g_setenv("WIRESHARK_ABORT_ON_DISSECTOR_BUG", "1", TRUE);
    g_setenv("WIRESHARK_ABORT_ON_TOO_MANY_ITEMS", "1", TRUE);
#if PHONEHOME_FUZZ_ASAN
    // Every wmem and GSlice block its own malloc, so ASan sees overflows of
    // the plugin's wmem allocations. Overridable from the environment.
    g_setenv("WIRESHARK_DEBUG_WMEM_OVERRIDE", "simple", FALSE);
    g_setenv("G_SLICE", "always-malloc", FALSE);
#endif
    // A scratch personal configuration: no user's preferences, profiles or
    // plugins leak in, nothing is written to the real home.
    g_strlcpy(g.home, "/tmp/fuzz_plugin.XXXXXX", sizeof g.home);
    if (!g_mkdtemp(g.home)) {
        std::perror("fuzz_plugin: mkdtemp");
        std::abort();
    }
    std::atexit(remove_home);
    g_setenv("HOME", g.home, TRUE);
    g_setenv("XDG_CONFIG_HOME", g.home, TRUE);
    g_setenv("XDG_CACHE_HOME", g.home, TRUE);
    g_setenv("XDG_DATA_HOME", g.home, TRUE);
    g_unsetenv("WIRESHARK_CONFIG_DIR");
    g_unsetenv("WIRESHARK_PLUGIN_DIR");

    // Messages and worse on stderr (WIRESHARK_LOG_LEVEL and friends apply).
    ws_compat::log_init("fuzz_plugin");
    init_process_policies();
    timestamp_set_type(TS_RELATIVE);
    timestamp_set_precision(TS_PREC_AUTO);
    timestamp_set_seconds_type(TS_SECONDS_DEFAULT);

    wtap_init(FALSE);
    plugin_register();  // before epan_init: proto_init() registers it
    if (!epan_init(nullptr, nullptr, FALSE)) {
        std::fprintf(stderr, "fuzz_plugin: epan_init failed\n");
        std::abort();
    }
    e_prefs *prefs_p = epan_load_settings();
    if (proto_get_id_by_filter_name("phonehome") < 0 || proto_get_id_by_filter_name("kalay") < 0 || proto_get_id_by_filter_name("pppp") < 0) {
        std::fprintf(stderr, "fuzz_plugin: the plugin's protocols are not registered\n");
        std::abort();
    }
    proto_disable_proto_by_name("snort");
    g.proto_quic = proto_get_id_by_filter_name("quic");
    // Non-default preferences, so their paths run too: an extra PPPP key (the
    // bundled pppp.pcap's "myvendorkey" device), an IPv6 home /64, and an
    // allowlist that downgrades some remotes' findings to Notes.
    set_pref("pppp.keys:myvendorkey");
    set_pref("phonehome.local_networks:2a01:cb00:7a1c:4e00::/64");
    set_pref("phonehome.allowlist:3.67.119.71,2600:1f18::/32");
    prefs_apply_all();

    build_column_format_array(&g.cinfo, prefs_p->num_cols, TRUE);

    // Every report of the plugin listens on its tap: the -z forms...
    const char *reports[] = {"phonehome,devices",      "phonehome,devices.csv", "phonehome,devices.json",
                             "phonehome,remotes",      "phonehome,remotes.csv", "phonehome,remotes.json"};
    for (const char *r : reports) {
        if (!process_stat_cmd_arg(r)) {
            std::fprintf(stderr, "fuzz_plugin: no report %s\n", r);
            std::abort();
        }
    }
    start_requested_stats();
    // ...and the Statistics menu tables.
    g.tables = g_ptr_array_new();
    stat_tap_iterate_tables(attach_table, nullptr);
    if (g.tables->len == 0) {
        std::fprintf(stderr, "fuzz_plugin: the plugin registered no stat tables\n");
        std::abort();
    }
    start_session();
}

void dissect(const uint8_t *data, size_t size) {
    if (g.frames_in_session == g.session_length) {
        end_session();
        start_session();
    }
    ++g.frames_in_session;

    const guint32 len = guint32(size);
    const gint64 gap = size ? kGaps[data[size - 1] & 15] : kGaps[0];
    gint64 ns = gint64(g.now.secs) * kS + g.now.nsecs + gap;
    if (ns < 0) ns = 0;
    g.now.secs = time_t(ns / kS);
    g.now.nsecs = int(ns % kS);

    wtap_rec rec;
    ws_compat::packet_rec_init(&rec, WTAP_ENCAP_RAW_IP, data, len);
    rec.presence_flags = WTAP_HAS_TS | WTAP_HAS_CAP_LEN;
    rec.ts = g.now;
    rec.tsprec = WTAP_TSPREC_NSEC;

    frame_data fd;
    frame_data_init(&fd, ++g.framenum, &rec, 0, 0);
    frame_data ref = {}, prev = {};
    ref.num = g.prov.ref_num;
    ref.abs_ts = g.prov.ref_ts;
    prev.num = g.prov.prev_num;
    prev.abs_ts = g.prov.prev_ts;
    const frame_data *ref_p = g.prov.ref_num ? &ref : nullptr;
    frame_data_set_before_dissect(&fd, &g.elapsed, &ref_p, g.have_prev ? &prev : nullptr);
    if (!g.prov.ref_num) {
        g.prov.ref_num = fd.num;
        g.prov.ref_ts = fd.abs_ts;
    }

    // First pass, in capture order, with the taps (tshark; Wireshark reading
    // the file).
    ws_compat::dissect_packet_rec(g.edt, true, &rec, data, len, &fd, &g.cinfo);
    epan_dissect_fill_in_columns(g.edt, FALSE, TRUE);
    print_columns("first");
    guint32 cum_bytes = 0;
    frame_data_set_after_dissect(&fd, &cum_bytes);
    epan_dissect_reset(g.edt);

    if (g.mode == 2) {
        // The frame again, now visited: what the stored per-frame record
        // gives on every later dissection.
        ws_compat::dissect_packet_rec(g.edt, false, &rec, data, len, &fd, &g.cinfo);
        epan_dissect_fill_in_columns(g.edt, FALSE, TRUE);
        print_columns("again");
        epan_dissect_reset(g.edt);
    }

    g.prov.prev_num = fd.num;
    g.prov.prev_ts = fd.abs_ts;
    g.have_prev = true;
    frame_data_destroy(&fd);
    ws_compat::packet_rec_cleanup(&rec);
}

}  // namespace

// libwireshark leaks its registries by design: leak reports would drown
// anything real (and libFuzzer's leak checks slow it to a crawl). Still
// overridable with ASAN_OPTIONS.
extern "C" const char *__asan_default_options() { return "detect_leaks=0"; }

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
    init_once();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    init_once();
    if (size > kMaxPacket) return 0;
    dissect(data, size);
    return 0;
}
