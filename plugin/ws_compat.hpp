// The differences between the Wireshark series phonehome builds against (4.0,
// 4.2, 4.4, 4.6), in one place. Callback return types are deduced from
// Wireshark's own typedefs, so they follow whatever the headers say; only the
// functions 4.6 removed are chosen by version.
#pragma once

#include "ws.hpp"

#include <epan/epan.h>
#include <wiretap/wtap.h>
#include <wsutil/wslog.h>

#include <cstdint>
#include <cstdlib>
#include <type_traits>

// Series from 4.6 on, where the removed functions have replacements.
#define PHONEHOME_WS_AT_LEAST_4_6 \
    (WIRESHARK_VERSION_MAJOR > 4 || (WIRESHARK_VERSION_MAJOR == 4 && WIRESHARK_VERSION_MINOR >= 6))

namespace phonehome::ws_compat {

template <typename F>
struct callback_result;
template <typename R, typename... Args>
struct callback_result<R (*)(Args...)> {
    using type = R;
};
template <typename F>
using callback_result_t = typename callback_result<F>::type;

// gboolean in 4.0, bool from 4.4 (heur_dissector_t), from 4.2 (uat_update_cb_t,
// wmem_foreach_func).
using heur_result = callback_result_t<heur_dissector_t>;
using uat_update_result = callback_result_t<uat_update_cb_t>;
using wmem_foreach_result = callback_result_t<wmem_foreach_func>;
// The init callback of a -z report: void up to 4.4, bool from 4.6.
using cli_init_result = callback_result_t<stat_tap_init_cb>;

// What a -z report's init callback gives back. A failure exits tshark (as
// Wireshark's own reports do) where the callback cannot report it, and is
// returned where it can (4.6).
inline cli_init_result cli_init_done(bool ok) {
    if constexpr (std::is_void_v<cli_init_result>) {
        if (!ok) std::exit(1);
    } else {
        return static_cast<cli_init_result>(ok);
    }
}

// The tvb of a named data source of the frame ("Decrypted QUIC"), or null.
// 4.6 replaced get_data_source_tvb_by_name with these two.
inline tvbuff_t *data_source_tvb(packet_info *pinfo, const char *name) {
#if PHONEHOME_WS_AT_LEAST_4_6
    struct data_source *src = get_data_source_by_name(pinfo, name);
    return src ? get_data_source_tvb(src) : nullptr;
#else
    return get_data_source_tvb_by_name(pinfo, name);
#endif
}

// The full vendor name of a MAC's OUI from Wireshark's manufacturer data, or
// null when unknown. 4.2 added the address length to the call.
// (The function is a template parameter so only the branch that fits is
// compiled.)
template <typename Lookup = decltype(&get_manuf_name_if_known)>
inline const char *manuf_name(const uint8_t mac[6], Lookup lookup = &get_manuf_name_if_known) {
    if constexpr (std::is_invocable_v<Lookup, const uint8_t *, size_t>)
        return lookup(mac, 6);
    else
        return lookup(mac);
}

// What a program that drives libwireshark itself needs (the plugin fuzz
// harness), not the plugin.

// Logging to stderr; 4.6 dropped the program name argument.
inline void log_init(const char *progname) {
#if PHONEHOME_WS_AT_LEAST_4_6
    g_set_prgname(progname);
    ws_log_init(nullptr);
#else
    ws_log_init(progname, nullptr);
#endif
}

// A packet record of `len` raw bytes. From 4.6 the bytes live in the record's
// own buffer (copied there); before, they are a tvb handed to the dissection
// beside the record. Release with packet_rec_cleanup.
inline void packet_rec_init(wtap_rec *rec, int encap, const uint8_t *data, uint32_t len) {
#if PHONEHOME_WS_AT_LEAST_4_6
    wtap_rec_init(rec, len);
    wtap_setup_packet_rec(rec, encap);
    ws_buffer_append(&rec->data, data, len);
#else
    (void)data;
    wtap_rec_init(rec);
    rec->rec_type = REC_TYPE_PACKET;
    rec->rec_header.packet_header.pkt_encap = encap;
#endif
    rec->rec_header.packet_header.caplen = len;
    rec->rec_header.packet_header.len = len;
}

inline void packet_rec_cleanup(wtap_rec *rec) { wtap_rec_cleanup(rec); }

// epan_dissect_run (with the taps, or without) of a record made by
// packet_rec_init from the same bytes.
inline void dissect_packet_rec(epan_dissect_t *edt, bool with_taps, wtap_rec *rec, const uint8_t *data,
                               uint32_t len, frame_data *fd, column_info *cinfo) {
#if PHONEHOME_WS_AT_LEAST_4_6
    (void)data;
    (void)len;
    if (with_taps)
        epan_dissect_run_with_taps(edt, WTAP_FILE_TYPE_SUBTYPE_UNKNOWN, rec, fd, cinfo);
    else
        epan_dissect_run(edt, WTAP_FILE_TYPE_SUBTYPE_UNKNOWN, rec, fd, cinfo);
#else
    tvbuff_t *tvb = tvb_new_real_data(data, len, gint(len));
    if (with_taps)
        epan_dissect_run_with_taps(edt, WTAP_FILE_TYPE_SUBTYPE_UNKNOWN, rec, tvb, fd, cinfo);
    else
        epan_dissect_run(edt, WTAP_FILE_TYPE_SUBTYPE_UNKNOWN, rec, tvb, fd, cinfo);
#endif
}

}  // namespace phonehome::ws_compat
