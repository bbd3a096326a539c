#include "phonehome_fields.hpp"

namespace phonehome::glue {

int proto_phonehome = -1;
int hf_device = -1, hf_device6 = -1, hf_remote = -1, hf_remote6 = -1, hf_direction = -1, hf_device_port = -1, hf_remote_port = -1;
int hf_transport = -1, hf_pattern = -1;
int hf_pinhole_gap = -1, hf_pinhole_open_for = -1, hf_pinhole_datagrams = -1;
gint ett_phonehome = -1;
int hf_p2p_platform = -1, hf_p2p_message = -1, hf_p2p_uid = -1, hf_dns_name = -1;
int hf_device_name = -1, hf_device_vendor = -1, hf_device_vendor_class = -1, hf_device_ssdp_server = -1;
int hf_remote_country = -1, hf_remote_asn = -1, hf_remote_as_org = -1;
int hf_remote_name = -1, hf_hb_period = -1, hf_hb_jitter = -1, hf_hb_count = -1, hf_hb_keepalive = -1;
int hf_dead_attempt = -1, hf_dead_since = -1, hf_allowed = -1;
expert_field ei_sink = EI_INIT, ei_pinhole = EI_INIT, ei_p2p = EI_INIT, ei_p2p_lan = EI_INIT, ei_p2p_dns = EI_INIT;
expert_field ei_heartbeat = EI_INIT, ei_dead_cloud = EI_INIT;
// The same findings at Note severity, for remotes on the user's allowlist:
// reviewed and accepted, so downgraded, not hidden (same filter names).
expert_field ei_allowed[kFindingCount] = {EI_INIT, EI_INIT, EI_INIT, EI_INIT, EI_INIT, EI_INIT, EI_INIT};

expert_field *ei_for(Finding f, expert_field *warn, bool allowed) {
    return allowed ? &ei_allowed[size_t(f)] : warn;
}

void register_phonehome_fields(int proto) {
    static hf_register_info hf[] = {
        // Address-typed, one field per family as Wireshark's own ip.addr and
        // ipv6.addr, so subnet filters work (phonehome.device ==
        // 192.168.1.0/24, phonehome.device6 == fd00::/8). Two fields of one
        // name and two types do not work in Wireshark's display filters
        // (4.0 to 4.6): a literal is parsed for one of the types and compared
        // with values of both, which matches the wrong packets.
        {&hf_device, {"Device", "phonehome.device", FT_IPv4, BASE_NONE, nullptr, 0x0,
                      "The local device of this packet, IPv4 (private or special-purpose address, or a listed local "
                      "network); IPv6 devices are phonehome.device6", HFILL}},
        {&hf_device6, {"Device", "phonehome.device6", FT_IPv6, BASE_NONE, nullptr, 0x0,
                       "The local device of this packet, IPv6; IPv4 devices are phonehome.device", HFILL}},
        {&hf_remote, {"Remote", "phonehome.remote", FT_IPv4, BASE_NONE, nullptr, 0x0,
                      "The globally routable IPv4 address the device exchanges this packet with; IPv6 remotes are "
                      "phonehome.remote6", HFILL}},
        {&hf_remote6, {"Remote", "phonehome.remote6", FT_IPv6, BASE_NONE, nullptr, 0x0,
                       "The globally routable IPv6 address the device exchanges this packet with; IPv4 remotes are "
                       "phonehome.remote", HFILL}},
        {&hf_direction, {"Direction", "phonehome.direction", FT_STRING, BASE_NONE, nullptr, 0x0,
                         "outbound (device to remote) or inbound (remote to device)", HFILL}},
        {&hf_transport, {"Transport", "phonehome.transport", FT_STRING, BASE_NONE, nullptr, 0x0,
                         "udp, tcp, icmp or ip", HFILL}},
        {&hf_device_port, {"Device port", "phonehome.device_port", FT_UINT16, BASE_DEC, nullptr, 0x0, nullptr, HFILL}},
        {&hf_remote_port, {"Remote port", "phonehome.remote_port", FT_UINT16, BASE_DEC, nullptr, 0x0, nullptr, HFILL}},
        {&hf_pattern, {"Pattern", "phonehome.pattern", FT_STRING, BASE_NONE, nullptr, 0x0,
                       "Short name of a finding on this packet (one item per finding)", HFILL}},
        {&hf_pinhole_gap, {"Silence before this datagram (s)", "phonehome.pinhole.gap", FT_DOUBLE, BASE_NONE, nullptr, 0x0,
                           "Seconds since the previous datagram the device sent on this 4-tuple", HFILL}},
        {&hf_pinhole_open_for, {"Pinhole held open for (s)", "phonehome.pinhole.open_for", FT_DOUBLE, BASE_NONE, nullptr,
                                0x0, "Seconds since the datagram that ended the silence", HFILL}},
        {&hf_pinhole_datagrams, {"Datagrams on this 4-tuple", "phonehome.pinhole.datagrams", FT_UINT64, BASE_DEC,
                                 nullptr, 0x0, "Outbound datagrams of the 4-tuple so far, this one included", HFILL}},
        {&hf_p2p_platform, {"P2P platform", "phonehome.p2p.platform", FT_STRING, BASE_NONE, nullptr, 0x0,
                            "kalay or pppp, when the Kalay or PPPP dissector claimed the packet", HFILL}},
        {&hf_p2p_message, {"P2P message", "phonehome.p2p.message", FT_STRING, BASE_NONE, nullptr, 0x0, nullptr, HFILL}},
        {&hf_p2p_uid, {"P2P UID", "phonehome.p2p.uid", FT_STRING, BASE_NONE, nullptr, 0x0,
                       "The device UID the P2P message carries", HFILL}},
        {&hf_dns_name, {"P2P platform name", "phonehome.p2p_dns.name", FT_STRING, BASE_NONE, nullptr, 0x0,
                        "The DNS name under a P2P platform domain", HFILL}},
        {&hf_remote_name, {"Remote name", "phonehome.remote_name", FT_STRING, BASE_NONE, nullptr, 0x0,
                           "The name the capture resolved for the remote before this packet: the name a device "
                           "looked up in DNS, else the TLS SNI", HFILL}},
        {&hf_device_name, {"Device name", "phonehome.device_name", FT_STRING, BASE_NONE, nullptr, 0x0,
                           "The name the device announced up to this packet: its DHCP host name, else its mDNS, "
                           "NetBIOS or LLMNR name", HFILL}},
        {&hf_device_vendor, {"Device vendor", "phonehome.device_vendor", FT_STRING, BASE_NONE, nullptr, 0x0,
                             "The vendor of the device's MAC address (Wireshark's manufacturer data)", HFILL}},
        {&hf_device_vendor_class, {"Device DHCP vendor class", "phonehome.device_vendor_class", FT_STRING, BASE_NONE,
                                   nullptr, 0x0, "The vendor class (DHCP option 60) the device announced", HFILL}},
        {&hf_device_ssdp_server, {"Device SSDP server", "phonehome.device_ssdp_server", FT_STRING, BASE_NONE, nullptr,
                                  0x0, "The SERVER string of the device's SSDP messages (its OS and UPnP stack)",
                                  HFILL}},
        {&hf_remote_country, {"Remote country", "phonehome.remote_country", FT_STRING, BASE_NONE, nullptr, 0x0,
                              "The remote's country, from the MaxMind databases configured in Wireshark", HFILL}},
        {&hf_remote_asn, {"Remote AS number", "phonehome.remote_asn", FT_UINT32, BASE_DEC, nullptr, 0x0,
                          "The autonomous system the remote's address belongs to (MaxMind ASN database)", HFILL}},
        {&hf_remote_as_org, {"Remote AS owner", "phonehome.remote_as_org", FT_STRING, BASE_NONE, nullptr, 0x0,
                             "The organisation that runs the remote's autonomous system (MaxMind ASN database)",
                             HFILL}},
        {&hf_hb_period, {"Period (s)", "phonehome.heartbeat.period", FT_DOUBLE, BASE_NONE, nullptr, 0x0,
                         "Estimated period of the heartbeat series, to the millisecond", HFILL}},
        {&hf_hb_jitter, {"Jitter (s)", "phonehome.heartbeat.jitter", FT_DOUBLE, BASE_NONE, nullptr, 0x0,
                         "Median absolute deviation of the intervals, to the millisecond", HFILL}},
        {&hf_hb_count, {"Beats", "phonehome.heartbeat.count", FT_UINT32, BASE_DEC, nullptr, 0x0,
                        "Beats of the series so far, this one included", HFILL}},
        {&hf_hb_keepalive, {"MQTT keep-alive (s)", "phonehome.heartbeat.keepalive", FT_UINT16, BASE_DEC, nullptr, 0x0,
                            "The keep-alive the flow's MQTT CONNECT announced", HFILL}},
        {&hf_dead_attempt, {"Unanswered attempt", "phonehome.dead_cloud.attempt", FT_UINT32, BASE_DEC, nullptr, 0x0,
                            "Unanswered SYNs to this remote address and port so far, this one included", HFILL}},
        {&hf_dead_since, {"Retrying for (s)", "phonehome.dead_cloud.since", FT_DOUBLE, BASE_NONE, nullptr, 0x0,
                          "Seconds since the first unanswered SYN", HFILL}},
        {&hf_allowed, {"Remote on the allowlist", "phonehome.allowed", FT_BOOLEAN, BASE_NONE, nullptr, 0x0,
                       "The user reviewed and accepted this remote: its findings are Notes, not Warnings", HFILL}},
    };
    static gint *ett[] = {&ett_phonehome};
    // One fixed summary per finding, as Wireshark's own expert infos: Expert
    // Information then groups every packet of a kind in one row. What differs
    // from packet to packet (addresses, gaps, periods, attempts) is in the
    // fields beside the expert item.
    static ei_register_info ei[] = {
        {&ei_sink, {"phonehome.sink", PI_SECURITY, PI_WARN,
                    "UDP datagram or TCP SYN to port 0 or 1 of an Internet address: no service listens there, it "
                    "keeps a NAT mapping or channel open", EXPFILL}},
        {&ei_pinhole, {"phonehome.pinhole", PI_SECURITY, PI_WARN,
                       "One-way UDP resent after a silence, never answered: it keeps a NAT pinhole open through "
                       "which the remote can reach the device", EXPFILL}},
        {&ei_p2p, {"phonehome.p2p", PI_SECURITY, PI_WARN,
                   "Kalay or PPPP P2P message with an Internet host: the platform can reach into the network "
                   "through this channel", EXPFILL}},
        {&ei_p2p_lan, {"phonehome.p2p_lan", PI_SECURITY, PI_NOTE,
                       "Kalay or PPPP P2P message that stays on the local network (discovery or a LAN session)",
                       EXPFILL}},
        {&ei_p2p_dns, {"phonehome.p2p_dns", PI_SECURITY, PI_WARN,
                       "DNS for a P2P platform's domain: the device is about to log in to the platform", EXPFILL}},
        {&ei_heartbeat, {"phonehome.heartbeat", PI_SECURITY, PI_WARN,
                         "Beat of a periodic keepalive: it holds a channel open so the remote can reach the device "
                         "at any time", EXPFILL}},
        {&ei_dead_cloud, {"phonehome.dead_cloud", PI_SECURITY, PI_WARN,
                          "Third or later unanswered TCP SYN to an Internet service: the device keeps retrying a "
                          "cloud that is gone or blocked", EXPFILL}},
    };

    // The Note twins share the findings' names, so `-Y phonehome.sink` still
    // selects an allowlisted remote's sinks; each kind keeps its own summary.
    static const char *twin_names[kFindingCount] = {"phonehome.sink",     "phonehome.pinhole",  "phonehome.p2p",
                                                    "phonehome.p2p_lan",  "phonehome.p2p_dns",  "phonehome.heartbeat",
                                                    "phonehome.dead_cloud"};
    static const char *twin_summaries[kFindingCount] = {
        "Sink to an allowlisted remote (reviewed and accepted)",
        "NAT pinhole held open to an allowlisted remote (reviewed and accepted)",
        "P2P message with an allowlisted remote (reviewed and accepted)",
        "P2P message on the local network (allowlisted)",
        "DNS for a P2P platform (allowlisted)",
        "Keepalive to an allowlisted remote (reviewed and accepted)",
        "Unanswered TCP SYN to an allowlisted remote (reviewed and accepted)"};
    static ei_register_info twins[kFindingCount];
    for (size_t i = 0; i < kFindingCount; ++i)
        twins[i] = {&ei_allowed[i], {twin_names[i], PI_SECURITY, PI_NOTE, twin_summaries[i], EXPFILL}};

    proto_register_field_array(proto, hf, G_N_ELEMENTS(hf));
    proto_register_subtree_array(ett, G_N_ELEMENTS(ett));
    expert_module_t *expert = expert_register_protocol(proto);
    expert_register_field_array(expert, ei, G_N_ELEMENTS(ei));
    expert_register_field_array(expert, twins, G_N_ELEMENTS(twins));
}

}  // namespace phonehome::glue
