#include "phonehome_prefs.hpp"

#include <string>

#include "analysis_state.hpp"
#include "list_uat.hpp"
#include "ws.hpp"

namespace phonehome::glue {

namespace {

// Preferences.
const char *pref_local_networks = "";
range_t *pref_sink_ports = nullptr;
guint pref_pinhole_silence_s = 20;
const char *pref_p2p_domains = "";
const char *pref_allowlist = "";
guint pref_hb_min_period_s = 1, pref_hb_max_period_s = 3600, pref_hb_intervals = 3;
ListUat *uat_local_networks = nullptr, *uat_allowlist = nullptr, *uat_p2p_domains = nullptr;

// A string preference and its table, as one comma-separated list.
std::string joined_list(const char *pref, const ListUat *uat) {
    std::string out = pref ? pref : "";
    const std::string rows = list_uat_values(uat);
    if (!rows.empty()) out += (out.empty() ? "" : ",") + rows;
    return out;
}

AnalyzerConfig config_from_prefs() {
    AnalyzerConfig c;
    std::string bad;
    if (!c.local_networks.set(joined_list(pref_local_networks, uat_local_networks), &bad))
        ws_warning("phonehome: ignoring the local networks preference, \"%s\" is not an address or CIDR block",
                   bad.c_str());
    if (!allowlist().set(joined_list(pref_allowlist, uat_allowlist), &bad))
        ws_warning("phonehome: ignoring the allowlist preference, \"%s\" is not an address or CIDR block",
                   bad.c_str());
    c.heartbeat.min_period_ns = int64_t(pref_hb_min_period_s) * 1000000000;
    c.heartbeat.max_period_ns = int64_t(pref_hb_max_period_s) * 1000000000;
    c.heartbeat.min_intervals = pref_hb_intervals;
    if (pref_sink_ports) {
        c.sink_ports.clear();
        for (guint i = 0; i < pref_sink_ports->nranges; ++i)
            c.sink_ports.add_range(uint16_t(pref_sink_ports->ranges[i].low), uint16_t(pref_sink_ports->ranges[i].high));
    }
    c.pinhole_silence_ns = int64_t(pref_pinhole_silence_s) * 1000000000;
    p2p_domains().set_extra(joined_list(pref_p2p_domains, uat_p2p_domains));
    return c;
}

}  // namespace

void apply_prefs() {
    try {
        analyzer()->set_config(config_from_prefs());
        analyzer()->reset();
    } catch (...) {
    }
}

void register_phonehome_prefs(int proto) {
    module_t *prefs = prefs_register_protocol(proto, apply_prefs);
    prefs_register_string_preference(prefs, "local_networks", "Extra local networks",
                                     "Networks whose addresses are local devices in addition to the private and "
                                     "special-purpose ranges, as addresses or CIDR blocks separated by commas, e.g. "
                                     "the global IPv6 /64 of the home LAN: 2001:db8:1:2::/64",
                                     &pref_local_networks);
    range_convert_str(wmem_epan_scope(), &pref_sink_ports, "0-1", 65535);
    prefs_register_range_preference(prefs, "sink_ports", "Sink ports",
                                    "UDP/TCP destination ports where no real service listens; a datagram or SYN "
                                    "from a local device to one of them on an Internet address is a sink",
                                    &pref_sink_ports, 65535);
    prefs_register_uint_preference(prefs, "pinhole_silence", "Pinhole silence (seconds)",
                                   "A one-way UDP 4-tuple resent after at least this many seconds of silence is "
                                   "a NAT pinhole",
                                   10, &pref_pinhole_silence_s);
    prefs_register_string_preference(prefs, "p2p_domains", "Extra P2P platform domains",
                                     "DNS domains of P2P platforms in addition to the built-in ones (iotcplatform.com, "
                                     "kalayservice.com, kalay.net.cn), separated by commas; a name equal to or under "
                                     "one of them is a P2P platform name",
                                     &pref_p2p_domains);
    prefs_register_string_preference(prefs, "allowlist", "Allowlist",
                                     "Remotes you have reviewed and accept, as addresses or CIDR blocks separated by "
                                     "commas: their findings are shown as Notes instead of Warnings (not hidden)",
                                     &pref_allowlist);
    prefs_register_uint_preference(prefs, "heartbeat_min_period", "Heartbeat minimum period (seconds)",
                                   "Intervals shorter than this never form a heartbeat series (streams, bulk "
                                   "transfers); nor do intervals under 1.5 s, whatever this says (a retry's timer)",
                                   10, &pref_hb_min_period_s);
    prefs_register_uint_preference(prefs, "heartbeat_max_period", "Heartbeat maximum period (seconds)",
                                   "Intervals longer than this never form a heartbeat series", 10,
                                   &pref_hb_max_period_s);
    prefs_register_uint_preference(prefs, "heartbeat_intervals", "Heartbeat intervals to establish",
                                   "How many consistent intervals establish a heartbeat series (2 to 16)", 10,
                                   &pref_hb_intervals);
    uat_local_networks = register_list_uat(prefs, "phonehome_local_networks", "Local networks (table)",
                                                 "Extra local networks, one address or CIDR block per row",
                                                 "Network", check_network, apply_prefs);
    uat_allowlist = register_list_uat(prefs, "phonehome_allowlist", "Allowlist (table)",
                                            "Reviewed remotes, one address or CIDR block per row", "Remote",
                                            check_network, apply_prefs);
    uat_p2p_domains = register_list_uat(prefs, "phonehome_p2p_domains", "P2P platform domains (table)",
                                              "Extra P2P platform domains, one per row", "Domain", check_domain,
                                              apply_prefs);
}

}  // namespace phonehome::glue
